/**
 * HTML parsing for extraction: the page parser (page-parser.ts) builds the DomNode tree
 * (dom.ts), and a scanner picks up what every page needs (title, <base href>, plain links)
 * from parser events, so nothing has to walk the tree again for them and pages that need no
 * DOM are never built.
 */
import type { Handler, Parser } from "htmlparser2";
import { appendChild, createDocument, createElement, createText, listValue, type DocumentNode, type DomNode } from "./dom.js";
import { createPageParser, toAttribList, type AttribList } from "./page-parser.js";
import { buildFast, type TreeSink } from "./fast-html.js";
import { textOfUtf8Bytes } from "../shared/utf8-bytes.js";

/** Off only to compare with htmlparser2 (GLEANER_FAST_HTML=0, used by bench/extract-micro.ts). */
const FAST_HTML_ACTIVE = process.env.GLEANER_FAST_HTML !== "0";

export { DEPTH_CAP_ACTIVE, MAX_DEPTH } from "./page-parser.js";

/** What the scanner collects while the parser runs. */
export interface PageScan {
  /** Raw href of the first <base href>, if any. */
  baseHref: string | null;
  /** Text of the first HTML <title> (raw, untrimmed), or null. */
  title: string | null;
  /** Raw hrefs of every a[href] / area[href], in document order (only when collecting links). */
  hrefs: string[] | null;
}

/** Shared event logic for the DOM handler and the DOM-less scanner. */
class Scanner {
  readonly scan: PageScan;
  private inTitle = false;
  private titleDone = false;
  private svgDepth = 0;
  /** Set by the DOM-less scanner: stop once title and base can no longer change what we return. */
  private readonly stopEarly: (() => void) | null;

  constructor(collectLinks: boolean, stopEarly: (() => void) | null) {
    this.scan = { baseHref: null, title: null, hrefs: collectLinks ? [] : null };
    this.stopEarly = stopEarly;
  }

  open(name: string, attribs: AttribList): void {
    switch (name) {
      case "a":
      case "area": {
        if (this.scan.hrefs === null) return;
        const href = listValue(attribs, "href");
        if (href !== undefined) this.scan.hrefs.push(href);
        return;
      }
      case "base":
        if (this.scan.baseHref === null) this.scan.baseHref = listValue(attribs, "href") ?? null;
        return;
      case "title":
        // An <svg><title> is a tooltip, not the document title.
        if (!this.titleDone && this.svgDepth === 0) {
          this.inTitle = true;
          this.scan.title = "";
        }
        return;
      case "svg":
        this.svgDepth++;
        return;
      case "body":
        if (this.stopEarly !== null && this.titleDone) this.stopEarly();
        return;
    }
  }

  text(data: string): void {
    if (this.inTitle) this.scan.title += data;
  }

  close(name: string): void {
    if (name === "title" && this.inTitle) {
      this.inTitle = false;
      this.titleDone = true;
      if (this.stopEarly !== null && this.scan.baseHref !== null) this.stopEarly();
    } else if (name === "svg" && this.svgDepth > 0) {
      this.svgDepth--;
    }
  }
}

/**
 * Builds the DomNode tree (see dom.ts) from parser events, the way domhandler would minus
 * comments and doctypes, and feeds the scanner on the way. Adjacent text events (split by
 * entities, or by a dropped comment) go into one text node.
 */
class TreeBuilder {
  readonly root = createDocument();
  readonly scanner: Scanner;
  /** Open elements, root first; `top` is the last one. */
  private readonly stack: DomNode[] = [this.root];
  private top: DomNode = this.root;
  /** The text node that further text appends to, or null after any tag event. */
  private lastText: DomNode | null = null;

  constructor(collectLinks: boolean) {
    this.scanner = new Scanner(collectLinks, null);
  }

  onopentag(name: string, raw: unknown): void {
    const attribs = toAttribList(raw);
    const el = createElement(name, attribs);
    appendChild(this.top, el);
    this.stack.push(el);
    this.top = el;
    this.lastText = null;
    this.scanner.open(name, attribs);
  }

  ontext(data: string): void {
    if (this.lastText !== null) this.lastText.data += data;
    else {
      const node = createText(data);
      appendChild(this.top, node);
      this.lastText = node;
    }
    this.scanner.text(data);
  }

  onclosetag(): void {
    this.lastText = null;
    // At end of input the parser also closes a tag whose start tag was cut off (never opened
    // here); the root is never popped.
    const stack = this.stack;
    if (stack.length === 1) return;
    const el = stack.pop()!;
    this.top = stack[stack.length - 1]!;
    this.scanner.close(el.name);
  }
}

/**
 * Browsers drop NUL characters from text; they also poison downstream stores (PostgreSQL text).
 * Dropped after decoding: a NUL inside a UTF-8 sequence must not join its bytes into a character,
 * so UTF-8-bytes markup holding one is decoded first (parsePage, scanPage).
 */
function stripNul(html: string): string {
  return html.indexOf("\0") === -1 ? html : html.replaceAll("\0", "");
}

/**
 * Parse into a DOM, collecting title/base (and plain links when asked) on the way.
 * `utf8Bytes`: `html` is UTF-8 markup one byte per char (src/shared/utf8-bytes.ts); the tree is the same
 * as for the decoded page.
 */
export function parsePage(html: string, collectLinks: boolean, utf8Bytes = false): { doc: DocumentNode; scan: PageScan } {
  if (utf8Bytes && html.indexOf("\0") !== -1) return parsePage(textOfUtf8Bytes(html), collectLinks);
  const clean = utf8Bytes ? html : stripNul(html); // (bytes: no NUL, checked above)
  if (FAST_HTML_ACTIVE) {
    const fast = new TreeBuilder(collectLinks);
    if (buildFast(clean, fast, utf8Bytes)) return { doc: fast.root, scan: fast.scanner.scan };
  }
  return parseFull(utf8Bytes ? textOfUtf8Bytes(clean) : clean, collectLinks);
}

/** htmlparser2 all the way (what the fast path must match). */
export function parseFull(html: string, collectLinks: boolean): { doc: DocumentNode; scan: PageScan } {
  const builder = new TreeBuilder(collectLinks);
  createPageParser(builder as Partial<Handler>).end(stripNul(html));
  return { doc: builder.root, scan: builder.scanner.scan };
}

/**
 * Tokenize without building a DOM. Without links to collect, stops at <body> once the title
 * is known (or at </title> once base is known); <base> after that is ignored.
 */
export function scanPage(html: string, collectLinks: boolean, utf8Bytes = false): PageScan {
  if (utf8Bytes && html.indexOf("\0") !== -1) return scanPage(textOfUtf8Bytes(html), collectLinks);
  if (collectLinks && FAST_HTML_ACTIVE) {
    // Every link is wanted, so the whole page is read: the fast tree pass without a tree.
    const scanner = new Scanner(true, null);
    const sink: TreeSink = {
      onopentag: (name, attribs) => scanner.open(name, attribs),
      ontext: (data) => scanner.text(data),
      onclosetag: (name) => scanner.close(name),
    };
    if (buildFast(utf8Bytes ? html : stripNul(html), sink, utf8Bytes)) return scanner.scan;
  }
  if (utf8Bytes) html = textOfUtf8Bytes(html);
  let parser: Parser | null = null;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    parser?.pause();
  };
  const scanner = new Scanner(collectLinks, collectLinks ? null : stop);
  const cbs: Partial<Handler> = {
    onopentag: (name, attribs) => scanner.open(name, toAttribList(attribs)),
    ontext: (data) => scanner.text(data),
    onclosetag: (name) => scanner.close(name),
  };
  parser = createPageParser(cbs);
  parser.write(stripNul(html));
  if (!stopped) parser.end();
  return scanner.scan;
}
