/**
 * Simple compound selectors (`span.text`, `#id`, `a[href]`) are tested without css-select
 * (selectors.ts, simpleCompound); these tests hold that path to css-select's own answers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { compile, selectAll } from "css-select";
import { DOM_ADAPTER, isElement, type DomNode, type ElementNode } from "../src/extract/dom.js";
import { parsePage } from "../src/extract/parse.js";
import { compilePageQuery, compileScopedQuery, selectEvery, selectFirst } from "../src/extract/selectors.js";
import { mulberry32 } from "../src/practice/random.js";

/** css-select's answer, as the extractor asked it before the fast path existed. */
function reference(selector: string, root: DomNode): ElementNode[] {
  return selectAll<DomNode, ElementNode>(compile<DomNode, ElementNode>(selector, { adapter: DOM_ADAPTER }), root, { adapter: DOM_ADAPTER });
}

function elements(root: DomNode): DomNode[] {
  const out: DomNode[] = [];
  const walk = (n: DomNode): void => {
    for (const c of n.children) {
      if (isElement(c)) out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

function same(selector: string, root: DomNode, label: string): void {
  const q = compileScopedQuery(selector);
  const want = reference(selector, root);
  assert.deepEqual(selectEvery(q, root), want, `${label}: ${selector}`);
  assert.equal(selectFirst(q, root), want[0] ?? null, `${label} (first): ${selector}`);
}

test("simple compounds take the fast path; everything else stays with css-select", () => {
  for (const s of ["span.text", "#products", "a[href]", "*.a", "DIV.a.b", "[data-x]", "td.price.big", "time#t[datetime]"]) {
    assert.notEqual(compileScopedQuery(s).simple, null, s);
  }
  for (const s of ["div > a", "div a", "a:first-child", "a, b", "[type=text]", "[class^=a]", "a.b:not(.c)", "+ p", "[id=x i]"]) {
    assert.equal(compileScopedQuery(s).simple, null, s);
  }
});

test("the fast path answers like css-select on hand-picked markup", () => {
  const html = `<html><body>
    <div class="a b" id="x"><span class="A">1</span><span class="a\tb">2</span><span class="a\u00a0c">3</span>
      <span class=" a ">4</span><span class="ab">5</span><span class="b-a a-b">6</span><span class="">7</span></div>
    <DIV CLASS="a"><A HREF="/x" DATA-X="1">up</A><a>no href</a></DIV>
    <template><span class="a">in a template</span></template>
    <script class="a">var s = 1;</script>
    <svg><clipPath class="a" id="c"></clipPath><foreignObject><span class="a">fo</span></foreignObject></svg>
    <p id="X">case</p><p id="x y">space</p>
  </body></html>`;
  const { doc } = parsePage(html, false);
  const selectors = ["span.a", ".a", ".A", "span.b", ".a.b", "div.a.b", "#x", "#X", "#x.a", "a[href]", "A[HREF]", "[data-x]", "[DATA-X]", "*", "script.a", "clipPath", "clippath", "#c", "template", "span", ".c", "*.b-a", "p#x"];
  for (const s of selectors) {
    same(s, doc, "document");
    const div = elements(doc).find((e) => e.name === "div")!;
    same(s, div, "div");
  }
  // Page queries: the predicate itself, element by element.
  for (const s of selectors) {
    const fast = compilePageQuery(s);
    const slow = compile<DomNode, ElementNode>(s, { adapter: DOM_ADAPTER });
    for (const el of elements(doc)) assert.equal(fast(el), slow(el), `${s} on <${el.name}>`);
  }
});

test("the fast path answers like css-select on 400 random documents", () => {
  const next = mulberry32(3);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const tags = ["div", "span", "a", "p", "li", "template", "em", "DIV", "Span"];
  const tokens = ["a", "b", "A", "ab", "a-b", "é", "x_1"];
  const spaces = [" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\f"];
  const classAttr = (): string => {
    let v = next() < 0.2 ? pick(spaces) : "";
    const n = 1 + Math.floor(next() * 3);
    for (let i = 0; i < n; i++) v += (i > 0 ? pick(spaces) : "") + pick(tokens);
    return next() < 0.2 ? v + pick(spaces) : v;
  };
  const element = (depth: number): string => {
    const tag = pick(tags);
    let attrs = "";
    if (next() < 0.7) attrs += ` class="${classAttr()}"`;
    if (next() < 0.3) attrs += ` id="${pick(tokens)}"`;
    if (next() < 0.3) attrs += pick([" href=/x", " HREF='y'", " data-x", " data-x=1"]);
    let inner = "";
    const kids = depth > 3 ? 0 : Math.floor(next() * 4);
    for (let i = 0; i < kids; i++) inner += next() < 0.25 ? "text " : element(depth + 1);
    return `<${tag}${attrs}>${inner}</${tag}>`;
  };
  const compound = (): string => {
    let s = next() < 0.5 ? pick(["div", "span", "a", "p", "LI", "template", "*"]) : "";
    const n = (s === "" ? 1 : 0) + Math.floor(next() * 3);
    for (let i = 0; i < n; i++) s += pick([`.${pick(["a", "b", "A", "ab", "a-b", "x_1"])}`, `#${pick(["a", "b", "A", "ab"])}`, "[href]", "[data-x]", "[DATA-X]"]);
    return s;
  };
  let matched = 0;
  for (let d = 0; d < 400; d++) {
    let body = "";
    for (let i = 0; i < 4; i++) body += element(0);
    const { doc } = parsePage(`<html><body>${body}</body></html>`, false);
    const roots = [doc, ...elements(doc).filter(() => next() < 0.1)];
    for (let k = 0; k < 8; k++) {
      const s = compound();
      assert.notEqual(compileScopedQuery(s).simple, null, s);
      for (const root of roots) same(s, root, `document ${d}`);
      matched += reference(s, doc).length;
      const fast = compilePageQuery(s);
      const slow = compile<DomNode, ElementNode>(s, { adapter: DOM_ADAPTER });
      for (const el of elements(doc)) assert.equal(fast(el), slow(el), `${s} on <${el.name}> in document ${d}`);
    }
  }
  assert.ok(matched > 1000, `the selectors matched something (${matched})`);
});
