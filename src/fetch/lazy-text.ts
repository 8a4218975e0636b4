/**
 * A fetched UTF-8 HTML page keeps its bytes, and decodes them into `text` only when something on
 * this thread reads it (a hook, a dry run, the browser-or-not decision). The crawl's extraction
 * worker gets the bytes one per char instead (`utf8Markup`: a copy, not a decode; see
 * src/shared/utf8-bytes.ts), so on the common path a page is never decoded on the main thread.
 * `page.text = null` drops the bytes too, as it dropped the text before.
 */
import { isAscii } from "node:buffer";
import { utf8BytesOf } from "../shared/utf8-bytes.js";
import type { FetchedPage } from "./types.js";

/** Behind a page's `text`: the decoded text, or the UTF-8 bytes it will be decoded from. */
export class PageText {
  constructor(
    private text: string | null,
    private buf: Buffer | null = null,
    private readonly start = 0,
  ) {}

  get(): string | null {
    if (this.buf !== null) {
      this.text = this.buf.toString("utf8", this.start);
      this.buf = null;
    }
    return this.text;
  }

  set(text: string | null): void {
    this.buf = null;
    this.text = text;
  }

  /** See utf8Markup. */
  markup(): { html: string; utf8Bytes: boolean } | null {
    const buf = this.buf;
    if (buf === null) return null;
    // An ASCII page is its own text: the worker then has nothing to decode or look for.
    const ascii = isAscii(this.start === 0 ? buf : buf.subarray(this.start));
    return { html: utf8BytesOf(buf, this.start), utf8Bytes: !ascii };
  }

  size(): number {
    return this.buf !== null ? this.buf.length - this.start : (this.text?.length ?? 0);
  }
}

export const PAGE_TEXT = Symbol("gleaner.pageText");
type WithText = FetchedPage & { [PAGE_TEXT]?: PageText };

/**
 * The page's undecoded UTF-8 body one byte per char, with `utf8Bytes` false when it is all
 * ASCII (then it is the text itself); null when decoded already, dropped, or not a lazy page.
 */
export function utf8Markup(page: FetchedPage): { html: string; utf8Bytes: boolean } | null {
  return (page as WithText)[PAGE_TEXT]?.markup() ?? null;
}

/** The size of the page's text in chars (bytes while undecoded), without decoding it. */
export function textSize(page: FetchedPage): number {
  const t = (page as WithText)[PAGE_TEXT];
  return t !== undefined ? t.size() : (page.text?.length ?? 0);
}
