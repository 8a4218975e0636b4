/**
 * htmlparser2's Parser as extraction uses it: the fast tokenizer, a depth cap, and attributes
 * as flat lists. Both changes hook its internals, so each is guarded.
 *
 * Depth cap: htmlparser2 keeps its open-element stack with Array#unshift and tree walkers
 * recurse, so 100k nested tags cost O(n²) time or overflow the call stack. Like Blink
 * (kMaximumHTMLParserDOMTreeDepth), an element opened at MAX_DEPTH first closes the deepest
 * open element, so it becomes its sibling: text and elements are kept, the tree is flatter.
 *
 * Attribute lists: the Parser fills a fresh object per tag with keyed stores of ever-changing
 * names (megamorphic, a hidden-class transition per attribute), which cost about as much as
 * building the DOM itself (~10% of a page). A flat [name, value, name, value, ...] array is
 * filled with plain pushes instead. Duplicates are kept; lookups (dom.ts `attrValue`) return
 * the first, which is the one HTML and htmlparser2 keep. (Handler.onattribute is not called.)
 */
import { Parser, type Handler } from "htmlparser2";
import { PAGE_TOKENIZER } from "./fast-tokenizer.js";

export const MAX_DEPTH = 512;

/** Attributes in source order: names (lowercased) at even indexes, values after them. */
export type AttribList = string[];

interface ParserInternals {
  stack: string[];
  attribs: Record<string, string> | AttribList | null;
  attribname: string;
  attribvalue: string;
  endIndex: number;
  emitOpenTag(name: string): void;
  popElement(implied: boolean): void;
  isVoidElement(name: string): boolean;
  onattribend(quote: unknown, endIndex: number): void;
}

const parserProto = Parser.prototype as unknown as ParserInternals;
const baseEmitOpenTag = parserProto.emitOpenTag;

/** False if htmlparser2's internals moved (a version bump): the depth test in test/ then fails loudly. */
export const DEPTH_CAP_ACTIVE = typeof baseEmitOpenTag === "function" && typeof parserProto.popElement === "function";

class CappedParser extends Parser {}
class ListParser extends CappedParser {}

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

const cappedEmitOpenTag = (CappedParser.prototype as unknown as ParserInternals).emitOpenTag;
if (typeof parserProto.onattribend === "function") {
  Object.defineProperties(ListParser.prototype, {
    emitOpenTag: {
      configurable: true,
      writable: true,
      value: function emitOpenTag(this: ParserInternals, name: string): void {
        cappedEmitOpenTag.call(this, name);
        // null means "no attributes wanted" (a suppressed second <form>): keep it null.
        if (this.attribs !== null) this.attribs = [];
      },
    },
    onattribend: {
      configurable: true,
      writable: true,
      value: function onattribend(this: ParserInternals, _quote: unknown, endIndex: number): void {
        this.endIndex = endIndex;
        const list = this.attribs as AttribList | null;
        if (list !== null) list.push(this.attribname, this.attribvalue);
        this.attribvalue = "";
      },
    },
  });
}

/**
 * Attributes as a list whatever the parser handed over: htmlparser2 also passes plain objects
 * (an implied <br> from "</br>", and every tag if the list hook is off). Objects keep the first
 * of duplicate names in source order, so the conversion loses nothing.
 */
export function toAttribList(attribs: unknown): AttribList {
  if (Array.isArray(attribs)) return attribs as AttribList;
  const list: AttribList = [];
  for (const key in attribs as Record<string, string>) list.push(key, (attribs as Record<string, string>)[key]!);
  return list;
}

/** Does the list hook produce what objects would have, plus duplicates? Checked once at load. */
function listHookWorks(): boolean {
  let got: unknown = null;
  const cbs: Partial<Handler> = { onopentag: (_name, attribs) => (got ??= attribs) };
  new ListParser(cbs, { decodeEntities: true, Tokenizer: PAGE_TOKENIZER }).end(`<a HREF="x&amp;y" b c=1 d=" s p " b='2'>t</a>`);
  return JSON.stringify(got) === JSON.stringify(["href", "x&y", "b", "", "c", "1", "d", " s p ", "b", "2"]);
}

/** True when attributes arrive as lists (else as objects, converted by toAttribList). */
export const ATTRIB_LISTS_ACTIVE = typeof parserProto.onattribend === "function" && listHookWorks();

const PageParserClass = ATTRIB_LISTS_ACTIVE ? ListParser : CappedParser;
const OPTIONS = { decodeEntities: true, Tokenizer: PAGE_TOKENIZER } as const;

/**
 * A parser for one page. `onopentag` receives an AttribList (or, rarely, an object: pass it
 * through toAttribList) whatever Handler's type says.
 */
export function createPageParser(cbs: Partial<Handler>): Parser {
  return new PageParserClass(cbs, OPTIONS);
}
