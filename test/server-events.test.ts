import { test } from "node:test";
import assert from "node:assert/strict";
import { WebSocket } from "ws";
import { startPracticeSite } from "../src/practice/index.js";
import { practiceSpec } from "./support/practice-spec.js";
import { startServer, type Harness } from "./support/server-harness.js";

type Msg = Record<string, unknown> & { type: string };

/** A client that queues what it receives; `next(pred)` waits for the first matching message. */
function client(h: Harness, headers: Record<string, string> = {}) {
  const ws = new WebSocket(h.url.replace("http", "ws") + "/api/events", { headers });
  const got: Msg[] = [];
  let waiter: (() => void) | null = null;
  ws.on("message", (d) => {
    got.push(JSON.parse(d.toString()) as Msg);
    waiter?.();
  });
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on("close", (code, reason) => r({ code, reason: reason.toString() })));
  const opened = new Promise<void>((res, rej) => {
    ws.once("open", () => res());
    ws.once("error", rej);
  });
  async function next(pred: (m: Msg) => boolean): Promise<Msg> {
    for (;;) {
      const i = got.findIndex(pred);
      if (i >= 0) return got.splice(i, 1)[0]!;
      await new Promise<void>((r) => (waiter = r));
    }
  }
  const send = (m: unknown) => ws.send(typeof m === "string" ? m : JSON.stringify(m));
  return { ws, got, next, send, closed, opened };
}

test("a subscribed client receives a job's progress and its final state", async (t) => {
  const site = await startPracticeSite({ pages: 300 });
  t.after(() => site.close());
  const h = await startServer(t, { allowPrivateTargets: true, progressIntervalMs: 20 });
  const c = client(h, { authorization: `Bearer ${h.memberKey}` });
  t.after(() => c.ws.terminate());
  await c.opened;
  assert.equal((await c.next((m) => m.type === "ready")).user, "member");
  c.send({ type: "subscribe", topic: "jobs" });
  await c.next((m) => m.type === "subscribed" && m.topic === "jobs");

  const spec = practiceSpec(site.url, { politeness: { robots: "ignore", perHost: { rate: "200/s", concurrency: 2 } } });
  const r = await h.req("POST", "/api/jobs", { key: h.memberKey, body: { spec } });
  const id = ((await r.json()) as { job: { id: number } }).job.id;
  assert.deepEqual(await c.next((m) => m.type === "job.state" && m.job === id), { type: "job.state", job: id, state: "running" });
  const progress = await c.next((m) => m.type === "job.progress" && m.job === id);
  for (const k of ["pages", "items", "errors", "queued", "rate"]) assert.equal(typeof progress[k], "number", k);
  const final = await c.next((m) => m.type === "job.state" && m.job === id && m.state !== "running");
  assert.equal(final.state, "done");
  // The last progress before the end counts every page.
  const stats = h.app.gleaner.store.stats(id);
  const last = c.got.filter((m) => m.type === "job.progress" && m.job === id).pop() ?? progress;
  assert.equal(last.pages, stats.done);
  assert.equal(last.items, stats.items);
  // Page errors arrive as they happen: the site's 404s, final (not retried).
  const errors = c.got.filter((m) => m.type === "job.error" && m.job === id);
  const notFound = errors.filter((m) => m.status === 404);
  assert.equal(notFound.length, site.manifest.notFound.length);
  assert.ok(notFound.every((m) => m.code === "GLEANER_ERR_HTTP_STATUS" && m.willRetry === false && String(m.url).startsWith(site.url)));

  // Another member's client, subscribed to "jobs", saw nothing of it; job:<id> is refused for it.
  const other = await h.app.gleaner.auth.createUser({ username: "other", password: "correct horse battery staple", role: "member" });
  const otherKey = h.app.gleaner.auth.createApiKey(other.id, "k").key;
  const o = client(h, { "x-api-key": otherKey });
  t.after(() => o.ws.terminate());
  await o.opened;
  await o.next((m) => m.type === "ready");
  o.send({ type: "subscribe", topic: `job:${id}` });
  assert.match((await o.next((m) => m.type === "error")).message as string, /no such job/);
});

test("malformed messages get an error reply and the connection stays open; auth by first message works", async (t) => {
  const h = await startServer(t, { wsAuthTimeoutMs: 2_000 });
  const c = client(h);
  t.after(() => c.ws.terminate());
  await c.opened;
  c.send({ type: "auth", key: h.adminKey });
  assert.equal((await c.next((m) => m.type === "ready")).user, "admin");
  for (const bad of ["not json", "[1,2]", '{"topic":"jobs"}', JSON.stringify({ type: "subscribe", topic: "job:abc" }), JSON.stringify({ type: "dance" })]) {
    c.send(bad);
    const e = await c.next((m) => m.type === "error");
    assert.equal(typeof e.message, "string");
  }
  c.send({ type: "subscribe", topic: "jobs" });
  assert.deepEqual(await c.next((m) => m.type === "subscribed"), { type: "subscribed", topic: "jobs" });
  assert.equal(c.ws.readyState, WebSocket.OPEN);
});

test("an unauthenticated client is closed with 1008 after the timeout; a bad key at once", async (t) => {
  const h = await startServer(t, { wsAuthTimeoutMs: 150 });
  const silent = client(h);
  await silent.opened;
  assert.equal((await silent.closed).code, 1008);
  const bad = client(h);
  await bad.opened;
  bad.send({ type: "auth", key: "gl_00000000_nope" });
  assert.equal((await bad.closed).code, 1008);
  // Subscribing before authenticating is refused too.
  const eager = client(h);
  await eager.opened;
  eager.send({ type: "subscribe", topic: "jobs" });
  assert.equal((await eager.closed).code, 1008);
  // ?key= in the URL is not a credential.
  const q = new WebSocket(h.url.replace("http", "ws") + "/api/events?key=" + h.adminKey);
  const code = await new Promise<number>((r) => q.on("close", (c) => r(c)));
  assert.equal(code, 1008);
  // The server forgets them once its side of each close completes.
  while (h.app.gleaner.events.size > 0) await new Promise((r) => setTimeout(r, 10));
});

test("a client that never reads is dropped and does not hold the crawl back", async (t) => {
  const site = await startPracticeSite({ pages: 300 });
  t.after(() => site.close());
  const h = await startServer(t, { allowPrivateTargets: true, progressIntervalMs: 5, wsMaxBufferedBytes: 64 * 1024 });
  const slow = client(h, { authorization: `Bearer ${h.adminKey}` });
  t.after(() => slow.ws.terminate());
  await slow.opened;
  await slow.next((m) => m.type === "ready");
  slow.send({ type: "subscribe", topic: "jobs" });
  await slow.next((m) => m.type === "subscribed");
  const watcher = client(h, { authorization: `Bearer ${h.adminKey}` });
  t.after(() => watcher.ws.terminate());
  await watcher.opened;
  watcher.send({ type: "subscribe", topic: "jobs" });
  await watcher.next((m) => m.type === "subscribed");
  assert.equal(h.app.gleaner.events.size, 2);

  (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  const r = await h.req("POST", "/api/jobs", { key: h.adminKey, body: { spec: practiceSpec(site.url) } });
  const id = ((await r.json()) as { job: { id: number } }).job.id;
  // Each malformed message earns a reply the paused client never reads: its send buffer grows.
  const junk = "x".repeat(16);
  while (h.app.gleaner.events.size === 2) {
    for (let i = 0; i < 2000; i++) slow.send(junk);
    await new Promise((res) => setTimeout(res, 5));
  }
  assert.equal(h.app.gleaner.events.size, 1);
  const final = await watcher.next((m) => m.type === "job.state" && m.job === id && m.state !== "running");
  assert.equal(final.state, "done");
  // Reading again, the slow client finds the 1013 close behind the backlog.
  (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  assert.equal((await slow.closed).code, 1013);
});

test("a client that stops answering pings is terminated by the heartbeat", async (t) => {
  const h = await startServer(t, { wsHeartbeatMs: 40 });
  const ws = new WebSocket(h.url.replace("http", "ws") + "/api/events", { headers: { authorization: `Bearer ${h.adminKey}` }, autoPong: false });
  const closed = new Promise<number>((r) => ws.on("close", (c) => r(c)));
  const live = client(h, { authorization: `Bearer ${h.adminKey}` }); // answers pings: stays
  t.after(() => live.ws.terminate());
  await live.opened;
  assert.equal(await closed, 1006); // terminated: no close frame
  assert.equal(h.app.gleaner.events.size, 1);
  assert.equal(live.ws.readyState, WebSocket.OPEN);
});
