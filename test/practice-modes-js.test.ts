/**
 * `js` mode over plain HTTP: the pages carry what their scripts need (inline JSON, the
 * API they fetch, the bundle), the scripts compile, no quote is in the static HTML, and
 * the manifest's per-page items equal the static twins'. Rendering itself is checked
 * with Chromium elsewhere.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Script } from "node:vm";
import { selectAll, selectOne } from "css-select";
import type { Element } from "domhandler";
import { getAttributeValue, textContent } from "domutils";
import { parseDocument } from "htmlparser2";
import { startPracticeSite, type PracticeSite, type QuoteItem } from "../src/practice/index.js";
import { raw, quotesIn } from "./support/practice-http.js";




interface ApiQuote { author: { name: string; slug: string }; tags: string[]; text: string }
const asItems = (list: ApiQuote[]): QuoteItem[] => list.map((q) => ({ text: q.text, author: q.author.name, tags: q.tags }));

/** Inline scripts' source; each must compile as a classic script. */
function inlineScripts(html: string): string[] {
  const out = selectAll("script", parseDocument(html)).filter((s) => getAttributeValue(s as unknown as Element, "src") === undefined).map((s) => textContent(s));
  for (const src of out) new Script(src); // throws on a syntax error
  return out;
}

/** The `var data = [...];` blob the quotes.toscrape.com/js/ style pages carry. */
function inlineData(html: string): ApiQuote[] {
  const [script] = inlineScripts(html);
  const m = /^var data = (.*);$/m.exec(script!);
  assert.ok(m, "inline data present");
  return JSON.parse(m[1]!) as ApiQuote[];
}

async function jsSite(t: { after(fn: () => unknown): void }, pages: number): Promise<PracticeSite> {
  const s = await startPracticeSite({ pages, modes: ["js"] });
  t.after(() => s.close());
  return s;
}

test("js: inline-data and XHR pages carry their twin's quotes, the API serves them, nothing is static", async (t) => {
  const s = await jsSite(t, 300);
  const mj = s.manifest.modes!.js!;
  const entries = new Map(mj.pages.map((e) => [e.path, e]));
  assert.deepEqual(mj.needsBrowser, mj.pages.map((e) => e.path));
  for (const p of mj.needsBrowser) assert.ok(s.manifest.pages.includes(p), `${p} is a page`);
  assert.deepEqual(mj.api, Array.from({ length: 10 }, (_, i) => `/api/quotes?page=${i + 1}`));

  for (let n = 1; n <= 10; n++) {
    const twin = await raw(`${s.url}/quotes/page/${n}/`);
    const expected = quotesIn(twin.body);
    assert.equal(expected.length, 10);

    const inline = await raw(`${s.url}/js/quotes/page/${n}/`);
    assert.equal(inline.status, 200);
    assert.deepEqual(quotesIn(inline.body), [], "no quote in the static HTML");
    assert.ok(selectOne("div#app", parseDocument(inline.body)), "an #app to render into");
    assert.deepEqual(asItems(inlineData(inline.body)), expected, `inline data of page ${n} = /quotes/page/${n}/`);
    assert.ok(inlineData(inline.body).every((q) => /^[a-z0-9-]+$/.test(q.author.slug)), "author links can be built");
    assert.deepEqual(entries.get(`/js/quotes/page/${n}/`), { path: `/js/quotes/page/${n}/`, twin: `/quotes/page/${n}/`, interaction: "load", initialItems: 10, items: expected });

    const xhr = await raw(`${s.url}/js/xhr/quotes/page/${n}/`);
    assert.deepEqual(quotesIn(xhr.body), []);
    const [script] = inlineScripts(xhr.body);
    assert.match(script!, new RegExp(`fetchQuotes\\(${n}\\)`));
    assert.match(script!, /fetch\("\/api\/quotes\?page=" \+ page\)/);
    assert.deepEqual(entries.get(`/js/xhr/quotes/page/${n}/`)!.items, expected);

    const api = await raw(`${s.url}/api/quotes?page=${n}`);
    assert.equal(api.headers["content-type"], "application/json");
    const body = JSON.parse(api.body) as { has_next: boolean; page: number; quotes: ApiQuote[] };
    assert.equal(body.page, n);
    assert.equal(body.has_next, n < 10);
    assert.deepEqual(asItems(body.quotes), expected, `API page ${n}`);

    // Static pagers link the JS twins, so plain HTTP crawls reach every JS page.
    const next = selectOne("li.next a", parseDocument(inline.body));
    assert.equal(next ? getAttributeValue(next as unknown as Element, "href") : undefined, n < 10 ? `/js/quotes/page/${n + 1}/` : undefined);
  }
  for (const missing of ["/js/quotes/page/11/", "/js/quotes/page/0/", "/js/xhr/quotes/page/11/", "/api/quotes?page=11", "/api/quotes", "/js/quotes/page/1"]) {
    assert.equal((await raw(s.url + missing)).status, 404, missing);
  }
});

test("js: load-more, infinite scroll and the app shell", async (t) => {
  const s = await jsSite(t, 300);
  const mj = s.manifest.modes!.js!;
  const entry = (p: string) => mj.pages.find((e) => e.path === p)!;
  const first50: QuoteItem[] = [];
  for (let n = 1; n <= 5; n++) first50.push(...quotesIn((await raw(`${s.url}/quotes/page/${n}/`)).body));

  const more = await raw(s.url + "/js/loadmore/");
  const doc = parseDocument(more.body);
  assert.ok(selectOne("button.load-more", doc), "the button is in the HTML");
  assert.deepEqual(quotesIn(more.body), []);
  assert.deepEqual(asItems(inlineData(more.body)), first50.slice(0, 10), "first batch inline");
  assert.match(inlineScripts(more.body)[0]!, /limit = 50;/);
  assert.deepEqual(entry("/js/loadmore/"), { path: "/js/loadmore/", twin: null, interaction: "click", initialItems: 10, items: first50 });

  const scroll = await raw(s.url + "/js/scroll/");
  assert.ok(selectOne("p.loading", parseDocument(scroll.body)));
  assert.deepEqual(quotesIn(scroll.body), []);
  const [scrollScript] = inlineScripts(scroll.body);
  assert.match(scrollScript!, /addEventListener\("scroll"/);
  assert.match(scrollScript!, /limit = 50;/);
  assert.deepEqual(entry("/js/scroll/"), { path: "/js/scroll/", twin: null, interaction: "scroll", initialItems: 10, items: first50 });
  // Pages 2..5 of the API are what the clicks and scrolls add.
  const streamed: QuoteItem[] = [];
  for (let n = 1; n <= 5; n++) streamed.push(...asItems((JSON.parse((await raw(`${s.url}/api/quotes?page=${n}`)).body) as { quotes: ApiQuote[] }).quotes));
  assert.deepEqual(streamed, first50);

  const shell = await raw(s.url + "/js/shell");
  assert.ok(shell.body.length < 1024, `a tiny shell (${shell.body.length} bytes)`);
  const shellDoc = parseDocument(shell.body);
  assert.match(textContent(selectOne("noscript", shellDoc)!), /enable JavaScript/);
  assert.equal(getAttributeValue(selectOne("script", shellDoc) as unknown as Element, "src"), "/js/app.js");
  assert.deepEqual(selectAll("a", shellDoc), [], "nothing to follow without a browser");
  const bundle = await raw(s.url + "/js/app.js");
  assert.equal(bundle.headers["content-type"], "application/javascript; charset=utf-8");
  new Script(bundle.body);
  assert.match(bundle.body, /fetchQuotes\(1\)/);
  assert.deepEqual(mj.scripts, ["/js/app.js"]);
  assert.deepEqual(entry("/js/shell"), { path: "/js/shell", twin: "/quotes/page/1/", interaction: "load", initialItems: 10, items: first50.slice(0, 10) });
});

test("js: small sites cap the JS pages and streams at what exists; JSON cannot end the script", async (t) => {
  const s = await jsSite(t, 20);
  const mj = s.manifest.modes!.js!;
  const quotePages = s.manifest.pages.filter((p) => /^\/quotes\/page\/\d+\/$/.test(p)).length;
  assert.ok(quotePages < 5, `tiny site has ${quotePages} listing pages`);
  assert.equal(mj.api.length, quotePages);
  const more = mj.pages.find((e) => e.path === "/js/loadmore/")!;
  assert.equal(more.items.length, quotePages * 10);
  assert.match(inlineScripts((await raw(s.url + "/js/loadmore/")).body)[0]!, new RegExp(`limit = ${quotePages * 10};`));
  assert.equal(JSON.parse((await raw(`${s.url}/api/quotes?page=${quotePages}`)).body).has_next, false);
  // Inline JSON escapes "<", so no scraped-looking text can close the <script> early.
  for (const e of mj.pages) {
    const html = (await raw(s.url + e.path)).body;
    for (const src of inlineScripts(html)) {
      assert.ok(!/<\/script|<!--/i.test(src), e.path);
      const data = /^var data = (.*);$/m.exec(src);
      if (data) assert.ok(!data[1]!.includes("<"), `${e.path}: inline JSON has no "<"`);
    }
  }
});
