import { test } from "node:test";
import assert from "node:assert/strict";
import type { DomNode } from "../src/extract/dom.js";
import { buildFast, type TreeSink } from "../src/extract/fast-html.js";
import { parseFull, parsePage, scanPage } from "../src/extract/parse.js";
import { startPracticeSite } from "../src/practice/index.js";

/** The whole tree as text, including what css-select and the text walkers read. */
function dump(node: DomNode): unknown {
  if (node.type === "text") return node.data;
  return [node.type, node.name, node.attribs, node.children.map(dump)];
}

/** Also checks the sibling/parent links the tree builder sets. */
function checkLinks(node: DomNode): void {
  node.children.forEach((child, i) => {
    assert.equal(child.parent, node);
    assert.equal(child.prev, i === 0 ? null : node.children[i - 1]);
    checkLinks(child);
  });
}

const noopSink: TreeSink = { onopentag() {}, ontext() {}, onclosetag() {} };
const fastHandles = (html: string): boolean => buildFast(html, noopSink);

/** Same tree and scan as htmlparser2, or the fast path declined. */
function sameAsFull(html: string, collectLinks = true): boolean {
  const fast = parsePage(html, collectLinks);
  const full = parseFull(html, collectLinks);
  assert.deepEqual(dump(fast.doc), dump(full.doc), `tree of ${JSON.stringify(html.slice(0, 300))}`);
  assert.deepEqual(fast.scan, full.scan, `scan of ${JSON.stringify(html.slice(0, 300))}`);
  if (collectLinks) assert.deepEqual(scanPage(html, true), full.scan, `DOM-less scan of ${JSON.stringify(html.slice(0, 300))}`);
  checkLinks(fast.doc);
  return fastHandles(html);
}

const CASES = [
  `<!DOCTYPE html><html><head><title>T &amp; t</title><base href="/b/"></head><body><p>x</body></html>`,
  `<P CLASS="a b" data-x='1&amp;2' id=u hidden\tdata-y\n=v a=b=c>Fish &amp; chips &lt;3&copy x&#8220;y&#x41;&#0;&#xD800;&bogus; &`,
  `<a href="/s?a=1&b=2&amp;c&copy=3" title='it&apos;s "q"'>link</a > tail</a\n  x="y">`,
  `<ul><li>a<li>b<ul><li>c</ul><li>d</ul><p>p1<p>p2<div>d</div>after`,
  `<table><tr><td>1<td>2<tr><th>h<td>3</table><dl><dt>t<dd>d<dt>t2</dl>`,
  `<select><option>a<option>b<optgroup><option>c</select><input><button>b<input>`,
  `<form><div><form a=1><input name=q></form></div></form>tail`,
  `text</p>more</br>and</br />end</br x=1>`,
  `<br/><img src=x.png / alt = "a b" ><hr/ ><image src=y>`,
  `<div><!-- c --><!----><!-- a -- b ---><!--x--!>after<!x><? pi ?><!doctype z>t</div>`,
  `a < b, c <3, d <= e, <  f, <1>, </ x>, </>, </3>, <,`,
  `<script>var a = "<b>&amp;</scripts>" ; if (a</script) {}</script ><style>p > a {}</STYLE >x`,
  `<title>a &lt; b <b>not bold</b></title ><textarea name=t>1 &amp; 2 </textarea>`,
  `<a href=x/>unquoted slash</a><a href= y >spaced</a><a href=>empty</a><a href>bare</a>`,
  `<a =b "c"='d' e f=g h = 'i'>odd names</a><a x=1 x=2 X=3>dups</a>`,
  `<div a="unterminated>t</div>`,
  `<div>end in tag <a href="x"`,
  `<svg><title>t</title><path d="M0"/></svg><p>after svg`,
  `<math><mi>x</mi></math>`,
  `<h1><svg class="icon" viewBox="0 0 24 24"><path d="M12 2L2 7z"/><circle cx="12" r="3" / ></svg>Title</h1>`,
  `<svg><clippath id=c><rect/></clipPath><LINEARGRADIENT/><foreignObject><p>html <image src=i>` +
    `<clippath>lower</clippath><script>a<b</script></foreignObject><image href=x><style>a<b>c</b></style><title>t<i>i</i></title></svg>`,
  `<svg/><p>after a self-closed svg<math/><svg><desc/>inside desc<a href="/in-svg">l</a></desc><br/><img/><p/>x</svg>`,
  `<math><mi>x<mo/><mtext>t<b>b</b></mtext><annotation-xml><svg><path/></svg></annotation-xml></math><p>end`,
  // camel-cased SVG names written in HTML context stay lower-cased there
  `<foreignObject>x</foreignObject><p><clipPath a=1>y</clipPath><linearGradient/></p><svg><foreignObject>z</foreignObject></svg>`,
  `<svg><g><form/><form><form/></form></g></svg><svg><p>in svg</p></svg><svg></SVG>`,
  `<![CDATA[x]]><p>y`,
  `<!-->a<!--->b`,
  `<iframe><p>x</iframe><xmp><b></xmp>`,
  `<body><noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-X" height="0" width="0" style="display:none"></iframe></noscript><p>page`,
  `<IFRAME src=a.html><a href="/in-fallback">x</a> &amp; </iframe ><noembed><b>&lt;</NOEMBED><noframes>n</noframes x><xmp>a</xmpx></xmp>`,
  `<iframe></iframe><iframe/>raw until the end tag</iframe><p>after`,
  `<h1>a<h2>b</h1>c<h3>d<p>e<h4>f`,
  `<a>1<a>2<b>3<a>4</b>5`,
  `<thead><tr><td>a<tbody><tr><td>b<tfoot><td>c`,
  `<ruby>a<rt>b<rp>c<rt>d</ruby>`,
  `<body><head><link rel=x><script>s</script><body>`,
  `&amp;&amp&ampx&notin;&notit;&#128;&#x110000;&#9999999999;`,
  "<div>\u00e9\u4e2d\ud83d\ude00 <span title='\u00e9'>x</span></div>",
  `<A HREF="/x"><B>bold</B></A><Script>x</sCRIPT>`,
  `<div></div>`.repeat(3) + `<p>` + `<span>`.repeat(600) + `deep` + `</span>`.repeat(600),
  // the depth cap inside foreign content: contexts must end with the elements it closes early
  `<svg><foreignObject><div><svg><desc>`.repeat(130) + `<path/>deep<clippath/><script>a<b</script>` + `</desc></svg></div></foreignObject></svg>`.repeat(130) + `<p>after`,
  `<`, `a<`, `<a`, `</a`, `</`, `<!--`, `<!`, `<?x`, `<script>never closed`, `&`, ``, `plain text only`,
];

test("the fast tree builder gives htmlparser2's tree on hand-picked markup, or declines", () => {
  let handled = 0;
  for (const html of CASES) if (sameAsFull(html)) handled++;
  assert.ok(handled >= 25, `the fast path handled ${handled} of ${CASES.length}`);
  // What it must decline (so the full parser runs): foreign content, CDATA, odd comments, cut-off input.
  for (const html of [`<svg><![CDATA[x]]></svg>`, `<![CDATA[x]]>`, `<!-->`, `<!--->`, `<div a="x`, `<a`, `<`, `<plaintext>x`, `<iframe>x`, `<script>x`]) {
    assert.equal(fastHandles(html), false, html);
  }
});

test("the fast tree builder gives htmlparser2's tree on every page of the practice site", async (t) => {
  const site = await startPracticeSite({ pages: 600, modes: ["js", "trap", "cookies"] });
  t.after(() => site.close());
  let handled = 0;
  const pages = site.manifest.pages;
  for (const path of pages) {
    const res = await fetch(site.url + path, { redirect: "manual" });
    if (res.status !== 200 || !(res.headers.get("content-type") ?? "").includes("html")) {
      await res.arrayBuffer();
      continue;
    }
    if (sameAsFull(await res.text())) handled++;
  }
  assert.ok(handled >= pages.length * 0.8, `fast path on ${handled} of ${pages.length} pages`);
});

/** Seeded tag soup: every fragment kind the fast path claims to handle, and some it declines. */
function soup(seed: number, clean: boolean): string {
  let s = seed >>> 0;
  const rnd = (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const pick = <T>(a: T[]): T => a[rnd(a.length)]!;
  const names = ["div", "p", "a", "li", "ul", "td", "tr", "table", "th", "b", "span", "br", "img", "form", "option", "select", "h1", "h2", "dd", "dt", "input", "body", "head", "image", "hr", "tbody", "thead", "rt", "button", "X-Y", "DIV",
    // foreign content and its integration points
    "svg", "math", "path", "g", "clipPath", "foreignobject", "desc", "mi", "mtext", "SVG"];
  // What the fast path declines or must handle with care; the clean half has fewer of them.
  if (!clean) names.push("iframe", "title", "script", "style", "textarea", "xmp", "noembed");
  const attr = (): string => pick([
    ` a=1`, ` b="x y"`, ` c='q"q'`, ` d`, ` E=F`, ` href="/u?a=1&amp;b=2"`, ` t=&lt;x&gt`, ` u = "v"`, ` w=`, ` /`, ` x=y/`, ` "q"=1`, ` =z`, ` a=1 a=2`, ` s='&copy'`,
  ]);
  const frags = [
    () => `<${pick(names)}${rnd(3) ? "" : attr()}${rnd(4) ? "" : attr()}${pick([">", "/>", " >", "\n>", " / >", "/ x>"])}`,
    () => `</${pick(names)}${pick([">", " >", " x=1>", "\t>"])}`,
    () => pick(["text", " ", "\n", "a b  c", "&amp;", "&lt", "&copy;", "&#65;", "&#x263a;", "&bogus;", "&", "é", "5 < 6", "<3", "a<=b"]),
    () => pick(["<!-- c -->", "<!---->", "<!-- a--b -->", "<!--x--!>", "<!doctype html>", "<!x>", "<?pi?>", "</>", "</ x>", "</3>", ...(clean ? [] : ["<!-->", "<![CDATA[c]]>"])]),
    () => `<script>${pick(["x<y", "</scrip>", "a</script", "&amp;"])}</script${pick([">", " >", "/>"])}`,
    () => `<style>${pick(["p > a {}", "</styl", "&lt;"])}</STYLE>`,
    () => ((t) => `<${t}${rnd(2) ? "" : attr()}>${pick(["<p>x", "&amp;", `</${t.slice(0, 3)}`, "<a href=/f>f</a>", ""])}</${pick([t, t.toUpperCase()])}${pick([">", " >", "/>", " x>"])}`)(
      pick(["iframe", "noembed", "noframes", "xmp", "IFrame"]),
    ),
    () =>
      clean
        ? ((t) => `<${t}>${pick(["t &amp; u", "x", "&lt;", "a<b"])}</${pick([t, t.toUpperCase()])}>`)(pick(["title", "textarea", "TITLE"]))
        : `<${pick(["title", "textarea", "TITLE"])}>${pick(["t &amp; u", "<b>", "x", "</&copy", "<&amp;", "</tit&amp;</titl", "&lt;"])}${pick(["", "&amp;", "<"])}</${pick(["title", "textarea", "Title"])}>`,
  ];
  let out = "";
  const len = 5 + rnd(60);
  for (let i = 0; i < len; i++) out += pick(frags)();
  return out;
}

test("the fast tree builder gives htmlparser2's tree on 4,000 random tag soups, or declines", () => {
  let handled = 0;
  for (let seed = 1; seed <= 4000; seed++) if (sameAsFull(soup(seed, seed % 2 === 0), seed % 4 < 2)) handled++;
  assert.ok(handled >= 1000, `the fast path handled ${handled} of 4000`);
});

/** A page's UTF-8 bytes, one char per byte: what the fetcher hands an extraction worker. */
const bytesOf = (buf: Buffer): string => buf.toString("latin1");

/** Parsing the UTF-8 bytes gives the tree and scans that parsing the decoded text gives. */
function sameFromBytes(bytes: Buffer, collectLinks = true): void {
  const text = bytes.toString("utf8");
  const raw = bytesOf(bytes);
  const what = JSON.stringify(text.slice(0, 200));
  const fromText = parsePage(text, collectLinks);
  const fromBytes = parsePage(raw, collectLinks, true);
  assert.deepEqual(dump(fromBytes.doc), dump(fromText.doc), `tree from the bytes of ${what}`);
  assert.deepEqual(fromBytes.scan, fromText.scan, `scan from the bytes of ${what}`);
  checkLinks(fromBytes.doc);
  assert.deepEqual(scanPage(raw, collectLinks, true), scanPage(text, collectLinks), `DOM-less scan from the bytes of ${what}`);
}

/** Non-ASCII everywhere a parser hands text out: names, values, text, raw bodies, entities beside it. */
const UNICODE_CASES = [
  "<div class=\"caf\u00e9 \u201cq\u201d\" data-\u00e9=\u20ac>\u201cHello,\u201d she said \u2014 na\u00efve &amp; \u00e9 &eacute; \ud83d\ude00</div>",
  "<P TITLE='\u00c9T\u00c9'>\u00c9\u00c7\u00c0 <A HREF=\"/caf\u00e9?q=\u00fc\">l\u00efnk</A></P>",
  "<caf\u00c9>custom \u00c9 name</caf\u00c9><\u00e9l\u00e9ment a=1>x</\u00c9L\u00c9MENT>",
  "<title>\u00c9t\u00e9 &amp; \u00e9t\u00e9</title><script>var s = \"\u201c</scr\u00efpt>\u201d\";</script><style>p::after{content:\"\u2192\"}</style>",
  "<textarea>\u00e9 &lt; \u00e8</textarea><xmp>\u00e9<b>\u00e8</b></xmp><iframe>\u00e9</iframe>",
  "<svg><t\u00eftle>\u00e9</t\u00eftle><clipPath>\u00e8</clipPath><foreignObject><p>\u00e9</p></foreignObject></svg>",
  "a \u00e9< b\u00e8 <\u00e9 <3\u00e9 </\u00e9> </ \u00e9> <!-- \u00e9 -->\u00e9<!doctype \u00e9><?\u00e9?>\u00e8",
  "<a href=\u00e9\u00e8/>unquoted</a><a x=\u201c>\u201d</a><a \u00e9>bare</a>",
  "<![CDATA[\u00e9]]><p>\u00e8", // declined: the full parser runs on the decoded page
  "<plaintext>\u00e9 <b>\u00e8",
  "<p>\u212a\u0130 \u017f</p><\u212aBD>k</\u212abd><scr\u0130pt>x</script>",
  "\u00e9",
  "",
];

test("parsed from its UTF-8 bytes, a page gives the tree of its decoded text: hand-picked markup", () => {
  for (const html of [...CASES, ...UNICODE_CASES]) sameFromBytes(Buffer.from(html, "utf8"));
  // Bytes that are not UTF-8: each bad or cut-off sequence is one U+FFFD, as in a whole-page decode.
  const bad = [
    Buffer.from([0x3c, 0x70, 0x3e, 0xff, 0xe2, 0x80, 0x3c, 0x2f, 0x70, 0x3e, 0xc3]), // <p>\xff\xe2\x80</p>\xc3
    Buffer.concat([Buffer.from("<a title=\""), Buffer.from([0xe2, 0x82]), Buffer.from("\" href=/x\xe9>t</a>", "latin1")]),
    Buffer.concat([Buffer.from("<di"), Buffer.from([0xf0, 0x9f]), Buffer.from("v>x</div><p>&amp;"), Buffer.from([0x80, 0x80])]),
    // a NUL inside a sequence (E2 00 80 80): dropped after decoding, it must not make U+2000 of E2 80 80
    Buffer.concat([Buffer.from("<p title=\"a"), Buffer.from([0xe2, 0x00, 0x80, 0x80]), Buffer.from("\">b"), Buffer.from([0xe2, 0x00, 0x80, 0x80]), Buffer.from("</p>")]),
  ];
  for (const b of bad) sameFromBytes(b);
});

test("parsed from its UTF-8 bytes, every page of the practice site gives the tree of its decoded text", async (t) => {
  const site = await startPracticeSite({ pages: 300, modes: ["js", "trap", "cookies"] });
  t.after(() => site.close());
  let nonAscii = 0;
  for (const path of site.manifest.pages) {
    const res = await fetch(site.url + path, { redirect: "manual" });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200 || !(res.headers.get("content-type") ?? "").includes("charset=utf-8")) continue;
    if (body.some((b) => b > 0x7f)) nonAscii++;
    sameFromBytes(body);
  }
  assert.ok(nonAscii >= 50, `only ${nonAscii} pages with non-ASCII text`);
});

test("parsed from its UTF-8 bytes, random tag soup with non-ASCII names, values and text gives the tree of its decoded text", () => {
  // Letters swapped for characters of 2, 3 and 4 UTF-8 bytes, some whose case changes (É, K, İ).
  const swap: Record<string, string> = { x: "\u00e9", y: "\u00c9", q: "\u201c", u: "\ud83d\ude00", k: "\u212a", z: "\u0130", c: "\u00e7" };
  for (let seed = 1; seed <= 2000; seed++) {
    const html = soup(seed, seed % 2 === 0).replace(/[xyqukzc]/g, (ch) => (seed % 3 === 0 && ch === "c" ? ch : swap[ch]!));
    let bytes = Buffer.from(html, "utf8");
    if (seed % 5 === 0) {
      // and a stray byte that is not UTF-8, in a random place
      const at = seed % (bytes.length + 1);
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([seed % 2 ? 0xff : 0xe2]), bytes.subarray(at)]);
    }
    sameFromBytes(bytes, seed % 4 < 2);
  }
});
