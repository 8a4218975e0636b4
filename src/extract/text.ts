/**
 * Text of a node, as a scraper wants it (closer to innerText than textContent):
 * - <script>, <style>, <template> and <noscript> inside the node are skipped (selecting a
 *   <script> directly still returns its text, e.g. JSON-LD);
 * - <br> and block boundaries become "\n" when collapsing, so "<td>a</td><td>b</td>" is "a b";
 * - comments are not in the DOM (see dom.ts); entities were decoded by the parser.
 * Recursion depth is bounded by the parser's MAX_DEPTH.
 */
import type { DomNode } from "./dom.js";

// <script>/<style> have their own node types; these are the plain tags whose content is not shown.
const SKIPPED = new Set(["template", "noscript"]);
const BLOCKS = new Set([
  "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption",
  "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
  "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
  "caption", "option", "summary", "details",
]);

/**
 * Text of an element or document (a selected <script>/<style> returns its own text).
 * `separate`: put "\n" at <br> and block boundaries (used when the value is collapsed anyway;
 * raw text, trim: false, gets the text nodes exactly as written).
 */
export function nodeText(node: DomNode, separate: boolean): string {
  return childrenText(node, "", separate);
}

function childrenText(parent: DomNode, acc: string, separate: boolean): string {
  const children = parent.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    switch (child.type) {
      case "text":
        acc += child.data;
        break;
      case "tag": {
        const name = child.name;
        if (SKIPPED.has(name)) break; // not visible text
        if (!separate) acc = childrenText(child, acc, false);
        else if (name === "br") acc += "\n";
        else if (BLOCKS.has(name)) acc = childrenText(child, acc + "\n", true) + "\n";
        else acc = childrenText(child, acc, true);
        break;
      }
      default:
        // nested <script>/<style> (their own node types) are not text
        break;
    }
  }
  return acc;
}

// Runs of 2+ whitespace, or one whitespace character that is not a plain space: a lone " " is
// left alone, so already-clean text is returned without building a new string.
const WS_TO_COLLAPSE = /\s{2,}|[^\S ]/g;

/** Collapse every run of whitespace (as JS \s: includes NBSP) to one space and trim. */
export function collapseWhitespace(s: string): string {
  return s.replace(WS_TO_COLLAPSE, " ").trim();
}
