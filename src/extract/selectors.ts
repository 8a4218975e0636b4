/**
 * CSS selectors, compiled once per spec with css-select.
 *
 * Two kinds:
 * - page queries (`each`, follow selectors) are plain predicates, all tested in ONE walk of
 *   the document (`walkMatches`) instead of one css-select traversal per selector;
 * - scoped queries (field selectors) run under a root that changes per item. css-select binds
 *   `:scope` (and relative selectors like "> a") to a context array at compile time, so we hand
 *   it a one-slot array and swap the root into it before each query, the way css-select's own
 *   `:has` does. Result caching is off for those, since the cache would outlive a root.
 */
import { compile, selectAll, selectOne, type Options } from "css-select";
import { parse as parseSelector } from "css-what";
import { attrValue, DOM_ADAPTER, isElement, listValue, type DocumentNode, type DomNode, type ElementNode } from "./dom.js";

export type Predicate = (node: DomNode) => boolean;

/** A field selector bound to a swappable root. */
export interface ScopedQuery {
  readonly match: Predicate;
  readonly context: DomNode[];
  /** The same test without css-select, when the selector is one simple compound (see simpleCompound). */
  readonly simple: Predicate | null;
}

/** Any object works as the compile-time placeholder: it is replaced before every query. */
const PLACEHOLDER = {} as DomNode;

/** Options for running a compiled query: only the adapter matters then. */
const RUN_OPTIONS: Options<DomNode, ElementNode> = { adapter: DOM_ADAPTER };

/** Scrapy/parsel habits that css-select cannot do, with what to write instead. */
const HINTS: [RegExp, string][] = [
  [/::text\b/, 'drop "::text": fields take the text by default'],
  [/::attr\(/, 'drop "::attr(...)" and set the field\'s `attr` instead'],
];

/** Compile with css-select; errors become one SyntaxError saying what and how to fix it. */
function compileChecked(selector: string, options: { context?: DomNode[]; cacheResults?: boolean }): Predicate {
  if (typeof selector !== "string" || selector.trim() === "") throw new SyntaxError("selector is empty");
  let why: string;
  // css-what accepts a dangling combinator ("div >") and then matches oddly: it is a typo.
  if (/[>+~]\s*$/.test(selector)) why = "it ends with a combinator";
  else {
    try {
      return compile<DomNode, ElementNode>(selector, { ...options, adapter: DOM_ADAPTER }) as Predicate;
    } catch (err) {
      why = err instanceof Error ? err.message : String(err);
    }
  }
  const hint = HINTS.find(([re]) => re.test(selector));
  throw new SyntaxError(`invalid CSS selector ${JSON.stringify(selector)}: ${why}${hint ? ` (${hint[1]})` : ""}`);
}

export function compilePageQuery(selector: string): Predicate {
  const match = compileChecked(selector, {});
  return simpleCompound(selector) ?? match;
}

export function compileScopedQuery(selector: string): ScopedQuery {
  const context: DomNode[] = [PLACEHOLDER];
  const match = compileChecked(selector, { context, cacheResults: false });
  return { match, context, simple: simpleCompound(selector) };
}

/** JS's \s, which css-select's class test (`(?:^|\s)name(?:$|\s)`) splits on. */
function isJsSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Whether `value` (non-empty, no whitespace) is one of the whitespace-separated tokens of `attr`. */
function hasToken(attr: string, value: string): boolean {
  const n = value.length;
  for (let at = attr.indexOf(value); at !== -1; at = attr.indexOf(value, at + 1)) {
    if ((at === 0 || isJsSpace(attr.charCodeAt(at - 1))) && (at + n === attr.length || isJsSpace(attr.charCodeAt(at + n)))) return true;
  }
  return false;
}

/**
 * The most common selectors — one compound of a tag or `*`, classes, ids and `[attr]`s, like
 * `span.text`, `#price` or `a[href]` — tested directly: what css-select compiles for them is a
 * chain of closures and a regex per class, and fields run them under every item of every page.
 * The test is css-select's (HTML mode): tag and attribute names lower-cased, classes and ids
 * case-sensitive, a class token ends at any JS whitespace. Anything else (combinators, pseudos,
 * other attribute operators, selector lists) stays with css-select; test/extract-selectors.test.ts
 * compares both on random documents and selectors.
 */
function simpleCompound(selector: string): Predicate | null {
  let groups: ReturnType<typeof parseSelector>;
  try {
    groups = parseSelector(selector);
  } catch {
    return null;
  }
  if (groups.length !== 1) return null;
  let tag: string | null = null;
  const ids: string[] = [];
  const classes: string[] = [];
  const present: string[] = [];
  for (const t of groups[0]!) {
    if (t.type === "universal" && t.namespace === null) continue;
    if (t.type === "tag" && t.namespace === null && tag === null) {
      tag = t.name.toLowerCase();
      continue;
    }
    if (t.type !== "attribute" || t.namespace !== null) return null;
    const name = t.name.toLowerCase();
    if (t.action === "exists") present.push(name);
    else if (name === "class" && t.action === "element" && t.ignoreCase !== true && t.value !== "" && !/\s/.test(t.value)) classes.push(t.value);
    else if (name === "id" && t.action === "equals" && t.ignoreCase !== true) ids.push(t.value);
    else return null;
  }
  return (el) => {
    if (tag !== null && el.name !== tag) return false;
    if (ids.length > 0) {
      const id = attrValue(el, "id");
      for (let i = 0; i < ids.length; i++) if (id !== ids[i]) return false;
    }
    if (classes.length > 0) {
      const cls = attrValue(el, "class");
      if (cls === undefined) return false;
      for (let i = 0; i < classes.length; i++) if (!hasToken(cls, classes[i]!)) return false;
    }
    for (let i = 0; i < present.length; i++) if (listValue(el.attribs, present[i]!) === undefined) return false;
    return true;
  };
}

/**
 * Every element under `root` (not `root` itself) in document order, as css-select's findAll and
 * findOne walk them: not inside <template>. Stops when `visit` returns false.
 */
function eachElementUnder(root: DomNode, visit: (el: ElementNode) => boolean): void {
  const stack: DomNode[][] = [root.children];
  const index: number[] = [0];
  let top = 0;
  while (top >= 0) {
    const list = stack[top]!;
    const i = index[top]!;
    if (i >= list.length) {
      top--;
      continue;
    }
    index[top] = i + 1;
    const node = list[i]!;
    if (!isElement(node)) continue;
    if (!visit(node)) return;
    if (node.children.length > 0 && node.name !== "template") {
      top++;
      stack[top] = node.children;
      index[top] = 0;
    }
  }
}

/** Elements under `root` that pass `test`, in document order; at most one with `first`. */
function walkUnder(root: DomNode, test: Predicate, first: boolean): ElementNode[] {
  const out: ElementNode[] = [];
  eachElementUnder(root, (el) => {
    if (!test(el)) return true;
    out.push(el);
    return !first;
  });
  return out;
}

/** null if `selector` compiles (as a field selector: relative forms like "> a" allowed), else why. */
export function validateSelector(selector: string): string | null {
  try {
    compileScopedQuery(selector);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** First descendant of `root` matching `q` (or a following sibling for "+ x" / "~ x"). */
export function selectFirst(q: ScopedQuery, root: DomNode): ElementNode | null {
  if (q.simple !== null) return walkUnder(root, q.simple, true)[0] ?? null;
  q.context[0] = root;
  const el = selectOne<DomNode, ElementNode>(q.match, root, RUN_OPTIONS);
  q.context[0] = PLACEHOLDER; // do not keep the last page's DOM alive through the compiled query
  return el;
}

export function selectEvery(q: ScopedQuery, root: DomNode): ElementNode[] {
  if (q.simple !== null) return walkUnder(root, q.simple, false);
  q.context[0] = root;
  const els = selectAll<DomNode, ElementNode>(q.match, root, RUN_OPTIONS);
  q.context[0] = PLACEHOLDER;
  return els;
}

/**
 * One pre-order walk of the document testing every page query; `out[i]` receives the matches of
 * `queries[i]` in document order. Like css-select, does not look inside <template>.
 */
export function walkMatches(doc: DocumentNode, queries: Predicate[], out: ElementNode[][]): void {
  const n = queries.length;
  eachElementUnder(doc, (el) => {
    for (let q = 0; q < n; q++) if (queries[q]!(el)) out[q]!.push(el);
    return true;
  });
}
