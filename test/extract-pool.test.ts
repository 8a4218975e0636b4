import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { crawl } from "../src/index.js";
import { compileExtractor, matchUrlGlob } from "../src/extract/index.js";
import { compileScope } from "../src/frontier/index.js";
import { EXTRACT_LOST, ExtractPool, ExtractPreparer, extractWorkersFromArgs, NewLinks, scopedResolver, spareWorkers, startSpareWorkers, type WorkerInit } from "../src/engine/extract-pool/index.js";
import { extractPage, type ProcessorDeps } from "../src/engine/page-processor.js";
import type { FetchedPage } from "../src/fetch/index.js";
import { startPracticeSite } from "../src/practice/index.js";
import { validateSpec } from "../src/spec/index.js";
import { SqliteStore } from "../src/store/index.js";
import { RecentSet } from "../src/shared/recent-set.js";
import { practiceSpec } from "./support/practice-spec.js";
import { tempDir } from "./support/tmp.js";

function initOf(spec: ReturnType<typeof validateSpec>): WorkerInit {
  return { items: spec.extract, follow: spec.follow, probes: [], scope: spec.scope, maxDepth: spec.scope.maxDepth };
}

function preparerOf(init: WorkerInit): ExtractPreparer {
  const resolveLink = scopedResolver(compileScope(init.scope));
  return new ExtractPreparer(compileExtractor(init.items, init.follow, { matchUrl: matchUrlGlob, probes: init.probes, resolveLink }), new NewLinks(init.maxDepth));
}

const QUOTES_PAGE = `<html><body><div class="quote"><span class="text">“A quote.”</span><small class="author">Ann Author</small>
  <a href="/author/ann">about</a> <a href="/tag/x/">x</a></div><li class="next"><a href="/page/2/">Next</a></li></body></html>`;

test("pages extracted in worker threads give exactly what this thread gives", async (t) => {
  const site = await startPracticeSite({ pages: 300 });
  t.after(() => site.close());
  const spec = validateSpec(practiceSpec(site.url));
  const init = initOf(spec);
  const here = preparerOf(init);
  const pool = new ExtractPool({ workers: 1, init }); // one worker: it sees the pages in this order
  t.after(() => pool.close());
  assert.equal(pool.started, false, "a worker takes a while to start (the crawl extracts on its own thread meanwhile)");

  const paths = site.manifest.pages.slice(0, 80);
  const pages = await Promise.all(paths.map(async (p) => ({ url: site.url + p, html: await (await fetch(site.url + p)).text() })));
  const remote = await Promise.all(pages.map((p) => pool.extract(p.html, p.url, 1)));
  assert.equal(pool.started, true);
  let items = 0;
  let links = 0;
  pages.forEach((p, i) => {
    const local = here.prepare(p.html, p.url, 1);
    assert.deepEqual(remote[i], local, p.url);
    items += local.items.length;
    links += local.links.length;
  });
  assert.ok(items > 50 && links > 100, `the sample has items (${items}) and links (${links})`);
  // Links come back canonical and in scope only.
  for (const r of remote) for (const l of r.links) assert.ok(l.url.startsWith(site.url + "/"), l.url);
});

test("a page that exhausts a worker's heap fails alone; the pages queued behind it are handed back, and a fresh worker takes the next ones", async (t) => {
  const spec = validateSpec({ name: "q", start: ["http://127.0.0.1:9/"], extract: { quote: { each: ".quote", fields: { text: { selector: ".text" } } } } });
  const pool = new ExtractPool({ workers: 1, init: initOf(spec), maxHeapMB: 64 });
  t.after(() => pool.close());
  const bomb = "<div><b class=quote>".repeat(600_000); // 12 MB of markup, millions of DOM nodes
  const before = pool.extract(QUOTES_PAGE, "http://127.0.0.1:9/a", 1);
  const boom = pool.extract(bomb, "http://127.0.0.1:9/bomb", 1);
  const behind = [1, 2, 3].map((i) => pool.extract(QUOTES_PAGE, `http://127.0.0.1:9/b${i}`, 1));

  assert.equal((await before).items.length, 1);
  await assert.rejects(boom, (err: Error & { code?: string }) => {
    assert.equal(err.code, "GLEANER_ERR_EXTRACT");
    assert.match(err.message, /extraction failed on http:\/\/127\.0\.0\.1:9\/bomb: the extraction worker died/);
    return true;
  });
  // The pool kept no copy of their text: the crawl must fetch them again.
  for (const [i, p] of behind.entries()) {
    await assert.rejects(p, (err: Error & { code?: string; action?: string }) => {
      assert.equal(err.code, EXTRACT_LOST);
      assert.equal(err.action, "retry");
      assert.match(err.message, new RegExp(`^http://127\\.0\\.0\\.1:9/b${i + 1} was waiting for extraction when the extraction worker died on http://127\\.0\\.0\\.1:9/bomb`));
      return true;
    });
  }
  // While the replacement starts, the crawl keeps sending pages to the pool, not to its own thread.
  assert.equal(pool.started, true);
  const next = await pool.extract(QUOTES_PAGE, "http://127.0.0.1:9/c", 1);
  assert.deepEqual(next.items, [{ type: "quote", json: JSON.stringify({ text: "“A quote.”" }) }]);
});

test("a page stuck in a runaway regex is given up after the page timeout; the page behind it is handed back, the next one extracted", async (t) => {
  const spec = validateSpec({ name: "q", start: ["http://127.0.0.1:9/"], extract: { q: { fields: { x: { selector: "p", regex: "/^(a+)+$/" } } } } });
  const pool = new ExtractPool({ workers: 1, init: initOf(spec), pageTimeoutMs: 400 });
  t.after(() => pool.close());
  const stuck = pool.extract(`<p>${"a".repeat(40)}!</p>`, "http://127.0.0.1:9/slow", 1);
  const behind = pool.extract("<p>aaa</p>", "http://127.0.0.1:9/fine", 1);
  await assert.rejects(stuck, /extraction failed on http:\/\/127\.0\.0\.1:9\/slow: the extraction worker died \(still extracting after 0\.4 s\)/);
  await assert.rejects(behind, { code: EXTRACT_LOST });
  assert.deepEqual((await pool.extract("<p>aaa</p>", "http://127.0.0.1:9/fine", 1)).items, [{ type: "q", json: JSON.stringify({ x: "aaa" }) }]);
});

test("workers that cannot start hand their pages back, and the crawl extracts them on its own thread", async (t) => {
  const spec = validateSpec({ name: "q", start: ["http://127.0.0.1:9/"], extract: { quote: { each: ".quote", fields: { text: { selector: ".text" } } } } });
  // A selector the worker cannot compile (validation would refuse it; here it reaches the worker).
  const broken: WorkerInit = { ...initOf(spec), items: [{ type: "bad", each: "div[[", fields: {} }] };
  const pool = new ExtractPool({ workers: 2, init: broken });
  t.after(() => pool.close());
  // A page sent before any worker started (the crawl waits for one) is lost with them: the pool keeps no text.
  await assert.rejects(pool.extract(QUOTES_PAGE, "http://127.0.0.1:9/a", 1), (err: Error & { code?: string }) => {
    assert.equal(err.code, EXTRACT_LOST);
    assert.match(err.message, /when the extraction workers stopped \(an extraction worker could not start/);
    return true;
  });
  await assert.rejects(pool.extract(QUOTES_PAGE, "http://127.0.0.1:9/b", 1), { code: "GLEANER_ERR_EXTRACT_POOL" });

  const deps: ProcessorDeps = {
    extractor: compileExtractor(spec.extract, spec.follow, { matchUrl: matchUrlGlob }),
    scope: compileScope(spec.scope),
    traps: { check: () => null } as unknown as ProcessorDeps["traps"],
    maxDepth: 5,
    hooks: {},
    seen: new RecentSet(1000),
    canonical: new Map(),
    knownFields: new Set(),
    pool,
  };
  const page: FetchedPage = { url: "http://127.0.0.1:9/c", finalUrl: "http://127.0.0.1:9/c", status: 200, headers: {}, redirects: [], contentType: "text/html", charset: "utf-8", isHtml: true, text: QUOTES_PAGE, bodyBytes: QUOTES_PAGE.length, elapsedMs: 1 };
  const got = await extractPage(page, deps, 1);
  assert.equal(got.prepared, undefined);
  assert.deepEqual(got.items, [{ type: "quote", data: { text: "“A quote.”" } }]);
  assert.equal(got.warning, undefined);
});

test("a crawl with extraction workers stores exactly what a crawl without them stores", async (t) => {
  const site = await startPracticeSite({ pages: 300 });
  t.after(() => site.close());
  const dir = tempDir(t);
  const rows = async (workers: number) => {
    const store = new SqliteStore(join(dir, `w${workers}.db`));
    try {
      const s = await crawl(practiceSpec(site.url), { db: store, extractWorkers: workers });
      assert.equal(s.state, "done");
      const items = (store.db.prepare("SELECT type, url, data FROM items WHERE job_id = ?").all(s.job) as { type: string; url: string; data: string }[])
        .map((r) => `${r.type} ${r.url} ${r.data}`).sort();
      const pages = (store.db.prepare("SELECT url, state, status FROM requests WHERE job_id = ?").all(s.job) as { url: string; state: string; status: number | null }[])
        .map((r) => `${r.url} ${r.state} ${r.status}`).sort();
      return { items, pages };
    } finally {
      store.close();
    }
  };
  const inline = await rows(0);
  const pooled = await rows(2);
  assert.ok(inline.items.length > 500, `items: ${inline.items.length}`);
  assert.deepEqual(pooled.items, inline.items);
  assert.deepEqual(pooled.pages, inline.pages);
});

test("a crawl fetches again the pages that were queued behind a worker that died, without counting a failure", async (t) => {
  // "/" links to a page whose field regex backtracks for ~1.5 s, then to 20 ordinary pages. The
  // worker is given 200 ms per page: it is replaced on /slow, and the pages it had queued behind
  // /slow are lost with it (the main thread keeps no copy of their text).
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const send = (body: string) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
    if (path === "/") {
      const links = ["/slow", ...Array.from({ length: 20 }, (_, i) => `/p${i}`)].map((h) => `<a href="${h}">${h}</a>`).join(" ");
      setTimeout(() => send(`<html><body>${links}</body></html>`), 500); // by then the worker is up: "/" goes to it, not to this thread
    } else if (path === "/slow") send(`<html><body><p class="x">${"a".repeat(28)}!</p></body></html>`);
    else if (/^\/p\d+$/.test(path)) send(`<html><body><p class="x">aaa</p><p>${path}</p></body></html>`);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spec = {
    name: "lost",
    start: [base + "/"],
    politeness: { robots: "ignore", perHost: { rate: "unlimited", concurrency: 8 }, concurrency: 8 },
    extract: { q: { when: "/p*", fields: { x: { selector: "p.x", regex: "/^(a+)+$/" } } }, s: { when: "/slow", fields: { x: { selector: "p.x", regex: "/^(a+)+$/" } } } },
  };
  const store = new SqliteStore(join(tempDir(t), "lost.db"));
  t.after(() => store.close());
  const s = await crawl(spec, { db: store, extractWorkers: 1, extractPageTimeoutMs: 200 });

  assert.equal(s.state, "done");
  assert.equal(s.failed, 0, "a page handed back is not a failed attempt");
  assert.equal(s.pages, 22);
  const refetched = [...hits].filter(([p, n]) => p.startsWith("/p") && n > 1).length;
  assert.ok(refetched > 0, `some pages were queued behind /slow and fetched again (hits: ${JSON.stringify([...hits])})`);
  const items = store.db.prepare("SELECT url, data FROM items WHERE job_id = ? AND type = 'q' ORDER BY url").all(s.job) as { url: string; data: string }[];
  assert.equal(items.length, 20, "every ordinary page stored its item once");
  for (const it of items) assert.equal(it.data, JSON.stringify({ x: "aaa" }), it.url);
  const errors = store.db.prepare("SELECT url, code, message FROM errors WHERE job_id = ?").all(s.job) as { url: string; code: string; message: string }[];
  assert.deepEqual(errors.map((e) => [e.url, e.code]), [[base + "/slow", "GLEANER_ERR_EXTRACT"]]);
  assert.match(errors[0]!.message, /the extraction worker died \(still extracting after 0\.2 s\)/);
});

test("bad numeric crawl options are refused by name before the store is opened", async (t) => {
  const db = join(tempDir(t), "never.db");
  const spec = { name: "o", start: ["http://127.0.0.1:9/"] };
  await assert.rejects(crawl(spec, { db, extractPageTimeoutMs: -5 }), { code: "GLEANER_ERR_OPTION", message: "crawl option extractPageTimeoutMs must be a number of milliseconds, at least 10 (got -5)" });
  await assert.rejects(crawl(spec, { db, extractWorkers: 1.5 }), /crawl option extractWorkers must be an integer from 0 to 16 \(got 1\.5\)/);
  await assert.rejects(crawl(spec, { db, processingBudgetChars: Number.NaN }), /crawl option processingBudgetChars must be a positive number of characters \(got NaN\)/);
  assert.equal(existsSync(db), false, "nothing was created");
});

test("the workers' link resolver keys its cache by what fixes an href's meaning", () => {
  const spec = validateSpec({ name: "q", start: ["http://x.test/"], scope: { domains: ["x.test", "y.test"], exclude: ["/private/*"] } });
  const resolve = scopedResolver(compileScope(spec.scope));
  assert.equal(resolve("/a?b=2&a=1#top", "http://x.test/p"), "http://x.test/a?a=1&b=2");
  assert.equal(resolve("/a?b=2&a=1#top", "http://y.test/q"), "http://y.test/a?a=1&b=2"); // same href, other origin
  assert.equal(resolve("b", "http://x.test/dir/p"), "http://x.test/dir/b");
  assert.equal(resolve("b", "http://x.test/other/p"), "http://x.test/other/b"); // same href, other directory
  assert.equal(resolve("//y.test/c", "http://x.test/p"), "http://y.test/c");
  assert.equal(resolve("//z.test/c", "http://x.test/p"), null); // out of scope
  assert.equal(resolve("/private/x", "http://x.test/p"), null);
  assert.equal(resolve("mailto:a@x.test", "http://x.test/p"), null);
  assert.equal(resolve("HTTP://X.TEST:80/%7Euser", "http://y.test/"), "http://x.test/~user");
});

test("a worker reports each followable link once; pages at the depth limit report none and remember none", () => {
  const links = new NewLinks(2);
  const a = { url: "http://x.test/a", priority: 0 };
  const b = { url: "http://x.test/b", priority: 1 };
  assert.deepEqual(links.filter([a], 3), []); // too deep: dropped, not remembered
  assert.deepEqual(links.filter([a, b], 2), [a, b]);
  assert.deepEqual(links.filter([b, a, { url: "http://x.test/c", priority: 0 }], 1), [{ url: "http://x.test/c", priority: 0 }]);
  const small = new NewLinks(5, 2); // past the cap it starts over
  small.filter([a, b], 1);
  assert.deepEqual(small.filter([{ url: "http://x.test/c", priority: 0 }, a], 1), [{ url: "http://x.test/c", priority: 0 }, a]);
});

test("the link cache keeps only the hrefs, not the pages they were read from", () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const spec = validateSpec({ name: "big", start: ["http://x.test/"] });
  const preparer = preparerOf(initOf(spec));
  const filler = "<p>" + "lorem ipsum dolor sit amet ".repeat(40_000) + "</p>"; // ~1 MB of page per page
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 100; i++) {
    // A fresh page string each time, as from the network; its hrefs are new to the cache.
    const html = `<html><body><a href="/item/${i}/details-of-the-item">item</a>${filler}<a href="/p-${i}">x</a></body></html>`;
    const r = preparer.prepare(html, `http://x.test/list/${i}`);
    assert.equal(r.links.length, 2);
  }
  gc();
  const grownMB = (process.memoryUsage().heapUsed - before) / 1e6;
  // Retaining the pages would keep ~100 MB alive; the cache itself needs a few kilobytes.
  assert.ok(grownMB < 20, `heap grew ${grownMB.toFixed(1)} MB after 100 pages of 1 MB`);
});

test("a pool takes the spare workers the CLI started early and sends them the spec", async (t) => {
  const spec = validateSpec({ name: "s", start: ["http://x.test/"], extract: { quote: { each: "div.quote", fields: { text: "span.text", author: "small.author" } } } });
  const init = initOf(spec);
  startSpareWorkers(1);
  startSpareWorkers(1); // tops up, does not pile up
  assert.equal(spareWorkers(), 1);
  const pool = new ExtractPool({ workers: 1, init });
  t.after(() => pool.close());
  assert.equal(spareWorkers(), 0, "the pool took the spare");
  const got = await pool.extract(QUOTES_PAGE, "http://x.test/", 1);
  assert.deepEqual(got, preparerOf(init).prepare(QUOTES_PAGE, "http://x.test/", 1));
  assert.equal(got.items.length, 1);
  assert.equal(pool.started, true);
});

test("the CLI starts as many spares as --extract-workers asks, none for 0", () => {
  assert.equal(extractWorkersFromArgs(["spec.yaml", "--extract-workers", "2"]), 2);
  assert.equal(extractWorkersFromArgs(["spec.yaml", "--extract-workers=0"]), 0);
  assert.equal(extractWorkersFromArgs(["spec.yaml", "--extract-workers", "x"]), 0);
  assert.ok(extractWorkersFromArgs(["spec.yaml"]) <= 3);
});
