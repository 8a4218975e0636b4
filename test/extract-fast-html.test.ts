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
