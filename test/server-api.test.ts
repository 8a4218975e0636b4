import { test } from "node:test";
import assert from "node:assert/strict";
import { startPracticeSite } from "../src/practice/index.js";
import { OPENAPI } from "../src/server/openapi.js";
import { practiceSpec } from "./support/practice-spec.js";
import { PASSWORD, startServer } from "./support/server-harness.js";

const totalItems = (items: Record<string, unknown[]>) => Object.values(items).reduce((n, l) => n + l.length, 0);

test("every route but /api/health answers 401 without credentials or with a bad key", async (t) => {
  const h = await startServer(t);
  const health = await h.req("GET", "/api/health");
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { ok: boolean }).ok, true);
  let checked = 0;
  for (const [path, ops] of Object.entries(OPENAPI.paths)) {
    if (path === "/api/health") continue;
    for (const method of Object.keys(ops)) {
      const p = path.replace("{id}", "1");
      for (const key of [null, "gl_notarealkey000000000000000000000000"]) {
        const r = await h.req(method.toUpperCase(), p, { key, ...(method === "post" ? { body: {} } : {}) });
        const body = (await r.json()) as { error: { code: string } };
        assert.equal(r.status, 401, `${method.toUpperCase()} ${p} with ${key ? "a bad key" : "no credentials"}: ${JSON.stringify(body)}`);
        assert.match(body.error.code, /^GLEANER_ERR_/);
        checked++;
      }
    }
  }
  assert.ok(checked >= 40);
  // Unknown routes too: an anonymous caller learns nothing about what exists.
  assert.equal((await h.req("GET", "/api/nope")).status, 401);
  assert.equal((await h.req("GET", "/api/nope", { key: h.adminKey })).status, 404);
});

test("login sets a strict HttpOnly session cookie; keys are listed by prefix only", async (t) => {
  const h = await startServer(t);
  const bad = await h.req("POST", "/api/login", { body: { username: "admin", password: "wrong password here" } });
  assert.equal(bad.status, 401);
  const r = await h.req("POST", "/api/login", { body: { username: "admin", password: PASSWORD } });
  assert.equal(r.status, 200);
  const cookie = r.headers.get("set-cookie")!;
  assert.match(cookie, /^gleaner_session=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
  assert.doesNotMatch(cookie, /Secure/); // plain http on loopback
  const session = cookie.split(";")[0]!;
  const me = await h.req("GET", "/api/me", { headers: { cookie: session } });
  assert.deepEqual(((await me.json()) as { user: unknown }).user, { id: 1, username: "admin", role: "admin" });

  const created = await h.req("POST", "/api/keys", { headers: { cookie: session }, body: { name: "ci" } });
  assert.equal(created.status, 201);
  const key = (await created.json()) as { id: number; key: string; prefix: string };
  assert.ok(key.key.startsWith(`gl_${key.prefix}_`));
  const listText = await (await h.req("GET", "/api/keys", { key: key.key })).text();
  assert.ok(listText.includes(key.prefix));
  assert.ok(!listText.includes(key.key), "a listed key shows its prefix, never the key");
  assert.equal((await h.req("DELETE", `/api/keys/${key.id}`, { key: h.adminKey })).status, 204);
  assert.equal((await h.req("GET", "/api/me", { key: key.key })).status, 401);

  const out = await h.req("POST", "/api/logout", { headers: { cookie: session } });
  assert.equal(out.status, 204);
  assert.equal((await h.req("GET", "/api/me", { headers: { cookie: session } })).status, 401);

  // Members are not admins; invitations create accounts.
  assert.equal((await h.req("GET", "/api/users", { key: h.memberKey })).status, 403);
  const inv = (await (await h.req("POST", "/api/invitations", { key: h.adminKey, body: { role: "member", maxUses: 1 } })).json()) as { code: string };
  const redeemed = await h.req("POST", "/api/invitations/redeem", { body: { code: inv.code, username: "newbie", password: PASSWORD } });
  assert.equal(redeemed.status, 201);
  const users = (await (await h.req("GET", "/api/users", { key: h.adminKey })).json()) as { users: { username: string }[] };
  assert.deepEqual(users.users.map((u) => u.username).sort(), ["admin", "member", "newbie"]);
});

test("a submitted job runs to done; items page with a cursor; exports stream in csv, json and jsonl", async (t) => {
  const site = await startPracticeSite({ pages: 200 });
  t.after(() => site.close());
  const h = await startServer(t, { allowPrivateTargets: true });
  const r = await h.req("POST", "/api/jobs", { key: h.memberKey, body: { spec: practiceSpec(site.url) } });
  assert.equal(r.status, 201, await r.clone().text());
  const { job } = (await r.json()) as { job: { id: number; owner: number } };
  const done = await h.waitForState(job.id, ["done", "failed"], h.memberKey);
  assert.equal(done.state, "done");
  const expected = totalItems(site.manifest.items as unknown as Record<string, unknown[]>);
  assert.equal((done.stats as { items: number }).items, expected);

  // Cursor pagination: every item once, in id order.
  const ids: number[] = [];
  let after: number | null = 0;
  let pages = 0;
  while (after !== null) {
    const page = (await (await h.req("GET", `/api/jobs/${job.id}/items?limit=97&after=${after}`, { key: h.memberKey })).json()) as { items: { id: number; type: string; data: unknown }[]; next: number | null };
    ids.push(...page.items.map((i) => i.id));
    after = page.next;
    pages++;
  }
  assert.equal(ids.length, expected);
  assert.equal(new Set(ids).size, expected);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  assert.ok(pages >= Math.ceil(expected / 97));
  const quotes = (await (await h.req("GET", `/api/jobs/${job.id}/items?type=quote&limit=1000`, { key: h.memberKey })).json()) as { items: { type: string }[] };
  assert.equal(quotes.items.length, site.manifest.items.quote.length);
  assert.ok(quotes.items.every((i) => i.type === "quote"));

  const jsonl = await h.req("GET", `/api/jobs/${job.id}/export?format=jsonl`, { key: h.memberKey });
  assert.equal(jsonl.headers.get("content-type"), "application/x-ndjson; charset=utf-8");
  const lines = (await jsonl.text()).trimEnd().split("\n");
  assert.equal(lines.length, expected);
  assert.ok(lines.every((l) => typeof (JSON.parse(l) as { _type: string })._type === "string"));
  const json = (await (await h.req("GET", `/api/jobs/${job.id}/export?format=json`, { key: h.memberKey })).json()) as unknown[];
  assert.equal(json.length, expected);
  const csv = await (await h.req("GET", `/api/jobs/${job.id}/export?format=csv&type=product`, { key: h.memberKey })).text();
  const rows = csv.trimEnd().split("\r\n");
  assert.match(rows[0]!, /^_type,_url,name,price,stock,sku/);
  assert.equal(rows.length - 1, site.manifest.items.product.length);
  assert.equal((await h.req("GET", `/api/jobs/${job.id}/export?format=xml`, { key: h.memberKey })).status, 400);

  // Ownership: another member cannot see it, the admin can; listing follows the same rule.
  const other = h.app.gleaner.auth;
  const u = await other.createUser({ username: "other", password: PASSWORD, role: "member" });
  const otherKey = other.createApiKey(u.id, "k").key;
  assert.equal((await h.req("GET", `/api/jobs/${job.id}`, { key: otherKey })).status, 404);
  assert.equal((await h.req("GET", `/api/jobs/${job.id}/export?format=csv`, { key: otherKey })).status, 404);
  assert.deepEqual(((await (await h.req("GET", "/api/jobs", { key: otherKey })).json()) as { jobs: unknown[] }).jobs, []);
  const all = (await (await h.req("GET", "/api/jobs", { key: h.adminKey })).json()) as { jobs: { id: number }[] };
  assert.deepEqual(all.jobs.map((j) => j.id), [job.id]);

  assert.equal((await h.req("DELETE", `/api/jobs/${job.id}`, { key: h.memberKey })).status, 204);
  assert.equal((await h.req("GET", `/api/jobs/${job.id}`, { key: h.memberKey })).status, 404);
});

test("bad specs answer 400 naming the path; oversized bodies 413", async (t) => {
  const h = await startServer(t);
  const r = await h.req("POST", "/api/jobs", { key: h.memberKey, body: { spec: { name: "x", start: ["https://example.com/"], extract: { q: { fields: { born: { selector: "b", type: "dat" } } } } } } });
  assert.equal(r.status, 400);
  const body = (await r.json()) as { error: { code: string; issues: { path: string; message: string }[] } };
  assert.equal(body.error.code, "GLEANER_ERR_SPEC");
  assert.ok(body.error.issues.some((i) => i.path === "extract.q.fields.born.type"), JSON.stringify(body.error.issues));

  const y = await h.req("POST", "/api/jobs", { key: h.memberKey, body: { specText: "name: x\nstart: [https://example.com/]\nscope: { maxDepth: -3 }\n" } });
  assert.equal(y.status, 400);
  const yb = (await y.json()) as { error: { issues: { path: string }[] } };
  assert.ok(yb.error.issues.some((i) => i.path === "scope.maxDepth"), JSON.stringify(yb));

  const syntax = await h.req("POST", "/api/jobs", { key: h.memberKey, body: { specText: "name: [unclosed" } });
  assert.equal(syntax.status, 400);
  assert.equal((await h.req("POST", "/api/jobs", { key: h.memberKey, body: { nothing: 1 } })).status, 400);

  const big = await h.req("POST", "/api/jobs", { key: h.memberKey, body: { specText: "# " + "x".repeat(300 * 1024) } });
  assert.equal(big.status, 413);
  assert.deepEqual(((await (await h.req("GET", "/api/jobs", { key: h.memberKey })).json()) as { jobs: unknown[] }).jobs, []);
});

test("pause, resume and cancel; the per-user job cap answers 429", async (t) => {
  const site = await startPracticeSite({ pages: 300 });
  t.after(() => site.close());
  const h = await startServer(t, { allowHosts: ["127.0.0.1"], maxConcurrentJobsPerUser: 1 });
  // 20 pages/s: slow enough to act on it while it runs.
  const spec = practiceSpec(site.url, { politeness: { robots: "ignore", perHost: { rate: "20/s", concurrency: 1 } } });
  const { job } = (await (await h.req("POST", "/api/jobs", { key: h.memberKey, body: { spec } })).json()) as { job: { id: number } };
  const second = await h.req("POST", "/api/jobs", { key: h.memberKey, body: { spec } });
  assert.equal(second.status, 429);
  assert.ok(Number(second.headers.get("retry-after")) >= 1);
  assert.equal((await h.req("POST", `/api/jobs/${job.id}/resume`, { key: h.memberKey })).status, 409);

  const paused = (await (await h.req("POST", `/api/jobs/${job.id}/pause`, { key: h.memberKey })).json()) as { job: { state: string; stats: { done: number; leased: number } } };
  assert.equal(paused.job.state, "paused");
  assert.equal(paused.job.stats.leased, 0);
  const before = paused.job.stats.done;
  assert.ok(before < 300);

  const resumed = await h.req("POST", `/api/jobs/${job.id}/resume`, { key: h.memberKey });
  assert.equal(resumed.status, 200);
  assert.equal(((await resumed.json()) as { job: { state: string } }).job.state, "running");
  const cancelled = (await (await h.req("POST", `/api/jobs/${job.id}/cancel`, { key: h.memberKey })).json()) as { job: { state: string } };
  assert.equal(cancelled.job.state, "cancelled");
  assert.equal((await h.req("POST", `/api/jobs/${job.id}/resume`, { key: h.memberKey })).status, 409);
  // The slot is free again.
  const third = await h.req("POST", "/api/jobs", { key: h.memberKey, body: { spec: { ...spec, scope: { maxPages: 3 } } } });
  assert.equal(third.status, 201);
  const id3 = ((await third.json()) as { job: { id: number } }).job.id;
  assert.equal((await h.waitForState(id3, ["done", "failed"], h.memberKey)).state, "done");
});

test("repeated failed logins answer 429 with Retry-After", async (t) => {
  const h = await startServer(t, { auth: { passwordHashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 }, throttle: { maxFailures: 3, baseLockMs: 60_000 } } });
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < 5; i++) {
    const r = await h.req("POST", "/api/login", { body: { username: "admin", password: "not the password " + i } });
    statuses.push(r.status);
    if (r.status === 429) retryAfter = r.headers.get("retry-after");
    const text = await r.text();
    assert.ok(!text.includes("not the password"), "a response never echoes the password");
  }
  assert.deepEqual(statuses.slice(0, 3), [401, 401, 401]);
  assert.equal(statuses[4], 429);
  assert.ok(Number(retryAfter) >= 1, String(retryAfter));
});

test("the API rate limit answers 429 with Retry-After per key", async (t) => {
  const h = await startServer(t, { rateLimitPerMinute: 5 });
  for (let i = 0; i < 5; i++) assert.equal((await h.req("GET", "/api/jobs", { key: h.memberKey })).status, 200);
  const r = await h.req("GET", "/api/jobs", { key: h.memberKey });
  assert.equal(r.status, 429);
  const wait = Number(r.headers.get("retry-after"));
  assert.ok(wait >= 1 && wait <= 60, String(wait));
  // Another key has its own budget.
  assert.equal((await h.req("GET", "/api/jobs", { key: h.adminKey })).status, 200);
});

test("jobs left running by a stopped server resume when it starts again", async (t) => {
  const site = await startPracticeSite({ pages: 200 });
  t.after(() => site.close());
  const first = await startServer(t, { allowPrivateTargets: true });
  const spec = practiceSpec(site.url, { politeness: { robots: "ignore", perHost: { rate: "50/s", concurrency: 1 } } });
  const { job } = (await (await first.req("POST", "/api/jobs", { key: first.memberKey, body: { spec } })).json()) as { job: { id: number } };
  await first.waitForState(job.id, ["running"], first.memberKey);
  await new Promise((r) => setTimeout(r, 100));
  await first.app.close();
  const second = await startServer(t, { allowPrivateTargets: true, db: first.db });
  assert.deepEqual(second.app.gleaner.resumed, [job.id]);
  const done = await second.waitForState(job.id, ["done", "failed"], second.memberKey);
  assert.equal(done.state, "done");
  assert.equal((done.stats as { items: number }).items, totalItems(site.manifest.items as unknown as Record<string, unknown[]>));
});
