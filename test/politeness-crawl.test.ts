import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { crawl } from "../src/index.js";
import { startPracticeSite, type RequestLogEntry } from "../src/practice/index.js";
import { SqliteStore } from "../src/store/index.js";
import { practiceSpec } from "./support/practice-spec.js";
import { tempDir } from "./support/tmp.js";
import { verifyCrawl } from "./support/verify-crawl.js";

/** Most requests that arrived within any `windowMs` window. */
function maxInWindow(log: RequestLogEntry[], windowMs: number): number {
  const at = log.map((e) => e.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

test("a polite crawl of a hostile site: robots, 429 + Retry-After, flaky 503s, cookie-gated pages, exact results", async (t) => {
  const site = await startPracticeSite({ pages: 50, modes: ["robots", "ratelimit", "flaky", "cookies", "useragent"], rateLimit: { pages: 4, perSecond: 12 }, crawlDelay: 0.05 });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl(
    practiceSpec(site.url, {
      // The breaker (tested on its own) would pause the host for 30 s after ten flaky 503s in a row.
      politeness: { robots: "obey", perHost: { rate: "10/s", concurrency: 1 }, circuitBreaker: false },
      retries: { max: 4, base: "20ms", cap: "100ms" },
    }),
    { db: store },
  );
  assert.equal(summary.state, "done");
  verifyCrawl(store, summary.job, site.url, site.manifest);

  const log = site.requestLog;
  // 1. robots.txt: no disallowed URL was ever requested, and each is recorded as skipped with its rule.
  const disallowed = new Set(site.manifest.disallowed ?? []);
  assert.ok(disallowed.size > 0);
  assert.deepEqual(log.filter((e) => disallowed.has(e.path) || e.path.startsWith("/private/report-2")).map((e) => e.path), []);
  const skipped = store.listRequests(summary.job, { state: "skipped", limit: 100 });
  for (const p of disallowed) {
    const r = skipped.find((s) => s.url === site.url + p);
    assert.match(r?.error ?? "", /^blocked by robots\.txt: Disallow: /, `${p} recorded as skipped`);
  }
  // 2. Retry-After: after each 429, nothing reached the host before the announced time.
  const limited = log.filter((e) => e.status === 429);
  assert.ok(limited.length >= 4, "every /limited/N answered 429 first");
  for (const e of limited) {
    const early = log.filter((x) => x.at > e.at && x.at < e.retryUntil! && x.path !== "/robots.txt");
    assert.deepEqual(early.map((x) => x.path), [], `requests inside the Retry-After window of ${e.path}`);
  }
  // 3. The configured rate (10/s) and Crawl-delay were never exceeded, and one request at a time.
  assert.ok(maxInWindow(log, 1000) <= 11, `max ${maxInWindow(log, 1000)} requests in one second`);
  const flaky = Object.keys(site.manifest.modes!.flaky!.failures);
  for (const p of flaky) assert.ok(log.filter((e) => e.path === p && e.status === 503).length >= 1, `${p} was flaky`);
  // 4. Cookies: the members area was reached through the login redirect with a cookie jar.
  for (const p of site.manifest.modes!.cookies!.paths) assert.ok(log.some((e) => e.path === p && e.status === 200), `${p} fetched with the session cookie`);
});

test("a site with infinite traps ends within its limits, and maxPages is exact", async (t) => {
  const site = await startPracticeSite({ pages: 50, modes: ["trap"] });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl(practiceSpec(site.url, { scope: { maxPages: 400 }, politeness: { perHost: { concurrency: 8 } } }), { db: store });
  assert.equal(summary.pages + summary.failed, 400, "exactly maxPages pages");
  // Each fetched page ends in one non-redirect answer (redirect hops are extra requests of the same page).
  const answered = site.requestLog.filter((e) => e.path !== "/robots.txt" && (e.status < 300 || e.status >= 400)).length;
  assert.ok(answered <= 400, `the server answered ${answered} page requests`);
  const reasons = store.listRequests(summary.job, { state: "skipped", limit: 10_000 }).map((r) => r.error ?? "");
  assert.ok(reasons.some((r) => /repeated 3 or more times/.test(r)), "the /trap/a/a/a path was recognised");

  const shallow = await crawl(practiceSpec(site.url, { scope: { maxDepth: 4 } }), { db: store });
  assert.equal(shallow.state, "done", "a depth limit ends the crawl on its own");
  assert.ok(shallow.pages < 400);
});

test("a user agent the site blocks gets 403s, recorded as final failures; the crawl goes on", async (t) => {
  const site = await startPracticeSite({ pages: 50, modes: ["useragent"] });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl(practiceSpec(site.url, { fetch: { userAgent: "BadBot/1.0" } }), { db: store });
  const failed = store.listRequests(summary.job, { state: "failed", limit: 100 }).filter((r) => r.status === 403);
  assert.ok(failed.length >= 1 && failed.every((r) => new URL(r.url).pathname.startsWith("/ua/")), "the blocked area answered 403");
  assert.equal(site.requestLog.filter((e) => e.status === 403).length, failed.length, "403 is final: not retried");
  assert.ok(summary.pages > 40);
});

test("a slow host does not hold back another host", async (t) => {
  const slow = await startPracticeSite({ pages: 50, modes: ["slow"], slowMs: 3000 });
  const fast = await startPracticeSite({ pages: 50 });
  t.after(() => Promise.all([slow.close(), fast.close()]));
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl(
    {
      name: "two-hosts",
      start: [slow.url + "/slow/", fast.url + "/"],
      scope: { domains: ["127.0.0.1"], include: ["/slow/*", "/", "/quotes/*", "/author/*", "/tag/*"] },
      politeness: { perHost: { concurrency: 2 }, concurrency: 4 },
      retries: { max: 0 },
    },
    { db: store },
  );
  assert.equal(summary.state, "done");
  const rows = store.db.prepare("SELECT url, fetched_at FROM requests WHERE job_id = ? AND state = 'done' ORDER BY fetched_at").all(summary.job) as { url: string; fetched_at: number }[];
  const fastRows = rows.filter((r) => r.url.startsWith(fast.url));
  const slowRows = rows.filter((r) => r.url.startsWith(slow.url + "/slow/"));
  assert.ok(fastRows.length > 5 && slowRows.length >= 3);
  // Two slow pages at a time take 3 s each: the fast host finished long before the slow one.
  assert.ok(fastRows.at(-1)!.fetched_at < slowRows[2]!.fetched_at, "the fast host was not starved");
});

test("per-host concurrency is never exceeded, as seen by the server", async (t) => {
  const { createServer } = await import("node:http");
  let inFlight = 0;
  let maxInFlight = 0;
  let served = 0;
  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    served++;
    const n = Number(/\/p\/(\d+)/.exec(req.url ?? "")?.[1] ?? 0);
    const links = n === 0 ? Array.from({ length: 60 }, (_, i) => `<a href="/p/${i + 1}">${i + 1}</a>`).join("") : "";
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { "content-type": "text/html" }).end(`<html><body>${links}</body></html>`);
    }, 20);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise((r) => server.close(r)));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl({ name: "conc", start: url + "/p/0", politeness: { robots: "ignore", perHost: { concurrency: 3 }, concurrency: 16 } }, { db: store });
  assert.equal(summary.pages, 61);
  assert.equal(served, 61);
  assert.equal(maxInFlight, 3, "three at a time, never more");
});
