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
import { DOM_ADAPTER, isElement, type DocumentNode, type DomNode, type ElementNode } from "./dom.js";

export type Predicate = (node: DomNode) => boolean;

/** A field selector bound to a swappable root. */
export interface ScopedQuery {
  readonly match: Predicate;
  readonly context: DomNode[];
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
  return compileChecked(selector, {});
}

export function compileScopedQuery(selector: string): ScopedQuery {
  const context: DomNode[] = [PLACEHOLDER];
  return { match: compileChecked(selector, { context, cacheResults: false }), context };
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
  q.context[0] = root;
  const el = selectOne<DomNode, ElementNode>(q.match, root, RUN_OPTIONS);
  q.context[0] = PLACEHOLDER; // do not keep the last page's DOM alive through the compiled query
  return el;
}

export function selectEvery(q: ScopedQuery, root: DomNode): ElementNode[] {
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
  const stack: DomNode[][] = [doc.children];
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
    for (let q = 0; q < n; q++) if (queries[q]!(node)) out[q]!.push(node);
    if (node.children.length > 0 && node.name !== "template") {
      top++;
      stack[top] = node.children;
      index[top] = 0;
    }
  }
}
