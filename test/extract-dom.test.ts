/**
 * The extraction DOM (dom.ts, page-parser.ts, fast-tokenizer.ts) against the stock stack it
 * replaced: htmlparser2's own Parser + Tokenizer into domhandler, queried with css-select's
 * default adapter. Same trees (minus comments and doctypes), same selector matches.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { selectAll } from "css-select";
import type { AnyNode } from "domhandler";
import { parseDocument } from "htmlparser2";
import { compileExtractor } from "../src/extract/index.js";
import { DOM_ADAPTER, type DomNode } from "../src/extract/dom.js";
import { FAST_TOKENIZER_ACTIVE } from "../src/extract/fast-tokenizer.js";
import { ATTRIB_LISTS_ACTIVE } from "../src/extract/page-parser.js";
import { parsePage } from "../src/extract/parse.js";
import type { FieldSpec } from "../src/spec/types.js";

/** Markup that has tripped HTML parsers: implied closes, foreign content, raw text, entities. */
const TRICKY = [
  `<!DOCTYPE html><html><head><title>T &amp; t</title></head><body><p>a<p>b<div>c</div></body></html>`,
  `<ul><li>one<li>two<ul><li>nested</ul></ul><dl><dt>t<dd>d<dt>t2</dl>`,
  `<table><tr><td>1<td>2<tr><th>h</table><select><option>a<option>b<optgroup><option>c</select>`,
  `<p>text <!-- comment --> more <![CDATA[ cdata ]]> end</p><svg><title>tip</title><![CDATA[x<y]]><foreignObject><p>in</p></foreignObject><path/></svg>`,
  `<math><mi>x</mi></math><svg viewBox="0 0 1 1"><clipPath id=c /><linearGradient/></svg><image src=i.png>`,
  `<script>if (a < b && c > d) document.write("</div>")</script><style>p > a { x: "</p>" }</style><textarea>&lt;b&gt; &amp</textarea>`,
  `<a href="/x?a=1&b=2&amp;c=3&copy=4">&notit; &notin; &#x41;&#65;&#0;&#xD800;&</a><b title='it&apos;s "q"' data-x=un&amp;quoted>`,
  `<div CLASS="A b" Class="dup" id=x ID=y><BR/></BR></br><form><form><input name=q></form></p></div>`,
  `<xmp><b>raw</b></xmp><noscript><b>ns</b></noscript><template><i>tpl</i></template><iframe><b>if</b></iframe>`,
  `<a href=1>one<a href=2>two</a></a><h1>h<h2>h2</h1>after<p><div>x</div></p>`,
  `<div\n  class = "spaced"\tdata-a\n=\n'1'  checked >t</div ><p/>x</p junk attr="y">tail`,
  `<!x><?php echo 1 ?><!--->a<!---->b<!-- -- --!>c<!-- unterminated`,
  `<plaintext><b>everything after is text</b></plaintext>`,
  `text only, no tags &amp; an entity at the very end &amp`,
  `<div class="a" <span>broken</span> <a href="/ok">ok</a>`,
  `<div title="unterminated attribute><p>x</p>`,
];

/** Deterministic random markup from fragments that exercise every tokenizer state. */
function randomHtml(seed: number): string {
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;
  const tags = ["div", "span", "a", "p", "li", "ul", "b", "br", "td", "tr", "table", "script", "style", "title", "svg", "path", "textarea", "template", "h1", "img", "form", "option", "DIV", "Image"];
  const texts = ["hi", " ", " \n\t", "&amp;", "&lt;x&gt;", "&nbsp;", "&copy", "a&b", "<!-- c -->", "<![CDATA[x]]>", "<!DOCTYPE x>", "</", "<?x?>", "&#8220;", "\r\n", "<!x>"];
  const vals = ["/a", "x y", "", "&amp;q", "a&b", "'", '"', "é"];
  const gen = (depth: number): string => {
    let out = "";
    for (let n = Math.floor(rnd() * 5); n > 0; n--) {
      if (rnd() < 0.35 || depth > 6) out += pick(texts);
      else {
        const t = pick(tags);
        let attrs = "";
        for (let k = Math.floor(rnd() * 3); k > 0; k--) {
          const v = pick(vals);
          const q = v.includes('"') ? "'" : '"';
          attrs += ` ${pick(["class", "href", "id", "data-x", "CLASS", "title"])}` + (rnd() < 0.2 ? "" : `=${q}${v}${q}`);
        }
        out += `<${t}${attrs}>${gen(depth + 1)}` + (rnd() < 0.8 ? `</${rnd() < 0.1 ? pick(tags) : t}>` : "");
      }
    }
    return out;
  };
  return gen(0);
}

type Shape = string | [string, string, string[], Shape[]];

/** domhandler tree as [type, name, sorted attributes, children], comments dropped, text merged. */
function stockShape(nodes: AnyNode[]): Shape[] {
  const out: Shape[] = [];
  for (const n of nodes) {
    if (n.type === "text") {
      if (typeof out[out.length - 1] === "string") out[out.length - 1] += n.data;
      else out.push(n.data);
    } else if (n.type === "tag" || n.type === "script" || n.type === "style") {
      const attrs = Object.entries(n.attribs).map(([k, v]) => `${k}=${v}`).sort();
      out.push([n.type, n.name, attrs, stockShape(n.children)]);
    }
  }
  return out;
}

/** Our tree in the same form; duplicate attribute names keep the first, as objects do. */
function ourShape(nodes: DomNode[]): Shape[] {
  return nodes.map((n) => {
    if (n.type === "text") return n.data;
    const seen = new Map<string, string>();
    for (let i = 0; i < n.attribs.length; i += 2) if (!seen.has(n.attribs[i]!)) seen.set(n.attribs[i]!, n.attribs[i + 1]!);
    return [n.type, n.name, [...seen].map(([k, v]) => `${k}=${v}`).sort(), ourShape(n.children)];
  });
}

const SELECTORS = [
  "*", "div", "a[href]", "[class~=y]", "[data-x^='&']", "p:empty", "div:empty", "li:first-child", "b:last-child",
  "td:nth-child(2)", "span + a", "a ~ b", "div > p", ":has(> a)", "div:contains(hi)", "span:first-of-type",
  "a:not([href])", "li:nth-of-type(odd)", "svg title", "template a", "option:only-child", "title, textarea",
];

/** Path of element-child indexes from the root: the same element in both trees has the same path. */
function elementPath(node: { parent: unknown }, parentOf: (n: never) => unknown, siblingsOf: (n: never) => unknown[], isEl: (n: never) => boolean): string {
  const parts: number[] = [];
  let n = node as never;
  while (parentOf(n)) {
    parts.unshift(siblingsOf(n).filter((x) => isEl(x as never)).indexOf(n));
    n = parentOf(n) as never;
  }
  return parts.join("/");
}

function assertSameAsStock(html: string): void {
  const stock = parseDocument(html);
  const { doc } = parsePage(html, false);
  assert.deepEqual(ourShape(doc.children), stockShape(stock.children), html);
  for (const sel of SELECTORS) {
    const isStockEl = (n: AnyNode): boolean => n.type === "tag" || n.type === "script" || n.type === "style";
    const want = selectAll(sel, stock).map((el) =>
      elementPath(el, (n: AnyNode) => n.parent, (n: AnyNode) => n.parent!.children, isStockEl),
    );
    const got = selectAll<DomNode, DomNode>(sel, doc, { adapter: DOM_ADAPTER }).map((el) =>
      elementPath(el, (n: DomNode) => n.parent, (n: DomNode) => n.parent!.children, DOM_ADAPTER.isTag),
    );
    assert.deepEqual(got, want, `${sel} on ${html}`);
  }
}

test("the fast paths are installed (htmlparser2 internals as expected)", () => {
  assert.ok(FAST_TOKENIZER_ACTIVE, "fast tokenizer self-check failed: htmlparser2 internals changed");
  assert.ok(ATTRIB_LISTS_ACTIVE, "attribute-list hook self-check failed: htmlparser2 internals changed");
});

test("tricky markup: same tree and same selector matches as htmlparser2 + domhandler", () => {
  for (const html of TRICKY) assertSameAsStock(html);
});

test("random markup: same tree and same selector matches as htmlparser2 + domhandler", () => {
  for (let seed = 1; seed <= 400; seed++) assertSameAsStock(randomHtml(seed));
});

test("every node has the same properties in the same order (one hidden class)", () => {
  const { doc } = parsePage(`<!DOCTYPE html><p class=a>x<!-- c --><script>s</script><br>&amp;</p>`, false);
  const keys = new Set<string>();
  const walk = (n: DomNode): void => {
    keys.add(Object.keys(n).join(","));
    n.children.forEach(walk);
  };
  walk(doc);
  assert.deepEqual([...keys], ["type,name,attribs,children,parent,prev,data"]);
  // Comments and doctypes are not built; text around a comment is one node.
  const p = doc.children[0]!;
  assert.deepEqual(p.children.map((c) => c.type), ["text", "script", "tag", "text"]);
  assert.equal(p.children[0]!.data, "x");
});

test("attributes: first of duplicates wins; names like constructor are plain attributes", () => {
  const f = (o: Partial<FieldSpec>): FieldSpec => ({ all: false, type: "string", trim: true, required: false, ...o });
  const ex = compileExtractor(
    [{ type: "p", fields: {
      dup: f({ selector: "a[data-x='1']", attr: "data-x" }),
      notDup: f({ selector: "a[data-x='2']" }),
      ctor: f({ selector: "a", attr: "constructor" }),
      proto: f({ selector: "a", attr: "toString" }),
      own: f({ selector: "b", attr: "constructor" }),
    } }],
    [],
  );
  const r = ex.extract(`<a data-x="1" DATA-X="2" href="/a">a</a><b constructor="c">b</b>`, "https://site.test/");
  assert.deepEqual(r.items[0]!.data, { dup: "1", notDup: null, ctor: null, proto: null, own: "c" });
});
