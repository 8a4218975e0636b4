/**
 * UTF-8 markup held one byte per character (a latin1 string of the page's bytes): how an HTML
 * page travels from the fetcher to the parser. Making it is a copy, not a decode, and it stays a
 * one-byte string even when the page has "é" or "“" in it, where a decoded page becomes a
 * two-byte string: twice the memory, and slower slicing, lower-casing and hashing of every tag
 * name cut from it. Markup is ASCII, so the parser finds the same tags in either form; only what
 * it hands out (text, attribute values, names) is decoded, and only where it holds a non-ASCII
 * byte. Measured on the 10,000-page benchmark: see BENCHMARKS.md, "What changed".
 */

const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_G = /[^\x00-\x7f]/g;

/** The latin1 view of `buf` from `start`: one char per byte. */
export function utf8BytesOf(buf: Buffer, start = 0): string {
  return buf.toString("latin1", start);
}

export function hasNonAscii(s: string): boolean {
  return NON_ASCII.test(s);
}

/** Index of the first non-ASCII char of `s` at or after `from`, or `s.length`. */
export function nextNonAscii(s: string, from: number): number {
  NON_ASCII_G.lastIndex = from;
  return NON_ASCII_G.test(s) ? NON_ASCII_G.lastIndex - 1 : s.length;
}

/**
 * The text a piece of UTF-8-bytes markup stands for (invalid sequences become U+FFFD, as when
 * the whole page is decoded: pieces are cut at ASCII characters, so no sequence is split).
 */
export function textOfUtf8Bytes(s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, "latin1").toString("utf8") : s;
}
