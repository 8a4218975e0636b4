/**
 * htmlparser2's tokenizer with fast paths where it spends its characters.
 *
 * With entity decoding on, its main loop visits text, attribute values and names one character
 * at a time (a state switch, a method call and field stores per character), although only a few
 * characters can change anything there: `<` or `&` in text, the quote or `&` in a value, the
 * terminator of a name. Those states jump straight to the next such character with a tight local
 * loop, and `fastForwardTo` (script/style bodies, comments) uses String#indexOf. Every event is
 * unchanged, since the skipped characters had no effect; the tokenizer takes about half the
 * time it did on a typical page.
 *
 * Like the hooks in page-parser.ts this reaches into internals, so it is only switched on when a
 * self-check at load time sees identical parser events with and without it.
 */
import { Parser, Tokenizer, type Handler } from "htmlparser2";

interface TokenizerInternals {
  buffer: string;
  index: number;
  offset: number;
  decodeEntities: boolean;
  stateText(c: number): void;
  handleInAttributeValue(c: number, quote: number): void;
  stateInTagName(c: number): void;
  stateInClosingTagName(c: number): void;
  stateInAttributeName(c: number): void;
  fastForwardTo(c: number): boolean;
}

const LT = 0x3c; // <
const AMP = 0x26; // &
const EQ = 0x3d; // =
const SLASH = 0x2f;
const GT = 0x3e;

const proto = Tokenizer.prototype as unknown as TokenizerInternals;
const baseStateText = proto.stateText;
const baseAttributeValue = proto.handleInAttributeValue;
const baseTagName = proto.stateInTagName;
const baseClosingTagName = proto.stateInClosingTagName;
const baseAttributeName = proto.stateInAttributeName;
const baseFastForwardTo = proto.fastForwardTo;

/** What ends a tag or attribute name: the tokenizer's isEndOfTagSection (HTML whitespace, / and >). */
function endsName(c: number): boolean {
  return c === 0x20 || c === SLASH || c === GT || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
}

/**
 * Move `index` to just before the next `a` or `b` in the buffer (or to its last character): the
 * main loop's `index++` then lands on that character, or ends the buffer as it would have.
 */
function skipUntil(t: TokenizerInternals, a: number, b: number): void {
  const buf = t.buffer;
  const n = buf.length;
  let i = t.index - t.offset + 1;
  while (i < n) {
    const d = buf.charCodeAt(i);
    if (d === a || d === b) break;
    i++;
  }
  t.index = t.offset + i - 1;
}

/** Like skipUntil, for names: stop before the character that ends it (or `=` for attribute names). */
function skipName(t: TokenizerInternals, stopAtEq: boolean): void {
  const buf = t.buffer;
  const n = buf.length;
  let i = t.index - t.offset + 1;
  while (i < n) {
    const d = buf.charCodeAt(i);
    if (endsName(d) || (stopAtEq && d === EQ)) break;
    i++;
  }
  t.index = t.offset + i - 1;
}

export class FastTokenizer extends Tokenizer {}

/** A replacement method: writable and configurable, like the class's own. */
const method = (value: (this: TokenizerInternals, c: number, quote: number) => unknown): PropertyDescriptor => ({
  configurable: true,
  writable: true,
  value,
});

const canPatch = [baseStateText, baseAttributeValue, baseTagName, baseClosingTagName, baseAttributeName, baseFastForwardTo].every(
  (f) => typeof f === "function",
);
if (canPatch) {
  Object.defineProperties(FastTokenizer.prototype, {
    stateText: method(function (c) {
      if (c === LT || c === AMP || !this.decodeEntities) baseStateText.call(this, c);
      else skipUntil(this, LT, AMP);
    }),
    handleInAttributeValue: method(function (c, quote) {
      if (c === quote || c === AMP || !this.decodeEntities) baseAttributeValue.call(this, c, quote);
      else skipUntil(this, quote, AMP);
    }),
    stateInTagName: method(function (c) {
      if (endsName(c)) baseTagName.call(this, c);
      else skipName(this, false);
    }),
    stateInClosingTagName: method(function (c) {
      if (endsName(c)) baseClosingTagName.call(this, c);
      else skipName(this, false);
    }),
    stateInAttributeName: method(function (c) {
      if (c === EQ || endsName(c)) baseAttributeName.call(this, c);
      else skipName(this, true);
    }),
    // Used for <script>/<style> bodies, comments and closing tags: the original steps one
    // character per loop turn; String#indexOf is native (memchr-like).
    fastForwardTo: method(function (c) {
      const buf = this.buffer;
      const i = buf.indexOf(String.fromCharCode(c), this.index - this.offset + 1);
      if (i !== -1) {
        this.index = this.offset + i;
        return true;
      }
      this.index = this.offset + buf.length - 1;
      return false;
    }),
  });
}

/** Markup that exercises every patched path: text, entities, names, both quote styles, EOF mid-text. */
const SELF_CHECK_HTML =
  `<!DOCTYPE html><P CLASS="a b" data-x='1&amp;2' id=u hidden\tdata-y\n=v a=b=c>Fish &amp; chips &lt;3&copy x&#8220;y` +
  `<a href="/s?a=1&b=2&amp;c" title='it&apos;s "q"'>link</a > tail<script>var a = "<b>&amp;";</script>` +
  `<title>T &amp; t</title><!-- c --><br/><x=y>z</x=y ><svg><foreignObject/></svg></DIV\n>end &notanentity; &` +
  `<style>p > a {}</style><!-- a -- b ---><!x><?pi?></p junk><plaintext><b>rest`;

function events(TokenizerClass: typeof Tokenizer): string {
  const out: unknown[] = [];
  const cbs: Partial<Handler> = {
    onopentag: (name, attribs) => out.push(["open", name, attribs]),
    ontext: (data) => out.push(["text", data]),
    onclosetag: (name) => out.push(["close", name]),
    oncomment: (data) => out.push(["comment", data]),
    onprocessinginstruction: (name, data) => out.push(["pi", name, data]),
  };
  new Parser(cbs, { decodeEntities: true, Tokenizer: TokenizerClass }).end(SELF_CHECK_HTML);
  return JSON.stringify(out);
}

/** False if htmlparser2's internals moved (a version bump): parsing then uses the plain tokenizer. */
export const FAST_TOKENIZER_ACTIVE = canPatch && events(FastTokenizer) === events(Tokenizer);

/** The tokenizer class to hand to htmlparser2's Parser. */
export const PAGE_TOKENIZER: typeof Tokenizer = FAST_TOKENIZER_ACTIVE ? FastTokenizer : Tokenizer;
