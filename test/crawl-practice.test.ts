import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { crawl } from "../src/index.js";
import { startPracticeSite } from "../src/practice/index.js";
import { SqliteStore } from "../src/store/index.js";
import { practiceSpec } from "./support/practice-spec.js";
import { tempDir } from "./support/tmp.js";
import { verifyCrawl } from "./support/verify-crawl.js";


test("a crawl of the practice site reaches every page and stores every item exactly once", async (t) => {
  const site = await startPracticeSite({ pages: 300, log: true });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl(practiceSpec(site.url), { db: store });
  assert.equal(summary.state, "done");
  verifyCrawl(store, summary.job, site.url, site.manifest);
  assert.equal(summary.items, Object.values(site.manifest.items).reduce((n, l) => n + l.length, 0));

  // Each page was fetched once: the server saw no repeated GET of a page (redirect targets aside,
  // since a redirect and a direct link both lead there).
  const targets = new Set(site.manifest.redirects.map((r) => r.to));
  const counts = new Map<string, number>();
  for (const e of site.requestLog) counts.set(e.path, (counts.get(e.path) ?? 0) + 1);
  const repeated = site.manifest.pages.filter((p) => !targets.has(p) && (counts.get(p) ?? 0) > 1);
  assert.deepEqual(repeated, []);

  // Charsets: the latin-1 pages were decoded (recorded as HTML pages with 200).
  const latin = store.db.prepare("SELECT status, content_type FROM requests WHERE job_id = ? AND url = ?").get(summary.job, site.url + "/latin1") as { status: number; content_type: string };
  assert.deepEqual(latin, { status: 200, content_type: "text/html" });
});

test("maxPages is exact and a second run of the same store starts a new job", async (t) => {
  const site = await startPracticeSite({ pages: 300 });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const a = await crawl(practiceSpec(site.url, { scope: { maxPages: 37 } }), { db: store });
  assert.equal(a.pages + a.failed, 37);
  assert.equal(store.stats(a.job).started, 37);
  const b = await crawl(practiceSpec(site.url, { scope: { maxPages: 5 } }), { db: store });
  assert.notEqual(a.job, b.job);
  assert.equal(b.pages + b.failed, 5);
});

test("with a memory budget smaller than one page, pages are processed a few at a time and the crawl still completes", async (t) => {
  const site = await startPracticeSite({ pages: 120 });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl(practiceSpec(site.url), { db: store, processingBudgetChars: 1 });
  assert.equal(summary.state, "done");
  verifyCrawl(store, summary.job, site.url, site.manifest);
  assert.equal(summary.items, Object.values(site.manifest.items).reduce((n, l) => n + l.length, 0));
});
