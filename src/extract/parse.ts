/**
 * HTML parsing for extraction: htmlparser2 with two hardening changes, plus a scanner that
 * picks up what every page needs (title, <base href>, plain links) from parser events, so
 * nothing has to walk the tree again for them and pages that need no DOM are never built.
 *
 * Hardening: htmlparser2 keeps its open-element stack with Array#unshift and the DOM helpers
 * recurse, so 100k nested tags cost O(n²) time or overflow the call stack. Like Blink
 * (kMaximumHTMLParserDOMTreeDepth), elements deeper than MAX_DEPTH become siblings of the
 * deepest open element instead of its children: text and elements are kept, the tree is flatter.
 */
import { Parser, type Handler } from "htmlparser2";
import { DomHandler, type Document, type Element } from "domhandler";

export const MAX_DEPTH = 512;

interface ParserInternals {
  stack: string[];
  emitOpenTag(name: string): void;
  popElement(implied: boolean): void;
  isVoidElement(name: string): boolean;
}

const parserProto = Parser.prototype as unknown as ParserInternals;
const baseEmitOpenTag = parserProto.emitOpenTag;

/** False if htmlparser2's internals moved (a version bump): the depth test in test/ then fails loudly. */
export const DEPTH_CAP_ACTIVE = typeof baseEmitOpenTag === "function" && typeof parserProto.popElement === "function";

class CappedParser extends Parser {}
if (DEPTH_CAP_ACTIVE) {
  Object.defineProperty(CappedParser.prototype, "emitOpenTag", {
    configurable: true,
    writable: true,
    value: function emitOpenTag(this: ParserInternals, name: string): void {
      if (this.stack.length >= MAX_DEPTH && !this.isVoidElement(name)) this.popElement(true);
      baseEmitOpenTag.call(this, name);
    },
  });
}

const PARSER_OPTIONS = { decodeEntities: true } as const;

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

  open(name: string, attribs: Record<string, string>): void {
    switch (name) {
      case "a":
      case "area": {
        const href = attribs.href;
        if (href !== undefined && this.scan.hrefs !== null) this.scan.hrefs.push(href);
        return;
      }
      case "base":
        if (this.scan.baseHref === null && attribs.href !== undefined) this.scan.baseHref = attribs.href;
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

class PageHandler extends DomHandler {
  readonly scanner: Scanner;
  constructor(collectLinks: boolean) {
    super();
    this.scanner = new Scanner(collectLinks, null);
  }
  override onopentag(name: string, attribs: { [key: string]: string }): void {
    super.onopentag(name, attribs);
    this.scanner.open(name, attribs);
  }
  override ontext(data: string): void {
    super.ontext(data);
    this.scanner.text(data);
  }
  override onclosetag(): void {
    const el = this.tagStack[this.tagStack.length - 1] as Element;
    super.onclosetag();
    this.scanner.close(el.name);
  }
}

/** Browsers drop NUL characters from text; they also poison downstream stores (PostgreSQL text). */
function stripNul(html: string): string {
  return html.indexOf("\0") === -1 ? html : html.replaceAll("\0", "");
}

/** Parse into a DOM, collecting title/base (and plain links when asked) on the way. */
export function parsePage(html: string, collectLinks: boolean): { doc: Document; scan: PageScan } {
  const handler = new PageHandler(collectLinks);
  new CappedParser(handler, PARSER_OPTIONS).end(stripNul(html));
  return { doc: handler.root, scan: handler.scanner.scan };
}

/**
 * Tokenize without building a DOM. Without links to collect, stops at <body> once the title
 * is known (or at </title> once base is known); <base> after that is ignored.
 */
export function scanPage(html: string, collectLinks: boolean): PageScan {
  let parser: CappedParser | null = null;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    parser?.pause();
  };
  const scanner = new Scanner(collectLinks, collectLinks ? null : stop);
  const cbs: Partial<Handler> = {
    onopentag: (name, attribs) => scanner.open(name, attribs),
    ontext: (data) => scanner.text(data),
    onclosetag: (name) => scanner.close(name),
  };
  parser = new CappedParser(cbs, PARSER_OPTIONS);
  parser.write(stripNul(html));
  if (!stopped) parser.end();
  return scanner.scan;
}
