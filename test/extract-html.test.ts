/** Broken and hostile HTML, entities, validators, URL globs, errors. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileExtractor, ExtractError, matchUrlGlob, validateRegex, validateSelector } from "../src/extract/index.js";
import type { DomNode } from "../src/extract/dom.js";
import { DEPTH_CAP_ACTIVE, MAX_DEPTH, parsePage } from "../src/extract/parse.js";
import { GleanerError, SpecError } from "../src/shared/errors.js";
import type { FieldSpec, ItemSpec } from "../src/spec/types.js";

const PAGE = "https://site.test/";
const f = (o: Partial<FieldSpec> = {}): FieldSpec => ({ all: false, type: "string", trim: true, required: false, ...o });
const QUOTE: ItemSpec = {
  type: "quote",
  each: "div.quote",
  fields: { text: f({ selector: "span.text", required: true }), tags: f({ selector: "a.tag", all: true }) },
};

test("broken HTML (unclosed tags, stray closers, bad nesting) still yields items", () => {
  const html = `<html><body><div class="quote"><span class="text">One</span></p></em>
      <a class="tag" href="/t/a">a</b></a><div class="quote"><span class="text">Two<a class="tag" href="/t/b">b
      </table></td><div class="quote"><span class="text">Three</span><a class="tag">c<a class="tag">d`;
  const r = compileExtractor([QUOTE], null).extract(html, PAGE);
  // Unclosed quotes nest: each div.quote is still one item with its own first span.text.
  assert.deepEqual(r.items.map((i) => i.data.text), ["One", "Twob Threecd", "Three"]); // inline tags glue, blocks separate
  assert.deepEqual(r.items[2]!.data.tags, ["c", "d"]);
  assert.deepEqual(r.links.map((l) => l.url), ["https://site.test/t/a", "https://site.test/t/b"]);
});

test("entities are decoded in text and attributes", () => {
  const html = `<div class="quote"><span class="text">&#8220;Fish &amp; chips&#8221; &lt;3 &eacute;t&eacute; &nbsp;!</span>
    <a class="tag" href="/s?a=1&amp;b=2">x&#x27;y</a></div>`;
  const spec: ItemSpec = { ...QUOTE, fields: { ...QUOTE.fields, href: f({ selector: "a.tag", attr: "href" }) } };
  const r = compileExtractor([spec], null).extract(html, PAGE);
  assert.deepEqual(r.items[0]!.data, { text: "\u201cFish & chips\u201d <3 été !", tags: ["x'y"], href: "/s?a=1&b=2" });
  assert.deepEqual(r.links, [{ url: "https://site.test/s?a=1&b=2", priority: 0 }]);
});

test("deep nesting is capped (no stack overflow, no quadratic parse) and text survives", () => {
  assert.ok(DEPTH_CAP_ACTIVE, "htmlparser2 internals changed: the depth cap is not installed");
  const n = 100_000;
  const html = "<div>".repeat(n) + `<span class="text">deep</span><a href="/deep">d</a>` + "</div>".repeat(n);
  const { doc } = parsePage(html, false);
  let depth = 0;
  let node: DomNode | undefined = doc.children.find((c) => c.type === "tag");
  while (node) {
    depth++;
    node = node.children.find((c) => c.type === "tag" && c.name === "div");
  }
  assert.ok(depth <= MAX_DEPTH, `depth ${depth}`);
  const ex = compileExtractor([{ type: "p", fields: { t: f({ selector: "span.text" }), all: f({ selector: "div", trim: true }) } }], null);
  const r = ex.extract(html, PAGE);
  assert.deepEqual(r.items[0]!.data, { t: "deep", all: "deepd" });
  assert.deepEqual(r.links, [{ url: "https://site.test/deep", priority: 0 }]);
  // Stray closers against a deep stack.
  const r2 = ex.extract("<div>".repeat(n) + "</span>".repeat(n) + "<span class='text'>x</span>", PAGE);
  assert.equal(r2.items[0]!.data.t, "x");
});

test("NUL bytes are dropped, giant attributes and 5 MB pages do not break extraction", () => {
  const ex = compileExtractor([QUOTE], null);
  const nul = ex.extract(`<div class="quote"><span class="te\0xt">a\0b</span><span class="text">second</span></div><a href="/x\0y">l</a>`, PAGE);
  assert.deepEqual(nul.items[0]!.data, { text: "ab", tags: [] });
  assert.deepEqual(nul.links.map((l) => l.url), ["https://site.test/xy"]);

  const giant = "x".repeat(5_000_000);
  const big = ex.extract(`<a href="/${giant}">big</a><div class="quote" data-x="${giant}"><span class="text">ok</span></div><a href="/small">s</a>`, PAGE);
  assert.deepEqual(big.items.map((i) => i.data.text), ["ok"]);
  assert.deepEqual(big.links.map((l) => l.url), ["https://site.test/small"]); // over-long links are dropped

  const quote = `<div class="quote"><span class="text">q</span><a class="tag" href="/t">t</a></div>\n`;
  const page = `<html><body>${quote.repeat(Math.ceil(5_000_000 / quote.length))}</body></html>`;
  const r = ex.extract(page, PAGE);
  assert.equal(r.items.length, Math.ceil(5_000_000 / quote.length));
  assert.deepEqual(r.links, [{ url: "https://site.test/t", priority: 0 }]);
});

test("hostile text does not make the built-in regexes backtrack forever", () => {
  const fields: Record<string, FieldSpec> = {};
  for (const r of ["email", "phone", "url", "date", "ipv4"]) fields[r] = f({ regex: r, all: true });
  const ex = compileExtractor([{ type: "page", fields }], []);
  for (const text of ["a".repeat(1_000_000), "1".repeat(1_000_000), "+1 ".repeat(300_000), "1.".repeat(500_000), "a@".repeat(500_000), "http://".repeat(100_000)]) {
    const r = ex.extract(`<p>${text}</p>`, PAGE);
    assert.ok(r.items.length <= 1);
  }
});

test("unclosed comment/script/title swallow the rest like browsers, without throwing", () => {
  const ex = compileExtractor([QUOTE], null);
  assert.deepEqual(ex.extract(`<a href="/a">a</a><!-- <div class="quote"><span class="text">x</span>`, PAGE).items, []);
  assert.deepEqual(ex.extract(`<script>var a = "<div class='quote'>";`, PAGE).links, []);
  assert.equal(ex.extract(`<title>Never closed <b>`, PAGE).title, "Never closed <b>");
});

test("an unusable page URL is an ExtractError (skip)", () => {
  const ex = compileExtractor([QUOTE], null);
  assert.throws(
    () => ex.extract("<p>x</p>", "not a url"),
    (err: unknown) =>
      err instanceof ExtractError && err instanceof GleanerError && err.code === "GLEANER_ERR_EXTRACT" && err.action === "skip" && err.context.url === "not a url",
  );
});

test("compileExtractor reports bad selectors and regexes as SpecError with the path", () => {
  const bad = (items: ItemSpec[], follow: { selector: string; priority: number }[] | null, path: string): void => {
    assert.throws(
      () => compileExtractor(items, follow),
      (err: unknown) => err instanceof SpecError && err.issues[0]!.path === path && err.message.includes(path),
    );
  };
  bad([{ type: "q", each: "div[", fields: {} }], null, "extract.q.each");
  bad([{ type: "q", fields: { t: f({ selector: "span::text" }) } }], null, "extract.q.fields.t.selector");
  bad([{ type: "q", fields: { t: f({ regex: "(unclosed" }) } }], null, "extract.q.fields.t.regex");
  bad([{ type: "q", fields: { t: f({ type: "dat" as FieldSpec["type"] }) } }], null, "extract.q.fields.t.type");
  bad([], [{ selector: "a:unknown-pseudo", priority: 0 }], "follow.0.selector");
});

test("validateSelector: null for good selectors, a message for bad ones", () => {
  for (const good of ["div.quote", "a[href^='/author/']", "li.next > a", "> span", ":scope > a", "ul li:nth-child(2n+1)", "a:not(.x)", "div:has(> a)", "*", "h1, h2"]) {
    assert.equal(validateSelector(good), null, good);
  }
  const bad: [string, RegExp][] = [
    ["", /empty/],
    ["   ", /empty/],
    ["div[", /invalid CSS selector/],
    ["a:unknown-pseudo", /invalid CSS selector/],
    ["span::text", /drop "::text"/],
    ["a::attr(href)", /set the field's `attr`/],
    ["div >", /ends with a combinator/],
    ["div >> a", /invalid CSS selector/],
    ["a:nth-child(x)", /invalid CSS selector/],
  ];
  for (const [sel, msg] of bad) {
    const m = validateSelector(sel);
    assert.ok(m !== null && msg.test(m), `${sel}: ${m}`);
  }
});

test("validateRegex: built-in names and valid patterns pass, bad patterns explain", () => {
  for (const good of ["email", "phone", "url", "date", "ipv4", "USD (\\d+)", "/sku-(\\d+)/i", "/a/gimsu"]) {
    assert.equal(validateRegex(good), null, good);
  }
  for (const bad of ["", "(unclosed", "/[z-a]/", "/(?<n>a)(?<n>b)/"]) {
    const m = validateRegex(bad);
    assert.ok(m !== null && m.length > 0, bad);
  }
  assert.match(validateRegex("(x")!, /built-ins: email, phone, url, date, ipv4/);
});

test("matchUrlGlob", () => {
  const cases: [string, string, boolean][] = [
    ["/author/*", "https://quotes.test/author/albert-einstein/", true],
    ["/author/*", "https://quotes.test/authors", false],
    ["/author/*", "https://quotes.test/tag/author/x", false],
    ["/jobs/*", "https://x.test/jobs/?page=2", true],
    ["/jobs/*.html", "https://x.test/jobs/a/b.html?page=2", true],
    ["/jobs/*.html", "https://x.test/jobs/a/bxhtml", false],
    ["/page/?/", "https://x.test/page/2/", true],
    ["/page/?/", "https://x.test/page/12/", false],
    ["/search?q=*", "https://x.test/search?q=shoes", true],
    ["/search?q=*", "https://x.test/searchXq=shoes", true], // `?` is one character, any character
    ["/", "https://x.test/", true],
    ["/", "https://x.test/a", false],
    ["/a+b(c)", "https://x.test/a+b(c)", true],
    ["/a+b(c)", "https://x.test/aab(c)", false],
    ["https://*.example.com/*", "https://shop.example.com/p/1", true],
    ["https://*.example.com/*", "https://example.com/p/1", false],
    ["*://x.test/*", "http://x.test/a", true],
    ["*login*", "https://x.test/user/login?next=/", true],
    ["/login*", "https://x.test/login?next=/", true],
    ["/login*", "not a url", false],
    ["*", "anything", true],
  ];
  for (const [glob, url, expected] of cases) assert.equal(matchUrlGlob(glob, url), expected, `${glob} ~ ${url}`);
});
