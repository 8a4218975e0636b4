/**
 * RobotsCache against real robots.txt servers on 127.0.0.1, fetched with undici: one fetch
 * per origin, what each status means (RFC 9309 2.3.1), and expiry (2.4) on an injected clock.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { GleanerError } from "../src/shared/errors.js";
import {
  ALLOW_ALL,
  DISALLOW_ALL,
  RobotsCache,
  type RobotsFetchResult,
} from "../src/politeness/robots/index.js";

const UA = "gleaner/0.1";

interface RobotsServer {
  origin: string;
  port: number;
  /** Requests for /robots.txt so far. */
  hits: number;
  /** What /robots.txt answers next. */
  status: number;
  body: string;
}

async function startRobotsServer(t: TestContext, status: number, body: string): Promise<RobotsServer> {
  const state = { origin: "", port: 0, hits: 0, status, body };
  const server = http.createServer((req, res) => {
    if (req.url !== "/robots.txt") {
      res.writeHead(404).end();
      return;
    }
    state.hits++;
    // Answer a little later, so concurrent callers really are waiting on the same fetch.
    setTimeout(() => res.writeHead(state.status, { "content-type": "text/plain" }).end(state.body), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as AddressInfo).port;
  state.origin = `http://127.0.0.1:${state.port}`;
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return state;
}

/** The smallest honest fetch: GET, no redirects; network errors throw. */
async function undiciFetch(url: string): Promise<RobotsFetchResult> {
  const res = await request(url, { method: "GET", headers: { "user-agent": UA } });
  const text = await res.body.text();
  return { status: res.statusCode, text, finalUrl: url };
}

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

test("20 concurrent rulesFor calls on one origin share one fetch; another origin gets its own", async (t) => {
  const a = await startRobotsServer(t, 200, "User-agent: *\nDisallow: /private\nSitemap: /sitemap.xml\n");
  const b = await startRobotsServer(t, 200, "User-agent: gleaner\nDisallow: /\n");
  const cache = new RobotsCache({ userAgent: UA, fetch: undiciFetch });
  assert.equal(cache.peek(`${a.origin}/x`), undefined, "nothing before the first fetch");

  const calls = [];
  for (let i = 0; i < 20; i++) calls.push(cache.rulesFor(`${a.origin}/page/${i}?q=${i}`));
  for (let i = 0; i < 5; i++) calls.push(cache.rulesFor(`${b.origin}/p${i}`));
  const results = await Promise.all(calls);

  assert.equal(a.hits, 1, "one robots.txt request for origin a");
  assert.equal(b.hits, 1, "one robots.txt request for origin b");
  const ra = results[0]!;
  for (let i = 1; i < 20; i++) assert.equal(results[i], ra, "every caller got the same rules");
  assert.equal(ra.isAllowed("/public"), true);
  assert.equal(ra.isAllowed("/private/1"), false);
  assert.deepEqual(ra.sitemaps, [`${a.origin}/sitemap.xml`], "relative sitemap resolved against robots.txt URL");
  const rb = results[20]!;
  assert.equal(rb.isAllowed("/anything"), false);

  assert.equal(cache.peek(`${a.origin}/other`), ra, "peek sees the cached rules");
  await cache.rulesFor(`${a.origin}/again`);
  assert.equal(a.hits, 1, "later calls use the cache");
});

test("4xx means unavailable: allow all", async (t) => {
  for (const status of [404, 401, 403, 410]) {
    const s = await startRobotsServer(t, status, "User-agent: *\nDisallow: /\n");
    const cache = new RobotsCache({ userAgent: UA, fetch: undiciFetch });
    const rules = await cache.rulesFor(`${s.origin}/x`);
    assert.equal(rules, ALLOW_ALL, `status ${status}`);
    assert.equal(rules.isAllowed("/x"), true);
    assert.equal(s.hits, 1);
  }
});

test("5xx means unreachable: disallow all, cached only for retryMs, then fetched again", async (t) => {
  const s = await startRobotsServer(t, 503, "busy");
  const c = clock();
  const reports: { origin: string; status?: number }[] = [];
  const cache = new RobotsCache({
    userAgent: UA,
    fetch: undiciFetch,
    retryMs: 60_000,
    now: c.now,
    onUnreachable: (info) => reports.push(info),
  });
  const first = await cache.rulesFor(`${s.origin}/a`);
  assert.equal(first, DISALLOW_ALL);
  assert.equal(first.isAllowed("/a"), false);
  assert.deepEqual(reports, [{ origin: s.origin, status: 503 }]);

  c.t += 59_999;
  assert.equal(cache.peek(`${s.origin}/a`), DISALLOW_ALL, "still within retryMs");
  assert.equal(await cache.rulesFor(`${s.origin}/a`), DISALLOW_ALL);
  assert.equal(s.hits, 1, "no new fetch within retryMs");

  s.status = 200;
  s.body = "User-agent: *\nDisallow: /admin\n";
  c.t += 1;
  assert.equal(cache.peek(`${s.origin}/a`), undefined, "expired after retryMs");
  const second = await cache.rulesFor(`${s.origin}/a`);
  assert.equal(s.hits, 2, "fetched again");
  assert.equal(second.isAllowed("/a"), true);
  assert.equal(second.isAllowed("/admin"), false);
  assert.equal(reports.length, 1);
});

test("a network error means unreachable too", async () => {
  // A port that was just free: connection refused.
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const errors: unknown[] = [];
  const c = clock();
  const cache = new RobotsCache({
    userAgent: UA,
    fetch: undiciFetch,
    now: c.now,
    onUnreachable: (info) => errors.push(info.error),
  });
  const rules = await cache.rulesFor(`http://127.0.0.1:${port}/x`);
  assert.equal(rules, DISALLOW_ALL);
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof Error, "the cause is passed on");
});

test("a 2xx robots.txt is cached until ttlMs, then fetched again", async (t) => {
  const s = await startRobotsServer(t, 200, "User-agent: gleaner\nDisallow: /v1\nCrawl-delay: 1.5\n");
  const c = clock();
  const ttlMs = 24 * 60 * 60 * 1000;
  const cache = new RobotsCache({ userAgent: UA, fetch: undiciFetch, ttlMs, now: c.now });
  const first = await cache.rulesFor(`${s.origin}/`);
  assert.equal(first.isAllowed("/v1/x"), false);
  assert.equal(first.crawlDelayMs, 1500);

  s.body = "User-agent: gleaner\nDisallow: /v2\n";
  c.t += ttlMs - 1;
  assert.equal(cache.peek(`${s.origin}/`), first);
  assert.equal(await cache.rulesFor(`${s.origin}/`), first);
  assert.equal(s.hits, 1, "no new fetch before ttl");

  c.t += 1;
  assert.equal(cache.peek(`${s.origin}/`), undefined, "expired at ttl");
  const second = await cache.rulesFor(`${s.origin}/`);
  assert.equal(s.hits, 2);
  assert.equal(second.isAllowed("/v1/x"), true);
  assert.equal(second.isAllowed("/v2/x"), false);
  assert.equal(second.crawlDelayMs, null);
});

test("a 2xx with an empty body allows all; a 4xx is cached for ttlMs like a success", async (t) => {
  const s = await startRobotsServer(t, 200, "");
  const c = clock();
  const cache = new RobotsCache({ userAgent: UA, fetch: undiciFetch, ttlMs: 1000, retryMs: 10, now: c.now });
  assert.equal((await cache.rulesFor(`${s.origin}/x`)).isAllowed("/x"), true);
  s.status = 404;
  c.t += 1000;
  assert.equal(await cache.rulesFor(`${s.origin}/x`), ALLOW_ALL);
  c.t += 999;
  await cache.rulesFor(`${s.origin}/x`);
  assert.equal(s.hits, 2, "the 404 is not re-fetched after retryMs, only after ttlMs");
});

test("origins: scheme, host and port; default ports and case folded; non-http refused", () => {
  const cache = new RobotsCache({ userAgent: UA, fetch: undiciFetch });
  assert.equal(cache.originOf("http://127.0.0.1:8080/a/b?c#d"), "http://127.0.0.1:8080");
  assert.equal(cache.originOf("HTTP://Example.COM:80/x"), "http://example.com");
  assert.equal(cache.originOf("https://example.com:443"), "https://example.com");
  assert.equal(cache.originOf("https://user:pw@example.com?x"), "https://example.com");
  assert.equal(cache.originOf(new URL("https://example.com:8443/p")), "https://example.com:8443");
  // The memo is keyed on the raw prefix; a second lookup must give the same answer.
  assert.equal(cache.originOf("HTTP://Example.COM:80/y"), "http://example.com");
  for (const bad of ["ftp://example.com/x", "mailto:a@example.com", "/relative/path", "not a url"]) {
    assert.throws(
      () => cache.originOf(bad),
      (e: unknown) => e instanceof GleanerError && e.code === "GLEANER_ERR_ROBOTS_URL" && e.action === "skip",
      bad,
    );
  }
  assert.throws(() => cache.rulesFor("ftp://example.com/x"), GleanerError);
});
