import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { crawl } from "../src/index.js";
import { SqliteStore } from "../src/store/index.js";
import { tempDir } from "./support/tmp.js";

interface Hit { path: string; at: number; ua: string }

/** A small site with robots.txt rules; every request is logged server-side. */
async function robotsSite(t: { after(fn: () => unknown): void }, robots: { status: number; body: string }): Promise<{ url: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  const pages: Record<string, string> = {
    "/": `<a href="/a">a</a> <a href="/private/x">p</a> <a href="/doc.pdf">pdf</a> <a href="/doc.pdf?v=2">pdf2</a> <a href="/b">b</a> <a href="/private/open/y">open</a>`,
    "/a": `<a href="/c">c</a>`,
    "/b": "b",
    "/c": "c",
    "/private/x": "secret",
    "/private/open/y": "allowed by a longer rule",
    "/doc.pdf": "pdf",
    "/doc.pdf?v=2": "pdf with a query",
  };
  const server: Server = createServer((req, res) => {
    hits.push({ path: req.url!, at: performance.timeOrigin + performance.now(), ua: String(req.headers["user-agent"]) });
    if (req.url === "/robots.txt") {
      res.writeHead(robots.status, { "content-type": "text/plain" }).end(robots.body);
      return;
    }
    const body = pages[req.url!];
    if (body === undefined) res.writeHead(404).end("nope");
    else res.writeHead(200, { "content-type": "text/html" }).end(`<html><body>${body}</body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

const RULES = "User-agent: *\nDisallow: /private/\nAllow: /private/open/\nDisallow: /*.pdf$\n\nUser-agent: otherbot\nDisallow: /\n";

test("robots.txt is obeyed: disallowed URLs are never fetched and are recorded as skipped with the rule", async (t) => {
  const site = await robotsSite(t, { status: 200, body: RULES + "\nUser-agent: gleaner\nDisallow: /b\nCrawl-delay: 0.05\n" });
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl({ name: "robots", start: site.url + "/" }, { db: store });
  assert.equal(summary.state, "done");
  const paths = site.hits.map((h) => h.path);
  assert.equal(paths.filter((p) => p === "/robots.txt").length, 1, "robots.txt fetched once");
  // The gleaner group applies (not the * group): only /b is blocked.
  assert.deepEqual(paths.filter((p) => p !== "/robots.txt").sort(), ["/", "/a", "/c", "/doc.pdf", "/doc.pdf?v=2", "/private/open/y", "/private/x"]);
  const skipped = store.listRequests(summary.job, { state: "skipped", limit: 10 });
  assert.deepEqual(skipped.map((r) => [r.url, r.error]), [[site.url + "/b", "blocked by robots.txt: Disallow: /b (line 10)"]]);
  // Crawl-delay is a minimum interval between requests to the host.
  const times = site.hits.map((h) => h.at);
  for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 49, `gap ${times[i]! - times[i - 1]!} ms >= 50 ms between ${site.hits[i - 1]!.path} and ${site.hits[i]!.path}`);
  assert.ok(site.hits.every((h) => h.ua.startsWith("gleaner/")));
});

test("the * group: longest match wins, $ anchors, and skipped pages do not count toward maxPages", async (t) => {
  const site = await robotsSite(t, { status: 200, body: RULES });
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl({ name: "robots", start: site.url + "/", scope: { maxPages: 5 } }, { db: store });
  const fetched = site.hits.map((h) => h.path).filter((p) => p !== "/robots.txt");
  assert.ok(!fetched.some((p) => p.startsWith("/private/x") || p === "/doc.pdf"), `fetched: ${fetched.join(" ")}`);
  assert.equal(fetched.length, 5, "maxPages counts fetched pages only");
  assert.equal(summary.pages, 5);
  const reasons = store.listRequests(summary.job, { state: "skipped", limit: 10 }).map((r) => r.error);
  assert.ok(reasons.includes("blocked by robots.txt: Disallow: /private/ (line 2)"));
  assert.ok(reasons.includes("blocked by robots.txt: Disallow: /*.pdf$ (line 4)"));
});

test("robots: ignore fetches everything; a missing robots.txt (404) allows everything", async (t) => {
  const site = await robotsSite(t, { status: 200, body: "User-agent: *\nDisallow: /\n" });
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const ignored = await crawl({ name: "ignore", start: site.url + "/", politeness: { robots: "ignore" } }, { db: store });
  assert.equal(ignored.pages, 8);
  assert.ok(!site.hits.some((h) => h.path === "/robots.txt"));
  const missing = await robotsSite(t, { status: 404, body: "" });
  const all = await crawl({ name: "missing", start: missing.url + "/" }, { db: store });
  assert.equal(all.pages, 8);
});

test("an unreachable robots.txt (503) fetches nothing from the host and the job fails with the reason", async (t) => {
  const site = await robotsSite(t, { status: 503, body: "" });
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl({ name: "down", start: site.url + "/", retries: { max: 0 } }, { db: store });
  assert.equal(summary.state, "failed");
  assert.match(summary.error ?? "", /robots\.txt of http:\/\/127\.0\.0\.1:\d+ could not be fetched/);
  assert.deepEqual(site.hits.map((h) => h.path), ["/robots.txt"]);
});
