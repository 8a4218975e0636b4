/** Links, base URL and title; plus the quotes-like page fetched from a loopback server. */
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { compileExtractor, type DiscoveredLink } from "../src/extract/index.js";
import type { FieldSpec, FollowSpec } from "../src/spec/types.js";
import { QUOTE_FOLLOW, QUOTE_ITEMS, quotesPage } from "../bench/extract-micro.js";

const PAGE = "https://site.test/dir/page.html";

function links(follow: FollowSpec[] | null, html: string, url = PAGE): DiscoveredLink[] {
  return compileExtractor([], follow).extract(html, url).links;
}
const urls = (ls: DiscoveredLink[]): string[] => ls.map((l) => l.url);
const fol = (selector: string, o: Partial<FollowSpec> = {}): FollowSpec => ({ selector, priority: 0, ...o });

test("follow all: every a[href] and area[href], resolved, http(s) only, fragment dropped, deduplicated", () => {
  const html = `<a href="next.html">n</a><a href="/root#top">r</a><a href="/root#other">again</a>
    <a href="https://other.test/x?q=1#f">o</a><a href="mailto:a@b.test">m</a><a href="tel:+15551234567">t</a>
    <a href="javascript:alert(1)">j</a><a href="  java\nscript:alert(2)">j2</a><a href="data:text/html,x">d</a>
    <a href="ftp://files.test/">f</a><a>no href</a><a href="">self</a><map><area href="/area"></map>
    <a href=" /spaced\n path ">s</a><link href="/style.css"><img src="/img.png"><a rel="nofollow" href="/nf">nf</a>`;
  assert.deepEqual(links(null, html), [
    { url: "https://site.test/dir/next.html", priority: 0 },
    { url: "https://site.test/root", priority: 0 },
    { url: "https://other.test/x?q=1", priority: 0 },
    { url: "https://site.test/dir/page.html", priority: 0 },
    { url: "https://site.test/area", priority: 0 },
    { url: "https://site.test/spaced%20path", priority: 0 },
    { url: "https://site.test/nf", priority: 0 },
  ]);
});

test("follow []: no links; follow null with no items does not need the DOM but still finds links", () => {
  const html = `<title>T</title><body><a href="/a">a</a></body>`;
  assert.deepEqual(links([], html), []);
  const r = compileExtractor([], null).extract(html, PAGE);
  assert.deepEqual(r, { items: [], links: [{ url: "https://site.test/a", priority: 0 }], baseUrl: PAGE, title: "T", applicableItems: 0, probes: [] });
});

test("follow selectors: anchors use their href, containers give their descendant links", () => {
  const html = `<ul class="pager"><li class="next"><a href="/page/3/">Next</a></li></ul>
    <div class="authors"><a href="/author/a">A</a><p><a href="/author/b">B</a><area href="/author/c"></p></div>
    <iframe src="/frame.html"></iframe><div class="card" data-url="/card/1"><a href="/ignored">x</a></div>
    <a href="/author/a#bio">dup</a>`;
  assert.deepEqual(links([fol("li.next a", { priority: 5 })], html), [{ url: "https://site.test/page/3/", priority: 5 }]);
  assert.deepEqual(urls(links([fol("div.authors")], html)), [
    "https://site.test/author/a",
    "https://site.test/author/b",
    "https://site.test/author/c",
  ]);
  assert.deepEqual(urls(links([fol("iframe")], html)), ["https://site.test/frame.html"]);
  assert.deepEqual(urls(links([fol(".card", { attr: "data-url" })], html)), ["https://site.test/card/1"]);
  assert.deepEqual(urls(links([fol("ul.pager")], html)), ["https://site.test/page/3/"]);
});

test("follow: duplicates keep the highest priority and their first position; when filters rules", () => {
  const html = `<a class="x" href="/a">a</a><a class="y" href="/b">b</a><a class="y" href="/a#frag">a again</a>`;
  const follow = [fol("a.x", { priority: 1 }), fol("a.y", { priority: 7 }), fol("a", { priority: 3, when: "/only/*" })];
  assert.deepEqual(links(follow, html), [
    { url: "https://site.test/a", priority: 7 },
    { url: "https://site.test/b", priority: 7 },
  ]);
  assert.deepEqual(links([fol("a", { priority: 3, when: "/only/*" })], html), []);
  assert.deepEqual(links([fol("a", { priority: 3, when: "/only/*" })], html, "https://site.test/only/x").length, 2);
});

test("base href: relative and absolute bases, invalid and non-http bases fall back to the page URL", () => {
  const cases: [string, string, string][] = [
    [`<base href="/sub/">`, "https://site.test/sub/", "https://site.test/sub/x"],
    [`<base href="https://cdn.test/root/">`, "https://cdn.test/root/", "https://cdn.test/root/x"],
    [`<base href="../up/">`, "https://site.test/up/", "https://site.test/up/x"],
    [`<base href="http://[bad">`, PAGE, "https://site.test/dir/x"],
    [`<base href="javascript:alert(1)">`, PAGE, "https://site.test/dir/x"],
    [`<base target="_blank"><base href="/second/">`, "https://site.test/second/", "https://site.test/second/x"],
    [`<base href="/first/"><base href="/second/">`, "https://site.test/first/", "https://site.test/first/x"],
  ];
  for (const [head, base, link] of cases) {
    const html = `<html><head>${head}</head><body><a href="x">x</a></body></html>`;
    for (const follow of [null, [fol("a")]]) {
      const r = compileExtractor([], follow).extract(html, PAGE);
      assert.equal(r.baseUrl, base, head);
      assert.deepEqual(urls(r.links), [link], head);
    }
    // Without links or items no DOM is built: the base is still found.
    assert.equal(compileExtractor([], []).extract(html, PAGE).baseUrl, base, head);
  }
});

test("title: trimmed text of the first <title> (not an SVG one), entities decoded, else null", () => {
  const f: FieldSpec = { selector: "p", all: false, type: "string", trim: true, required: false };
  for (const ex of [compileExtractor([], []), compileExtractor([], null), compileExtractor([{ type: "p", fields: { p: f } }], [])]) {
    assert.equal(ex.extract(`<head><title>\n  Quotes &amp; more &#8220;x&#8221;  </title></head><p>p</p>`, PAGE).title, "Quotes & more \u201cx\u201d");
    assert.equal(ex.extract(`<svg><title>icon</title></svg><title>Real</title>`, PAGE).title, "Real");
    assert.equal(ex.extract(`<p>no title</p>`, PAGE).title, null);
    assert.equal(ex.extract(`<title>   </title>`, PAGE).title, null);
    assert.equal(ex.extract(`<title>A</title><body><title>B</title></body>`, PAGE).title, "A");
  }
});

test("quotes page served over loopback: items and links as a crawl would see them", async () => {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(quotesPage(Number(req.url?.match(/\d+/)?.[0] ?? 1)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/page/2/`;
    const html = await (await fetch(url)).text();
    const r = compileExtractor(QUOTE_ITEMS, QUOTE_FOLLOW).extract(html, url);
    assert.equal(r.title, "Quotes to Scrape");
    assert.equal(r.items.length, 10);
    assert.deepEqual(r.items[0], {
      type: "quote",
      data: {
        text: "\u201cThe world as we have created it is a process of our thinking. It cannot be changed without changing our thinking, quote 2.0.\u201d",
        author: "Author Number0",
        tags: ["change", "deep-thoughts", "thinking", "world"],
      },
    });
    assert.ok(r.items.every((i) => i.type === "quote"));
    assert.deepEqual(r.links[0], { url: `http://127.0.0.1:${port}/page/3/`, priority: 1 });
    assert.equal(r.links.length, 11);
    assert.ok(r.links.slice(1).every((l) => l.url.startsWith(`http://127.0.0.1:${port}/author/`) && l.priority === 0));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("probes report whether a selector is present (auto mode's waitFor), in the same walk", () => {
  const ex = compileExtractor([{ type: "q", each: "div.q", fields: { t: { all: false, type: "string", trim: true, required: false } } }], [], { probes: ["#app[data-loaded]", "div.q"] });
  const empty = ex.extract(`<div id="app"></div>`, PAGE);
  assert.deepEqual([empty.probes, empty.applicableItems, empty.items.length], [[false, false], 1, 0]);
  const full = ex.extract(`<div id="app" data-loaded><div class="q">x</div></div>`, PAGE);
  assert.deepEqual([full.probes, full.items.length], [[true, true], 1]);
});
