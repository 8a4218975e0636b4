/**
 * A fast path for building the extraction DOM: the same tree htmlparser2's Parser (as
 * page-parser.ts configures it) builds, for the markup most pages are made of, in one pass of
 * String#indexOf and charCodeAt with no per-character state machine and no callback per token.
 *
 * It covers: text with entities, start and end tags with quoted/unquoted/bare attributes,
 * comments, doctypes and other `<!...>` / `<?...>` declarations, script/style/iframe/noembed/
 * noframes/xmp bodies (raw text), title/textarea (entities decoded), void elements, the implied
 * end tags of htmlparser2's openImpliesClose table, `</br>` and `</p>`, a nested <form>
 * (ignored), the depth cap, SVG and MathML (foreign content, below). Anything else — CDATA, a
 * plaintext body, a title/textarea holding both `<` and `&`, a construct cut off by the end of
 * the input, the `<!-->` comment forms — makes it give up (return false) before the caller uses
 * anything, and the page goes through htmlparser2.
 * test/extract-fast-html.test.ts checks tree equality on the practice site and on random tag soup.
 */
import { decodeHTML, decodeHTMLAttribute } from "entities/decode";
import { MAX_DEPTH, type AttribList } from "./page-parser.js";
import { nextNonAscii, textOfUtf8Bytes } from "../shared/utf8-bytes.js";

/** What the tree builder in parse.ts receives (the subset of htmlparser2's Handler it uses). */
export interface TreeSink {
  onopentag(name: string, attribs: AttribList): void;
  ontext(data: string): void;
  onclosetag(name: string): void;
}

const VOID = new Set(["area", "base", "basefont", "br", "col", "command", "embed", "frame", "hr", "img", "input", "isindex", "keygen", "link", "meta", "param", "source", "track", "wbr"]);

const P = new Set(["p"]);
const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6", "p"]);
const FORM_TAGS = new Set(["input", "option", "optgroup", "select", "button", "datalist", "textarea"]);
const TABLE_SECTIONS = new Set(["thead", "tbody"]);
const DD_DT = new Set(["dd", "dt"]);
const RT_RP = new Set(["rt", "rp"]);
/** Opening the key closes open elements in the set, from the innermost out (htmlparser2's table). */
const IMPLIES_CLOSE = new Map<string, Set<string>>([
  ["tr", new Set(["tr", "th", "td"])],
  ["th", new Set(["th"])],
  ["td", new Set(["thead", "th", "td"])],
  ["body", new Set(["head", "link", "script"])],
  ["a", new Set(["a"])],
  ["li", new Set(["li"])],
  ["p", P],
  ["h1", HEADINGS], ["h2", HEADINGS], ["h3", HEADINGS], ["h4", HEADINGS], ["h5", HEADINGS], ["h6", HEADINGS],
  ["select", FORM_TAGS], ["input", FORM_TAGS], ["output", FORM_TAGS], ["button", FORM_TAGS], ["datalist", FORM_TAGS], ["textarea", FORM_TAGS],
  ["option", new Set(["option"])],
  ["optgroup", new Set(["optgroup", "option"])],
  ["dd", DD_DT], ["dt", DD_DT],
  ...["address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "main", "nav", "ol", "pre", "section", "table", "ul"].map((t): [string, Set<string>] => [t, P]),
  ["rt", RT_RP], ["rp", RT_RP],
  ["tbody", TABLE_SECTIONS], ["tfoot", TABLE_SECTIONS],
]);

/**
 * Bodies read as raw text up to their end tag (htmlparser2's "special" tags); entities decoded
 * in title and textarea. iframe matters: Google Tag Manager's `<noscript><iframe …></iframe>`
 * is at the top of a great many pages.
 */
const RAW_TEXT = new Set(["script", "style", "iframe", "noembed", "noframes", "xmp"]);
const RCDATA = new Set(["title", "textarea"]);
/** A name that needs what this path does not do: a body to the end of the input. */
const GIVE_UP = "plaintext";

/**
 * Foreign content, as htmlparser2 (12) does it: inside <svg> and <math>, `/>` closes an element,
 * script/style/title/... bodies are markup, and SVG names get their camel case (clipPath); an
 * HTML integration point (foreignObject, desc, title, MathML text elements) is HTML again.
 */
const NOT_FOREIGN = 0;
const SVG = 1;
const MATHML = 2;
const INTEGRATION_POINTS = new Set(["mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignObject", "desc", "title"]);
const SVG_NAMES = new Map(
  ["altGlyph", "altGlyphDef", "altGlyphItem", "animateColor", "animateMotion", "animateTransform", "clipPath", "feBlend",
    "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
    "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage",
    "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
    "feTurbulence", "foreignObject", "glyphRef", "linearGradient", "radialGradient", "textPath"].map((n) => [n.toLowerCase(), n]),
);

const VOID_TAG = 1;
const RAW_TEXT_TAG = 2;
const RCDATA_TAG = 4;
/** What a tag name means to the builder, found with one lookup per tag. */
interface TagInfo {
  flags: number;
  /** Open elements its start tag closes (htmlparser2's openImpliesClose). */
  closes: Set<string> | undefined;
  /** The foreign context it starts (SVG, MATHML, NOT_FOREIGN at an integration point), or -1. */
  context: number;
}
const TAGS = new Map<string, TagInfo>();
const info = (name: string): TagInfo => {
  let t = TAGS.get(name);
  if (!t) TAGS.set(name, (t = { flags: 0, closes: undefined, context: -1 }));
  return t;
};
for (const name of VOID) info(name).flags |= VOID_TAG;
for (const name of RAW_TEXT) info(name).flags |= RAW_TEXT_TAG;
for (const name of RCDATA) info(name).flags |= RCDATA_TAG;
for (const [name, closes] of IMPLIES_CLOSE) info(name).closes = closes;
info("svg").context = SVG;
info("math").context = MATHML;
for (const name of INTEGRATION_POINTS) info(name).context = NOT_FOREIGN;
const PLAIN: TagInfo = { flags: 0, closes: undefined, context: -1 };
/** The builder's view of `name` (a shared plain entry for names it has nothing to say about). */
const tagInfo = (name: string): TagInfo => TAGS.get(name) ?? PLAIN;

/**
 * Names met on most pages, found in the markup without cutting a string out of it: a tag or
 * attribute name spelled (in lower case) like one of these is the constant itself — no slice,
 * no lower-casing, and an internalized string whose hash is known, so the lookups the builder
 * and css-select make with it (TAGS, SVG_NAMES, `name === "div"`, attribute searches) compare
 * pointers instead of characters. Other names are cut and lower-cased as before.
 */
class KnownNames {
  /** Names by their first char code (all ASCII). */
  private readonly byFirst: (string[] | undefined)[] = new Array<string[] | undefined>(128).fill(undefined);

  /** Lower-case ASCII names only: what `find` returns stands for a lower-cased name. */
  constructor(names: Iterable<string>) {
    for (const n of new Set(names)) {
      if (!/^[a-z][a-z0-9-]*$/.test(n)) continue; // e.g. TAGS' "foreignObject"
      (this.byFirst[n.charCodeAt(0)] ??= []).push(n);
    }
  }

  /** The known name written exactly as `html[start, end)`, or null. */
  find(html: string, start: number, end: number): string | null {
    const c = html.charCodeAt(start);
    const list = c < 128 ? this.byFirst[c] : undefined;
    if (list === undefined) return null;
    const len = end - start;
    for (let k = 0; k < list.length; k++) {
      const n = list[k]!;
      if (n.length === len && html.startsWith(n, start)) return n;
    }
    return null;
  }
}

const KNOWN_TAGS = new KnownNames([
  ...TAGS.keys(),
  "html", "head", "body", "div", "span", "a", "b", "i", "u", "s", "em", "strong", "small", "code", "abbr", "cite", "q",
  "sup", "sub", "mark", "time", "label", "nav", "header", "footer", "main", "section", "article", "aside", "figure",
  "figcaption", "picture", "video", "audio", "canvas", "noscript", "template", "ol", "ul", "li", "dl", "dt", "dd",
  "table", "caption", "tbody", "thead", "tfoot", "tr", "td", "th", "colgroup", "h1", "h2", "h3", "h4", "h5", "h6", "p",
  "pre", "blockquote", "form", "fieldset", "legend", "button", "select", "option", "optgroup", "textarea", "details",
  "summary", "dialog", "g", "path", "circle", "rect", "line", "polyline", "polygon", "use", "symbol", "defs",
]);

const KNOWN_ATTRIBUTES = new KnownNames([
  "class", "id", "href", "src", "style", "type", "name", "value", "rel", "title", "alt", "content", "charset", "lang",
  "width", "height", "target", "action", "method", "for", "role", "tabindex", "srcset", "sizes", "loading", "async",
  "defer", "crossorigin", "integrity", "media", "property", "itemprop", "itemscope", "itemtype", "datetime", "hidden",
  "disabled", "checked", "selected", "placeholder", "autocomplete", "data-value", "data-id", "viewbox", "xmlns", "d",
  "fill", "stroke", "aria-label", "aria-hidden", "aria-expanded", "onclick", "colspan", "rowspan", "scope", "dir",
]);

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQ = 0x3d;
const DQ = 0x22;
const SQ = 0x27;
const AMP = "&";

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
}

function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/** Tag and attribute names end at whitespace, `/` or `>` (and `=` for attribute names). */
function nameEnd(html: string, i: number, stopAtEq: boolean): number {
  const n = html.length;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (isSpace(c) || c === SLASH || c === GT || (stopAtEq && c === EQ)) return i;
    i++;
  }
  return i;
}

function text(raw: string): string {
  return raw.indexOf(AMP) === -1 ? raw : decodeHTML(raw);
}

class Builder {
  /** Open element names, innermost last. */
  private readonly stack: string[] = [];
  /** SVG, MATHML or NOT_FOREIGN for each open svg, math and integration point (innermost last). */
  private readonly foreign: number[] = [NOT_FOREIGN];
  /** The stack length with each of those elements on it: popping at that length ends its context. */
  private readonly foreignAt: number[] = [0];

  /**
   * UTF-8-bytes markup (src/shared/utf8-bytes.ts): `high` is the first non-ASCII index at or after
   * `highFrom`, so a piece cut from an ASCII stretch is used as it is. In string mode (and on
   * an ASCII page) `high` is the input's length: nothing is ever decoded.
   */
  private high: number;
  private highFrom = 0;

  constructor(
    private readonly sink: TreeSink,
    private readonly html: string,
    private readonly utf8Bytes: boolean,
  ) {
    this.high = utf8Bytes ? nextNonAscii(html, 0) : html.length;
  }

  /** `html.slice(start, end)` as text: decoded from UTF-8 where it holds non-ASCII bytes. */
  slice(start: number, end: number): string {
    const raw = this.html.slice(start, end);
    if (this.high >= end && start >= this.highFrom) return raw;
    if (!this.utf8Bytes) return raw;
    if (start < this.highFrom || this.high < start) {
      this.highFrom = start;
      this.high = nextNonAscii(this.html, start);
      if (this.high >= end) return raw;
    }
    this.highFrom = end;
    this.high = nextNonAscii(this.html, end);
    return textOfUtf8Bytes(raw);
  }

  text(data: string): void {
    if (data.length > 0) this.sink.ontext(data);
  }

  inForeign(): boolean {
    return this.foreign[this.foreign.length - 1] !== NOT_FOREIGN;
  }

  /** The element name for a lower-cased tag name (start or end tag) where the parser is now. */
  name(lower: string): string {
    const context = this.foreign[this.foreign.length - 1];
    if (context === SVG) return SVG_NAMES.get(lower) ?? lower;
    if (this.foreign.length > 1) {
      // e.g. `</foreignObject>` read from inside the foreignObject's own (HTML) content
      const svgName = SVG_NAMES.get(lower);
      if (svgName !== undefined && this.stack.includes(svgName)) return svgName;
    }
    return context === NOT_FOREIGN && lower === "image" ? "img" : lower;
  }

  private pop(): void {
    const depth = this.stack.length;
    const name = this.stack.pop()!;
    if (depth === this.foreignAt[this.foreignAt.length - 1]) {
      this.foreign.pop();
      this.foreignAt.pop();
    }
    this.sink.onclosetag(name);
  }

  /** Start tag; false if it was ignored (a nested form). */
  open(name: string, attribs: AttribList, tag: TagInfo): boolean {
    const stack = this.stack;
    const isVoid = (tag.flags & VOID_TAG) !== 0;
    if (stack.length >= MAX_DEPTH && !isVoid) this.pop();
    if (name === "form" && stack.includes("form")) return false; // HTML ignores a nested <form>
    const closes = tag.closes;
    if (closes) while (stack.length > 0 && closes.has(stack[stack.length - 1]!)) this.pop();
    if (isVoid) {
      this.sink.onopentag(name, attribs);
      this.sink.onclosetag(name);
      return true;
    }
    stack.push(name);
    if (tag.context !== -1) {
      this.foreign.push(tag.context);
      this.foreignAt.push(stack.length);
    }
    this.sink.onopentag(name, attribs);
    return true;
  }

  /** `/>` in foreign content: the element just opened ends here. */
  closeSelf(name: string): void {
    if (this.stack[this.stack.length - 1] === name) this.pop();
  }

  close(name: string): void {
    const stack = this.stack;
    if ((tagInfo(name).flags & VOID_TAG) !== 0) {
      if (name === "br") {
        // `</br>` is a <br> (as in browsers)
        this.sink.onopentag("br", []);
        this.sink.onclosetag("br");
      }
      return;
    }
    const at = stack.lastIndexOf(name);
    if (at !== -1) {
      while (stack.length > at) this.pop();
    } else if (name === "p") {
      // `</p>` without an open <p> is an empty paragraph
      this.open("p", [], tagInfo("p"));
      this.pop();
    }
  }

  end(): void {
    while (this.stack.length > 0) this.pop();
  }
}

/**
 * Build `html`'s tree into `sink`. Returns false (having possibly fed `sink` part of a tree,
 * which the caller throws away) when the page needs the full parser.
 */
export function buildFast(html: string, sink: TreeSink, utf8Bytes = false): boolean {
  const b = new Builder(sink, html, utf8Bytes);
  const n = html.length;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt === -1) {
      b.text(text(b.slice(i, n)));
      break;
    }
    if (lt + 1 >= n) return false; // `<` at the very end
    const c = html.charCodeAt(lt + 1);
    if (isAlpha(c)) {
      if (lt > i) b.text(text(b.slice(i, lt)));
      const next = startTag(html, lt + 1, b);
      if (next < 0) return false;
      i = next;
    } else if (c === SLASH) {
      const d = lt + 2 < n ? html.charCodeAt(lt + 2) : -1;
      if (d === -1) return false;
      if (lt > i) b.text(text(b.slice(i, lt)));
      if (isAlpha(d)) {
        const end = nameEnd(html, lt + 2, false);
        const gt = html.indexOf(">", end);
        if (end >= n || gt === -1) return false;
        b.close(b.name(KNOWN_TAGS.find(html, lt + 2, end) ?? b.slice(lt + 2, end).toLowerCase()));
        i = gt + 1;
      } else {
        // `</>` and `</ ...>`, `</1...>`: dropped up to the next `>`
        const gt = html.indexOf(">", lt + 2);
        if (gt === -1) return false;
        i = gt + 1;
      }
    } else if (c === 0x21 /* ! */) {
      if (lt > i) b.text(text(b.slice(i, lt)));
      const next = markupDeclaration(html, lt + 2);
      if (next < 0) return false;
      i = next;
    } else if (c === 0x3f /* ? */) {
      if (lt > i) b.text(text(b.slice(i, lt)));
      const gt = html.indexOf(">", lt + 2);
      if (gt === -1) return false;
      i = gt + 1;
    } else {
      // a `<` that starts nothing is text: keep scanning from after it (the text run goes on)
      const lt2 = html.indexOf("<", lt + 1);
      const stop = lt2 === -1 ? n : lt2;
      b.text(text(b.slice(i, stop)));
      i = stop;
    }
  }
  b.end();
  return true;
}

/** `<!--...-->`, `<!doctype ...>`, `<!...>`; index after it, or -1 to give up. */
function markupDeclaration(html: string, i: number): number {
  if (html.startsWith("--", i)) {
    const s = i + 2;
    if (html.startsWith(">", s) || html.startsWith("->", s)) return -1; // `<!-->`, `<!--->`
    for (let p = html.indexOf("--", s); p !== -1; p = html.indexOf("--", p + 1)) {
      if (html.charCodeAt(p + 2) === GT) return p + 3;
      if (html.charCodeAt(p + 2) === 0x21 && html.charCodeAt(p + 3) === GT) return p + 4;
    }
    return -1;
  }
  if (html.startsWith("[", i)) return -1; // CDATA
  const gt = html.indexOf(">", i);
  return gt === -1 ? -1 : gt + 1;
}

/** A start tag whose name begins at `i`; index after it (and after a raw body), or -1. */
function startTag(html: string, i: number, b: Builder): number {
  const n = html.length;
  const end = nameEnd(html, i, false);
  if (end >= n) return -1;
  const lower = KNOWN_TAGS.find(html, i, end) ?? b.slice(i, end).toLowerCase();
  if (lower === GIVE_UP) return -1;
  // Whether the body of script, title... is text is decided before the element opens.
  const foreignAtStart = b.inForeign();
  const name = b.name(lower);
  const attribs: AttribList = [];
  let p = end;
  let slash = false; // a `/` with only whitespace after it so far: `/>` ends the tag
  for (;;) {
    if (p >= n) return -1;
    const c = html.charCodeAt(p);
    if (isSpace(c)) {
      p++;
      continue;
    }
    if (c === GT) break;
    if (c === SLASH) {
      // `<br/>`, `<a / b>`: the slash is skipped (self-closing means nothing in HTML)
      slash = true;
      p++;
      continue;
    }
    slash = false;
    // An attribute name: its first character is taken whatever it is (even `=` or a quote).
    const nameStart = p;
    p = nameEnd(html, p + 1, true);
    if (p >= n) return -1;
    const attrName = KNOWN_ATTRIBUTES.find(html, nameStart, p) ?? b.slice(nameStart, p).toLowerCase();
    let q = p;
    while (q < n && isSpace(html.charCodeAt(q))) q++;
    if (q >= n) return -1;
    if (html.charCodeAt(q) !== EQ) {
      attribs.push(attrName, "");
      p = q; // `/`, `>` or the next name
      continue;
    }
    q++;
    while (q < n && isSpace(html.charCodeAt(q))) q++;
    if (q >= n) return -1;
    const v = html.charCodeAt(q);
    if (v === DQ || v === SQ) {
      const close = html.indexOf(v === DQ ? '"' : "'", q + 1);
      if (close === -1) return -1;
      const raw = b.slice(q + 1, close);
      attribs.push(attrName, raw.indexOf(AMP) === -1 ? raw : decodeHTMLAttribute(raw));
      p = close + 1;
    } else {
      let e = q;
      while (e < n) {
        const d = html.charCodeAt(e);
        if (isSpace(d) || d === GT) break;
        e++;
      }
      if (e >= n) return -1;
      const raw = b.slice(q, e);
      attribs.push(attrName, raw.indexOf(AMP) === -1 ? raw : decodeHTMLAttribute(raw));
      p = e;
    }
  }
  // p is at the `>` that ends the start tag
  const tag = tagInfo(name);
  const opened = b.open(name, attribs, tag);
  p++;
  // `/>` counts where the element itself leaves the parser in foreign content (`<svg/>` too).
  if (slash && opened && b.inForeign()) b.closeSelf(name);
  if (foreignAtStart || (tag.flags & (RAW_TEXT_TAG | RCDATA_TAG)) === 0) return p;
  const rcdata = (tag.flags & RCDATA_TAG) !== 0;
  const closeAt = findEndTag(html, p, name);
  if (closeAt < 0) return -1;
  const body = b.slice(p, closeAt);
  // htmlparser2 leaves an `&` undecoded right after a partial `</title`: not worth copying.
  if (rcdata && body.indexOf("<") !== -1 && body.indexOf(AMP) !== -1) return -1;
  b.text(rcdata ? text(body) : body);
  const gt = html.indexOf(">", closeAt + 2 + name.length);
  if (gt === -1) return -1;
  b.close(name);
  return gt + 1;
}

/** Index of the `</name` (any case) that ends a raw body: followed by whitespace, `/` or `>`. */
function findEndTag(html: string, from: number, name: string): number {
  const n = html.length;
  for (let at = html.indexOf("</", from); at !== -1; at = html.indexOf("</", at + 1)) {
    const after = at + 2 + name.length;
    if (after >= n) return -1;
    if (html.slice(at + 2, after).toLowerCase() !== name) continue;
    const c = html.charCodeAt(after);
    if (isSpace(c) || c === SLASH || c === GT) return at;
  }
  return -1;
}
