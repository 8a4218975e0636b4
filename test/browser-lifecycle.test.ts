/**
 * Browser fetcher life cycle against real Chromium: the page bound, page reuse, sessions,
 * recycling (navigation count, memory ceiling), crash recovery (SIGKILL) and close().
 * Needs /usr/bin/chromium: run scripts/ensure-chromium.sh first (CI does).
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { FetchError } from "../src/fetch/index.js";
import { createBrowserFetcher, DEFAULT_CHROMIUM, type BrowserFetcher, type BrowserFetcherOptions, type BrowserFetchRequest } from "../src/fetch/browser/index.js";
import { rejectsWith } from "./support/fetch-errors.js";

interface Site {
  base: string;
  /** Requests to /slow/* and /hold/* being answered right now, and the most seen at once. */
  inflight: number;
  maxInflight: number;
  /** Requests to /hold/* waiting for release(). */
  held: http.ServerResponse[];
  release(): void;
  close(): Promise<void>;
}

const PAIR_WAIT_MS = 5_000;

async function site(): Promise<Site> {
  let pairWaiters: (() => void)[] = [];
  const s: Site = {
    base: "", inflight: 0, maxInflight: 0, held: [],
    release() {
      for (const res of s.held.splice(0)) page(res, "released");
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const page = (res: http.ServerResponse, body: string): void => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!doctype html><p id="body">${body}</p>`);
  };
  const server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    const tracked = path.startsWith("/slow/") || path.startsWith("/hold/");
    if (tracked) {
      s.inflight++;
      s.maxInflight = Math.max(s.maxInflight, s.inflight);
      res.on("close", () => { s.inflight--; });
    }
    if (path.startsWith("/slow/")) {
      // Answer once a second request is in flight (or after a while): overlapping requests
      // show the bound is reached, not just respected.
      const answer = (): void => page(res, path);
      if (s.inflight >= 2) {
        for (const w of pairWaiters.splice(0)) w();
        answer();
      } else {
        const timer = setTimeout(answer, PAIR_WAIT_MS);
        pairWaiters.push(() => { clearTimeout(timer); answer(); });
      }
      return;
    }
    if (path.startsWith("/hold/")) {
      s.held.push(res);
      return;
    }
    if (path === "/set") {
      res.writeHead(200, { "content-type": "text/html", "set-cookie": "sid=abc; Path=/" });
      return void res.end("<p>set</p>");
    }
    if (path === "/show") {
      res.writeHead(200, { "content-type": "text/html" });
      return void res.end(`<p id="cookie">${req.headers.cookie ?? "none"}</p>`);
    }
    page(res, `page ${path}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  s.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return s;
}

function req(s: Site, path: string, extra: Partial<BrowserFetchRequest> = {}): BrowserFetchRequest {
  return { url: s.base + path, userAgent: "gleaner-test/1", timeoutMs: 15_000, maxRedirects: 10, maxBodyBytes: 1024 * 1024, ...extra };
}

/** Runs `body` with a fresh site and fetcher, closing both afterwards. */
async function withFetcher(opts: BrowserFetcherOptions, body: (s: Site, f: BrowserFetcher) => Promise<void>): Promise<void> {
  const s = await site();
  const f = createBrowserFetcher(opts);
  try {
    await body(s, f);
  } finally {
    s.release();
    await f.close();
    await s.close();
  }
}

/** Waits (the test timeout bounds it) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((resolve) => setTimeout(resolve, 10));
}

function profileDirOf(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  const arg = args.find((a) => a.startsWith("--user-data-dir="));
  assert.ok(arg, "the browser runs with its own --user-data-dir");
  return arg.slice("--user-data-dir=".length);
}


before(() => {
  if (!existsSync(DEFAULT_CHROMIUM)) {
    throw new Error(`Chromium is missing at ${DEFAULT_CHROMIUM}: run scripts/ensure-chromium.sh (installs Debian's chromium)`);
  }
});

test("with maxPages 2, six parallel fetches never put more than 2 requests on the site", async () => {
  let navigations = 0;
  await withFetcher({ maxPages: 2, onNavigation: () => { navigations++; } }, async (s, f) => {
    const pages = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => f.fetch(req(s, `/slow/${i}`))));
    for (const [i, p] of pages.entries()) assert.match(p.text!, new RegExp(`>/slow/${i + 1}<`));
    assert.equal(s.maxInflight, 2);
    assert.equal(navigations, 6);
    assert.equal(f.stats().navigations, 6);
    assert.ok(f.stats().pagesOpen <= 2, `pagesOpen ${f.stats().pagesOpen}`);
  });
});

test("sequential fetches reuse one page; sessions have their own cookies within the page bound", async () => {
  await withFetcher({ maxPages: 1 }, async (s, f) => {
    for (let i = 0; i < 3; i++) await f.fetch(req(s, `/p${i}`));
    assert.equal(f.stats().pagesOpen, 1);

    await f.fetch(req(s, "/set", { session: "a" }));
    const a = await f.fetch(req(s, "/show", { session: "a" }));
    const b = await f.fetch(req(s, "/show", { session: "b" }));
    assert.match(a.text!, /<p id="cookie">sid=abc<\/p>/);
    assert.match(b.text!, /<p id="cookie">none<\/p>/);
    assert.equal(f.stats().pagesOpen, 1); // the idle page of another session made room
  });
});

test("the browser restarts after recycleAfter navigations and fetches keep working", async () => {
  const pids: (number | null)[] = [];
  const dirs = new Set<string>();
  let f!: BrowserFetcher;
  const onNavigation = (): void => {
    const pid = f.stats().browserPid;
    pids.push(pid);
    if (pid !== null) dirs.add(profileDirOf(pid));
  };
  await withFetcher({ recycleAfter: 2, onNavigation }, async (s, fetcher) => {
    f = fetcher;
    for (let i = 1; i <= 5; i++) {
      const p = await f.fetch(req(s, `/n${i}`));
      assert.match(p.text!, new RegExp(`page /n${i}<`));
    }
    assert.equal(f.stats().restarts, 2);
    assert.equal(f.stats().navigations, 5);
    const [p1, p2, p3] = [pids[0]!, pids[2]!, pids[4]!];
    assert.deepEqual(pids, [p1, p1, p2, p2, p3]);
    assert.equal(new Set([p1, p2, p3]).size, 3);
    // Retired browsers are gone, with their profile directories.
    assert.equal(existsSync(`/proc/${p1}`), false);
    assert.equal(existsSync(`/proc/${p2}`), false);
    assert.equal(dirs.size, 3);
    const current = profileDirOf(p3);
    for (const d of dirs) if (d !== current) assert.equal(existsSync(d), false, `${d} removed`);
  });
  for (const d of dirs) assert.equal(existsSync(d), false, `${d} removed after close()`);
});

test("the browser restarts when its memory exceeds the ceiling", async () => {
  let f!: BrowserFetcher;
  let first: number | null = null;
  await withFetcher({ memoryCeilingMB: 1, onNavigation: () => { first ??= f.stats().browserPid; } }, async (s, fetcher) => {
    f = fetcher;
    await f.fetch(req(s, "/m1"));
    assert.ok(first !== null);
    await until(() => f.stats().browserPid === null); // retired, drained and closed
    const p = await f.fetch(req(s, "/m2"));
    assert.match(p.text!, /page \/m2</);
    assert.equal(f.stats().restarts, 1);
    assert.notEqual(f.stats().browserPid, first);
  });
});

test("a killed browser fails in-flight fetches with GLEANER_ERR_BROWSER_CRASHED and the next fetch relaunches", async () => {
  await withFetcher({ maxPages: 3 }, async (s, f) => {
    await f.fetch(req(s, "/warm"));
    const pid = f.stats().browserPid!;
    const dir = profileDirOf(pid);
    const inflight = [1, 2, 3].map((i) => f.fetch(req(s, `/hold/${i}`)));
    const queued = f.fetch(req(s, "/after-crash")); // waits for a page: runs on the next browser
    await until(() => s.held.length === 3);
    process.kill(pid, "SIGKILL");
    for (const p of inflight) {
      const err = await rejectsWith(p, "GLEANER_ERR_BROWSER_CRASHED", "retry");
      assert.equal(err.retryable, true);
    }
    const next = await queued;
    assert.match(next.text!, /page \/after-crash</);
    const again = await f.fetch(req(s, "/again"));
    assert.match(again.text!, /page \/again</);
    assert.equal(f.stats().restarts, 1);
    assert.notEqual(f.stats().browserPid, pid);
    await until(() => !existsSync(dir));
  });
});

test("close() ends in-flight and queued fetches, the browser and its profile; it is idempotent", async () => {
  const s = await site();
  const f = createBrowserFetcher({ maxPages: 1 });
  try {
    await f.fetch(req(s, "/first"));
    const pid = f.stats().browserPid!;
    const dir = profileDirOf(pid);
    const inflight = f.fetch(req(s, "/hold/x"));
    const queued = f.fetch(req(s, "/queued"));
    const failed = [rejectsWith(inflight, "GLEANER_ERR_FETCH_ABORTED", "retry"), rejectsWith(queued, "GLEANER_ERR_FETCH_ABORTED", "retry")];
    await until(() => s.held.length === 1);
    await Promise.all([f.close(), f.close()]);
    await f.close();
    const [a, b] = await Promise.all(failed);
    assert.match(a!.message, /\/hold\/x aborted: the browser fetcher was closed/);
    assert.match(b!.message, /\/queued aborted: the browser fetcher was closed/);
    await rejectsWith(f.fetch(req(s, "/late")), "GLEANER_ERR_FETCH_ABORTED", "retry");
    assert.equal(existsSync(`/proc/${pid}`), false);
    assert.equal(existsSync(dir), false);
    assert.deepEqual(f.stats(), { navigations: 2, restarts: 0, pagesOpen: 0, browserPid: null });
  } finally {
    await f.close();
    await s.close();
  }
});

test("a fetcher that is never used launches nothing and closes at once", async () => {
  const f = createBrowserFetcher();
  assert.equal(f.stats().browserPid, null);
  await f.close();
});

test("a missing Chromium fails with a message naming scripts/ensure-chromium.sh", async () => {
  const s = await site();
  const f = createBrowserFetcher({ executablePath: "/nonexistent/chromium" });
  try {
    const err = await rejectsWith(f.fetch(req(s, "/x")), "GLEANER_ERR_BROWSER_MISSING", "stop");
    assert.match(err.message, /scripts\/ensure-chromium\.sh/);
  } finally {
    await f.close();
    await s.close();
  }
});
