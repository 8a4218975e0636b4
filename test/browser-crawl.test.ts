import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { crawl } from "../src/index.js";
import { createBrowserFetcher } from "../src/fetch/browser/index.js";
import { startPracticeSite, type PracticeSite } from "../src/practice/index.js";
import { SqliteStore } from "../src/store/index.js";
import { stable } from "./support/verify-crawl.js";
import { tempDir } from "./support/tmp.js";

/** The practice spec's quote extraction with the browser settings the JS pages need. */
function jsSpec(site: PracticeSite, mode: "browser" | "auto", start: string[], scope: Record<string, unknown>): Record<string, unknown> {
  return {
    name: `js-${mode}`,
    start: start.map((p) => site.url + p),
    scope,
    extract: { quote: { each: "div.quote", fields: { text: "span.text", author: "small.author", tags: { selector: "a.tag", all: true } } } },
    fetch: {
      mode,
      timeout: "20s",
      rules: [
        { when: "/js/loadmore/*", actions: [{ click: "button.load-more", repeat: "until-gone" }] },
        { when: "/js/scroll/*", actions: [{ scroll: "bottom", times: 20, wait: "100ms" }, { waitFor: ".end-of-list" }] },
        { when: "/js/xhr/*", waitFor: "#app[data-loaded]" },
        { when: "/js/shell", waitFor: "div.quote" },
      ],
    },
    politeness: { perHost: { concurrency: 4 } },
    retries: { max: 2, base: "50ms" },
  };
}

function itemsByPage(store: SqliteStore, job: number, origin: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of store.iterateItems(job, { type: "quote" })) {
    const path = r.url.slice(origin.length);
    out.set(path, [...(out.get(path) ?? []), stable(JSON.parse(r.json))]);
  }
  return out;
}

test("browser mode: every JavaScript page yields exactly the items of its static twin", async (t) => {
  const site = await startPracticeSite({ pages: 50, modes: ["js"] });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const js = site.manifest.modes!.js!;
  const summary = await crawl(jsSpec(site, "browser", js.pages.map((p) => p.path), { include: ["/js/*"], maxDepth: 0 }), { db: store });
  assert.equal(summary.state, "done", JSON.stringify(summary));
  const got = itemsByPage(store, summary.job, site.url);
  for (const p of js.pages) {
    assert.deepEqual(got.get(p.path) ?? [], p.items.map(stable), `${p.path} (${p.interaction})`);
    if (p.twin) {
      const twin = store.listRequests(summary.job, { limit: 100 }).find((r) => r.url === site.url + p.path);
      assert.equal(twin?.fetcher, "browser");
    }
  }
  // The static twins over plain HTTP give the same quotes.
  const statics = await crawl({ ...jsSpec(site, "browser", js.pages.filter((p) => p.twin).map((p) => p.twin!), { maxDepth: 0 }), name: "static", fetch: { mode: "http" } }, { db: store });
  const twins = itemsByPage(store, statics.job, site.url);
  for (const p of js.pages.filter((x) => x.twin)) assert.deepEqual(got.get(p.path), twins.get(p.twin!), `${p.path} = ${p.twin}`);
});

test("auto mode: only the pages that need JavaScript are rendered in the browser", async (t) => {
  const site = await startPracticeSite({ pages: 50, modes: ["js"] });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const navigations: string[] = [];
  const browser = createBrowserFetcher({ maxPages: 4, onNavigation: (url) => navigations.push(url.slice(site.url.length)) });
  t.after(() => browser.close());
  const summary = await crawl(jsSpec(site, "auto", ["/"], {}), { db: store, browser });
  assert.equal(summary.state, "done");
  const needs = new Set(site.manifest.modes!.js!.needsBrowser);
  assert.deepEqual([...new Set(navigations)].sort(), [...needs].sort(), "the browser saw exactly the JavaScript pages");
  assert.equal(navigations.length, needs.size, "each once");
  const rows = store.listRequests(summary.job, { state: "done", limit: 10_000 });
  for (const r of rows) {
    const path = r.url.slice(site.url.length);
    assert.equal(r.fetcher, needs.has(path) ? "browser" : "http", path);
  }
  assert.ok(rows.length > 40, "the static site was crawled too");
  // Every quote of the static site, plus the quotes the scripts built.
  const quotes = [...store.iterateItems(summary.job, { type: "quote" })].length;
  const jsItems = site.manifest.modes!.js!.pages.reduce((n, p) => n + p.items.length, 0);
  assert.equal(quotes, site.manifest.items.quote.length + jsItems);
});

test("the browser killed mid-crawl: the crawl recovers and loses nothing", async (t) => {
  const site = await startPracticeSite({ pages: 50, modes: ["js"] });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  let kills = 0;
  const browser = createBrowserFetcher({
    maxPages: 2,
    onNavigation: () => {
      // Kill Chromium on the 4th navigation, while pages are loading.
      if (browser.stats().navigations === 4 && kills === 0) {
        const pid = browser.stats().browserPid;
        if (pid) {
          kills++;
          setTimeout(() => process.kill(pid, "SIGKILL"), 20);
        }
      }
    },
  });
  t.after(() => browser.close());
  const js = site.manifest.modes!.js!;
  const summary = await crawl(jsSpec(site, "browser", js.pages.map((p) => p.path), { include: ["/js/*"], maxDepth: 0 }), { db: store, browser });
  assert.equal(kills, 1, "the browser was killed");
  assert.ok(browser.stats().restarts >= 1, "and restarted");
  assert.equal(summary.state, "done");
  assert.equal(summary.failed, 0);
  const got = itemsByPage(store, summary.job, site.url);
  for (const p of js.pages) assert.deepEqual(got.get(p.path) ?? [], p.items.map(stable), p.path);
});
