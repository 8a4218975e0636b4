/** Items and fields: selection, attr, all, regex, types, each, when, required, default. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileExtractor } from "../src/extract/index.js";
import type { FieldSpec, ItemSpec } from "../src/spec/types.js";

const PAGE = "https://shop.test/products/list.html";

const f = (o: Partial<FieldSpec> = {}): FieldSpec => ({ all: false, type: "string", trim: true, required: false, ...o });

/** The data of the single page item produced by `fields` on `html`, or null if none. */
function pageData(fields: Record<string, FieldSpec>, html: string, url = PAGE): Record<string, unknown> | null {
  const r = compileExtractor([{ type: "page", fields }], []).extract(html, url);
  assert.ok(r.items.length <= 1);
  return r.items[0]?.data ?? null;
}

/** Value of one field on the page ("missing" if the page item was not emitted). */
function value(spec: Partial<FieldSpec>, html: string): unknown {
  const d = pageData({ v: f(spec), marker: f({ selector: "#marker" }) }, `<p id="marker">m</p>${html}`);
  assert.ok(d);
  return d.v;
}

test("text of the first match, whitespace collapsed; trim: false keeps it raw", () => {
  const html = `<div class="a">  Hello,\n\t <b>big</b>   world  </div><div class="a">second</div>`;
  assert.equal(value({ selector: "div.a" }, html), "Hello, big world");
  assert.equal(value({ selector: "div.a", trim: false }, html), "  Hello,\n\t big   world  ");
  assert.equal(value({ selector: "div.missing" }, html), null);
});

test("text puts spaces at <br> and block boundaries, skips script/style/template", () => {
  const html = `<table id="t"><tr><td>Price</td><td>12</td></tr></table>
    <div id="d">line1<br>line2<script>var x = "no";</script><style>.x{}</style><template>hidden</template><!-- c --></div>
    <script id="ld" type="application/ld+json">{"@type": "Product"}</script>`;
  assert.equal(value({ selector: "#t" }, html), "Price 12");
  assert.equal(value({ selector: "#d" }, html), "line1 line2");
  assert.equal(value({ selector: "#ld" }, html), '{"@type": "Product"}'); // a selected script keeps its text
});

test("attr: attribute value, null when missing; all: every match", () => {
  const html = `<a class="x" href="/one" title=" T  one ">1</a><a class="x" href="/two">2</a><a class="x">3</a>`;
  assert.equal(value({ selector: "a.x", attr: "title" }, html), "T one");
  assert.equal(value({ selector: "a.x:nth-of-type(3)", attr: "href" }, html), null);
  assert.deepEqual(value({ selector: "a.x", attr: "href", all: true }, html), ["/one", "/two"]);
  assert.deepEqual(value({ selector: "a.x", all: true }, html), ["1", "2", "3"]);
  assert.deepEqual(value({ selector: "a.none", all: true }, html), []);
});

test("types convert, and values that do not convert become null", () => {
  const cases: [Partial<FieldSpec>, string, unknown][] = [
    [{ type: "number" }, "1,234.50", 1234.5],
    [{ type: "number" }, "$85,000", 85000],
    [{ type: "number" }, "12.50", 12.5],
    [{ type: "number" }, "-3", -3],
    [{ type: "number" }, "1.5e3", 1500],
    [{ type: "number" }, "€ 1.234,50", 1234.5],
    [{ type: "number" }, "1 234 567", 1234567],
    [{ type: "number" }, "−7", -7],
    [{ type: "number" }, "N/A", null],
    [{ type: "number" }, "12 apples", null],
    [{ type: "number" }, "1,23,4", null],
    [{ type: "number" }, "Infinity", null],
    [{ type: "integer" }, "1,200", 1200],
    [{ type: "integer" }, "-3", -3],
    [{ type: "integer" }, "12.5", null],
    [{ type: "integer" }, "99999999999999999999", null],
    [{ type: "boolean" }, "Yes", true],
    [{ type: "boolean" }, "OFF", false],
    [{ type: "boolean" }, "1", true],
    [{ type: "boolean" }, "0", false],
    [{ type: "boolean" }, "maybe", null],
    [{ type: "date" }, "2024-03-01", "2024-03-01"],
    [{ type: "date" }, "March 14, 1879", "1879-03-14"],
    [{ type: "date" }, "14 March 1879", "1879-03-14"],
    [{ type: "date" }, "Mar 14, 1879", "1879-03-14"],
    [{ type: "date" }, "Sept. 3rd, 2021", "2021-09-03"],
    [{ type: "date" }, "Friday, 1st of March, 2024", "2024-03-01"],
    [{ type: "date" }, "03/14/1879", "1879-03-14"],
    [{ type: "date" }, "2024-03-01T10:30", "2024-03-01T10:30:00"],
    [{ type: "date" }, "2024-03-01 10:30:15.250", "2024-03-01T10:30:15.250"],
    [{ type: "date" }, "2024-03-01T10:30:00+01:00", "2024-03-01T09:30:00.000Z"],
    [{ type: "date" }, "2024-02-29T23:30:00-0100", "2024-03-01T00:30:00.000Z"],
    [{ type: "date" }, "2023-02-29", null],
    [{ type: "date" }, "2024-13-01", null],
    [{ type: "date" }, "13/14/2024", null],
    [{ type: "date" }, "2024-03-01T25:00", null],
    [{ type: "date" }, "1", null],
    [{ type: "date" }, "foo 2", null],
    [{ type: "date" }, "Born March 14, 1879 in Ulm", null],
    [{ type: "string" }, "as is", "as is"],
  ];
  for (const [spec, text, expected] of cases) {
    const html = `<span class="v">${text}</span>`;
    assert.deepEqual(value({ selector: "span.v", ...spec }, html), expected, `${spec.type} ${JSON.stringify(text)}`);
  }
});

test("type: date reads <time datetime>", () => {
  const html = `<time datetime="2024-05-06T07:08:09Z">last Monday</time>`;
  assert.equal(value({ selector: "time", attr: "datetime", type: "date" }, html), "2024-05-06T07:08:09.000Z");
});

test("type: url resolves against the base URL; non-http(s) is null", () => {
  const html = `<a id="r" href="../img/a.png#x">r</a><a id="j" href="javascript:void(0)">j</a>
    <a id="m" href="mailto:a@b.co">m</a><a id="abs" href=" https://cdn.test/x?y=1 ">a</a>`;
  assert.equal(value({ selector: "#r", attr: "href", type: "url" }, html), "https://shop.test/img/a.png#x");
  assert.equal(value({ selector: "#j", attr: "href", type: "url" }, html), null);
  assert.equal(value({ selector: "#m", attr: "href", type: "url" }, html), null);
  assert.equal(value({ selector: "#abs", attr: "href", type: "url" }, html), "https://cdn.test/x?y=1");
  const based = `<base href="https://static.test/base/"><img src="p.jpg">`;
  assert.equal(value({ selector: "img", attr: "src", type: "url" }, based), "https://static.test/base/p.jpg");
});

test("all: true drops values that do not convert", () => {
  const html = `<i>1</i><i>two</i><i>3</i><i> </i>`;
  assert.deepEqual(value({ selector: "i", all: true, type: "integer" }, html), [1, 3]);
});

const BUILTIN_CASES: [string, string, string[]][] = [
  ["email", "Write to john.doe+news@mail.example.co.uk or info@quotes.test.", ["john.doe+news@mail.example.co.uk", "info@quotes.test"]],
  ["email", "user@localhost, @handle, a@b.c, john.doe@example, mail me at x@y", []],
  ["phone", "Call +1 (555) 123-4567 or 555-123-4567, London +44 20 7946 0958, Paris +33 1 23 45 67 89",
    ["+1 (555) 123-4567", "555-123-4567", "+44 20 7946 0958", "+33 1 23 45 67 89"]],
  ["phone", "(555) 123-4567 and 1-800-555-1234 and 555.123.4567 and +442079460958",
    ["(555) 123-4567", "1-800-555-1234", "555.123.4567", "+442079460958"]],
  ["phone", "In 2024, on 2024-03-01 and 03/14/1879 it cost $1,234.50 (or 12.50), ip 192.168.1.1, call 911, +12", []],
  ["url", "See https://quotes.test/page/2/?a=1&b=2, and (http://x.test/p). Also HTTP://UP.TEST/A!", ["https://quotes.test/page/2/?a=1&b=2", "http://x.test/p", "HTTP://UP.TEST/A"]],
  ["url", "ftp://files.test, www.example.com, http:// nothing, mailto:x@y.test", []],
  ["date", "Born March 14, 1879 (14 March 1879), died 1955-04-18; filed 03/14/1879 and Mar. 2, 2001.",
    ["March 14, 1879", "14 March 1879", "1955-04-18", "03/14/1879", "Mar. 2, 2001"]],
  ["date", "Omar 14, 2000; 2023-02-29; 13/45/2020; version 1.2.3; 12:30; 1879; 2024-03-011", []],
  ["ipv4", "hosts 10.0.0.1, 192.168.1.254 and 255.255.255.255.", ["10.0.0.1", "192.168.1.254", "255.255.255.255"]],
  ["ipv4", "256.1.1.1 1.2.3 1.2.3.4.5 01.02.03.04 999.999.999.999 v1.2.3.4.5", []],
];

test("built-in regexes: positive and negative examples", () => {
  for (const [regex, text, expected] of BUILTIN_CASES) {
    assert.deepEqual(value({ selector: "p.t", regex, all: true }, `<p class="t">${text}</p>`), expected, `${regex}: ${text}`);
  }
});

test("regex with all: false takes the first match in the first element that has one", () => {
  const html = `<p class="c">no contact</p><p class="c">mail b@x.test or c@x.test</p><p class="c">d@x.test</p>`;
  assert.equal(value({ selector: "p.c", regex: "email" }, html), "b@x.test");
  assert.deepEqual(value({ selector: "p.c", regex: "email", all: true }, html), ["b@x.test", "c@x.test", "d@x.test"]);
  assert.equal(value({ selector: "p.c", regex: "phone" }, html), null);
});

test("all: true regex matches are deduplicated in order (after conversion)", () => {
  const html = `<p>2024-03-01, then March 1, 2024, then 1999-12-31 and 2024-03-01 again</p>`;
  assert.deepEqual(value({ selector: "p", regex: "date", all: true, type: "date" }, html), ["2024-03-01", "1999-12-31"]);
});

test("custom regex: group 1 when present, whole match otherwise, /flags/ honoured", () => {
  const html = `<span class="p">Price: USD 85,000 (was USD 90,000)</span><span class="sku">SKU ab-123</span>`;
  assert.equal(value({ selector: ".p", regex: "USD ([\\d,]+)", type: "number" }, html), 85000);
  assert.deepEqual(value({ selector: ".p", regex: "USD ([\\d,]+)", type: "number", all: true }, html), [85000, 90000]);
  assert.equal(value({ selector: ".p", regex: "\\d+,\\d+" }, html), "85,000");
  assert.equal(value({ selector: ".sku", regex: "/sku ([A-Z]+-\\d+)/i" }, html), "ab-123");
  assert.equal(value({ selector: ".sku", regex: "/sku ([A-Z]+-\\d+)/" }, html), null);
  // An optional group that did not take part is no value; empty matches do not loop.
  assert.deepEqual(value({ selector: ".sku", regex: "(x)?", all: true }, html), []);
});

test("regex without selector scans the whole page text", () => {
  const d = pageData({ contacts: f({ regex: "email", all: true }) }, `<p>a@x.test</p><footer>b@x.test <script>"js@x.test"</script></footer>`);
  assert.deepEqual(d, { contacts: ["a@x.test", "b@x.test"] });
});

const QUOTES_HTML = `<div class="quote"><span class="text">One</span><small class="author">A</small>
    <a class="tag" href="/tag/x">x</a><a class="tag" href="/tag/y">y</a></div>
  <div class="quote"><span class="text">Two</span><a class="tag" href="/tag/z">z</a></div>
  <div class="quote"><small class="author">C</small></div>
  <span class="text">outside</span>`;

test("each: one item per match, fields relative to it, required drops items", () => {
  const spec: ItemSpec = {
    type: "quote",
    each: "div.quote",
    fields: {
      text: f({ selector: "span.text", required: true }),
      author: f({ selector: "small.author", default: "anonymous" }),
      tags: f({ selector: "a.tag", all: true }),
    },
  };
  const r = compileExtractor([spec], []).extract(QUOTES_HTML, PAGE);
  assert.deepEqual(r.items, [
    { type: "quote", data: { text: "One", author: "A", tags: ["x", "y"] } },
    { type: "quote", data: { text: "Two", author: "anonymous", tags: ["z"] } },
  ]);
});

test("each: relative selectors and :scope bind to each match", () => {
  const html = `<ul><li>a<ul><li>nested</li></ul></li><li>b</li></ul>`;
  const spec: ItemSpec = {
    type: "li",
    each: "body > ul > li",
    fields: { own: f({ selector: ":scope > ul > li" }), child: f({ selector: "> ul > li", all: true }), self: f({}) },
  };
  const r = compileExtractor([spec], []).extract(`<body>${html}</body>`, PAGE);
  assert.deepEqual(
    r.items.map((i) => i.data),
    [
      { own: "nested", child: ["nested"], self: "a nested" },
      { own: null, child: [], self: "b" },
    ],
  );
});

test("required: an empty list or missing value drops the item", () => {
  const spec: ItemSpec = { type: "q", each: "div.quote", fields: { tags: f({ selector: "a.tag", all: true, required: true }) } };
  const r = compileExtractor([spec], []).extract(QUOTES_HTML, PAGE);
  assert.deepEqual(r.items.map((i) => i.data.tags), [["x", "y"], ["z"]]);
});

test("default applies when nothing matched, not when a value failed to convert", () => {
  const html = `<span class="price">call us</span>`;
  assert.equal(value({ selector: ".stock", type: "integer", default: 0 }, html), 0);
  assert.deepEqual(value({ selector: ".nothing", all: true, default: ["none"] }, html), ["none"]);
  assert.equal(value({ selector: ".price", type: "number", default: 0 }, html), null);
});

test("page items are emitted only when some field found a value (defaults do not count)", () => {
  const fields = { name: f({ selector: "h3.author-title" }), born: f({ selector: ".born", type: "date", default: "unknown" }) };
  assert.equal(pageData(fields, `<p>nothing here</p>`), null);
  assert.deepEqual(pageData(fields, `<h3 class="author-title">Albert Einstein</h3>`), { name: "Albert Einstein", born: "unknown" });
});

test("when: items apply only on matching page URLs", () => {
  const items: ItemSpec[] = [
    { type: "author", when: "/author/*", fields: { name: f({ selector: "h3" }) } },
    { type: "any", fields: { name: f({ selector: "h3" }) } },
    { type: "full", when: "https://quotes.test/author/*", fields: { name: f({ selector: "h3" }) } },
  ];
  const ex = compileExtractor(items, []);
  const html = `<h3>Albert</h3>`;
  assert.deepEqual(ex.extract(html, "https://quotes.test/author/albert/").items.map((i) => i.type), ["author", "any", "full"]);
  assert.deepEqual(ex.extract(html, "https://quotes.test/page/2/").items.map((i) => i.type), ["any"]);
  const custom = compileExtractor(items, [], { matchUrl: (glob) => glob === "/author/*" });
  assert.deepEqual(custom.extract(html, "https://quotes.test/page/2/").items.map((i) => i.type), ["author", "any"]);
});

test("a page handed over as its UTF-8 bytes gives the items and links its decoded text gives", () => {
  const html =
    `<html><head><title>Caf\u00e9 \u201cLe Z\u00e9bre\u201d</title></head><body>` +
    `<div class="p" data-name="cr\u00e8me br\u00fbl\u00e9e"><h2>Cr\u00e8me br\u00fbl\u00e9e &amp; th\u00e9</h2>` +
    `<span class="price">Preis: 12,50 \u20ac</span><p class="mail">\u00c9crire \u00e0 ch\u00e9f@caf\u00e9.test ou chef@cafe.test \u2014 merci</p>` +
    `<a href="/men\u00fc/d\u00e9sserts?q=cr\u00e8me">Men\u00fc</a></div><div class="p" data-name="ascii"><h2>Plain</h2></div></body></html>`;
  const ex = compileExtractor(
    [{
      type: "dish",
      each: "div.p",
      fields: {
        name: f({ selector: "h2" }),
        attr: f({ attr: "data-name" }),
        euros: f({ selector: ".price", regex: "/([\\d,]+) \u20ac/" }),
        mail: f({ selector: ".mail", regex: "email", all: true }),
        link: f({ selector: "a", attr: "href", type: "url" }),
      },
    }],
    null,
  );
  const fromText = ex.extract(html, PAGE);
  const fromBytes = ex.extract(Buffer.from(html, "utf8").toString("latin1"), PAGE, true);
  assert.deepEqual(fromBytes, fromText);
  assert.equal(fromText.title, "Caf\u00e9 \u201cLe Z\u00e9bre\u201d");
  assert.deepEqual(fromText.items[0]!.data, {
    name: "Cr\u00e8me br\u00fbl\u00e9e & th\u00e9",
    attr: "cr\u00e8me br\u00fbl\u00e9e",
    euros: "12,50",
    mail: ["chef@cafe.test"],
    link: "https://shop.test/men%C3%BC/d%C3%A9sserts?q=cr%C3%A8me",
  });
  assert.ok(fromText.links.some((l) => l.url === "https://shop.test/men%C3%BC/d%C3%A9sserts?q=cr%C3%A8me"));
});
