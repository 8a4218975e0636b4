import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { crawl, loadSpecFile, resumeJob, validateSpec } from "../src/index.js";
import { startPracticeSite } from "../src/practice/index.js";
import { SqliteStore } from "../src/store/index.js";
import { tempDir } from "./support/tmp.js";

test("hooks: onPage adds items and links, onItem changes and drops items, all in the page's commit", async (t) => {
  const site = await startPracticeSite({ pages: 100 });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const seenPages: string[] = [];
  const summary = await crawl(
    {
      name: "hooks",
      start: [site.url + "/quotes/page/1/"],
      follow: [], // nothing followed by the spec: the hook adds the one link
      extract: { quote: { each: "div.quote", fields: { text: "span.text", author: "small.author" } } },
    },
    {
      db: store,
      hooks: {
        onPage(page) {
          seenPages.push(page.finalUrl);
          page.addItem("page", { url: page.finalUrl, status: page.status, quotes: page.items.length });
          if (page.depth === 0) page.addLink("/quotes/page/2/");
        },
        onItem(item) {
          if (item.type !== "quote") return undefined;
          if (String(item.data.author).startsWith("A")) return null;
          return { type: item.type, data: { ...item.data, author: String(item.data.author).toUpperCase() } };
        },
      },
    },
  );
  assert.equal(summary.state, "done");
  assert.deepEqual(seenPages.sort(), [site.url + "/quotes/page/1/", site.url + "/quotes/page/2/"]);
  const pages = [...store.iterateItems(summary.job, { type: "page" })].map((r) => JSON.parse(r.json));
  assert.deepEqual(pages.map((p) => p.quotes), [10, 10]);
  const quotes = [...store.iterateItems(summary.job, { type: "quote" })].map((r) => JSON.parse(r.json));
  // The same two pages without hooks, transformed by hand, must give exactly the hooked items.
  const plain = await crawl(
    { name: "plain", start: [site.url + "/quotes/page/1/", site.url + "/quotes/page/2/"], follow: [], extract: { quote: { each: "div.quote", fields: { text: "span.text", author: "small.author" } } } },
    { db: store },
  );
  const raw = [...store.iterateItems(plain.job, { type: "quote" })].map((r) => JSON.parse(r.json) as { text: string; author: string });
  assert.equal(raw.length, 20);
  const expected = raw.filter((q) => !q.author.startsWith("A")).map((q) => ({ ...q, author: q.author.toUpperCase() }));
  assert.deepEqual(quotes.map((q) => q.text).sort(), expected.map((q) => q.text).sort());
  assert.deepEqual(quotes.map((q) => q.author).sort(), expected.map((q) => q.author).sort());
});

test("a page whose processing throws is recorded as an error and the crawl goes on", async (t) => {
  const site = await startPracticeSite({ pages: 100 });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl(
    {
      name: "breaks",
      start: [site.url + "/quotes/page/1/"],
      scope: { include: ["/quotes/*"] },
      extract: { quote: { each: "div.quote", fields: { text: "span.text" } } },
    },
    {
      db: store,
      hooks: {
        onPage(page) {
          if (page.finalUrl.endsWith("/quotes/page/2/")) throw new RangeError("parser exploded on purpose");
        },
      },
    },
  );
  assert.equal(summary.state, "done");
  const failed = store.listRequests(summary.job, { state: "failed", limit: 10 });
  assert.equal(failed.length, 1);
  assert.match(failed[0]!.url, /\/quotes\/page\/2\/$/);
  assert.match(failed[0]!.error ?? "", /parser exploded on purpose/);
  assert.ok(summary.pages > 3, "pages after the broken one were still crawled");
  const quotePages = site.manifest.pages.filter((p) => p.startsWith("/quotes/page/")).length;
  assert.equal(summary.pages, quotePages - 1, "every other quote page was crawled");
});

test("a spec loaded with loadSpecFile crawls as is, and its job resumes from the spec as written", async (t) => {
  const site = await startPracticeSite({ pages: 100 });
  t.after(() => site.close());
  const dir = tempDir(t);
  const file = join(dir, "spec.yaml");
  writeFileSync(file, `name: loaded\nstart: ${site.url}/quotes/page/1/\nscope:\n  maxPages: 3\nextract:\n  quote:\n    each: div.quote\n    fields:\n      text: span.text\n`);
  const store = new SqliteStore(join(dir, "g.db"));
  t.after(() => store.close());
  const spec = loadSpecFile(file);
  const first = await crawl(spec, { db: store, extractWorkers: 0 });
  assert.equal(first.state, "done");
  assert.equal(first.pages, 3);
  assert.ok(first.items > 0);
  // The job keeps the spec as written (not the normalized form), so it validates again.
  const stored = store.getJob(first.job)!.spec as Record<string, unknown>;
  assert.deepEqual(stored.scope, { maxPages: 3 });
  assert.equal(validateSpec(stored).scope.maxPages, 3);
  assert.equal(validateSpec(spec), spec);
  // A loaded spec is frozen: a change would not reach the job's stored spec, so it throws.
  assert.throws(() => void ((spec.scope as { maxPages: number }).maxPages = 1), TypeError);
  await assert.rejects(resumeJob(first.job, { db: store }), /already done/);
});
