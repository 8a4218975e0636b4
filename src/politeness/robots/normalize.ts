/**
 * One canonical percent-encoding for robots.txt patterns and URL paths (RFC 9309 2.2.2), so
 * that matching is a plain comparison of strings:
 * - `%xx` of an unreserved character (A-Z a-z 0-9 - . _ ~) is decoded: `%62%61%7A` -> `baz`;
 * - any other `%xx` keeps its encoding with upper-case hex: `%2f` -> `%2F` (so it still
 *   differs from `/`, as reserved octets must);
 * - non-ASCII characters become their UTF-8 octets, encoded: `ツ` -> `%E3%83%84`;
 * - ASCII that is neither reserved nor unreserved (space, `"`, `<`, `{`, ...) and a `%`
 *   that starts no escape are encoded, so `/a b` and `/a%20b` compare equal;
 * - `*` and `$` are the pattern's special characters, so a literal one is written `%2A` /
 *   `%24` (RFC 9309 2.2.3): in a URL they are always encoded, in a pattern `*` stays the
 *   wildcard (the caller strips a final `$` anchor first).
 */

const HEX = "0123456789ABCDEF";

/** Per ASCII code: 0 = literal as is, 1 = must be %-encoded, 2 = `%`, `*` or `$` (look closer). */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_CLASS[c] = c <= 0x20 || c === 0x7f ? 1 : 0;
for (const ch of "\"<>\\^`{|}") ASCII_CLASS[ch.charCodeAt(0)] = 1;
for (const ch of "%*$") ASCII_CLASS[ch.charCodeAt(0)] = 2;

const PERCENT = 0x25;
const STAR = 0x2a;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1; // also for NaN (past the end of the string)
}

function isUnreserved(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e
  );
}

function encodeByte(b: number): string {
  return "%" + HEX[b >> 4] + HEX[b & 15];
}

/** Index of the first character that canonicalization would change, or -1. */
function firstChange(s: string, pattern: boolean): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return i;
    const k = ASCII_CLASS[c];
    if (k === 0) continue;
    if (k === 1) return i;
    if (c === PERCENT) {
      const c1 = s.charCodeAt(i + 1);
      const c2 = s.charCodeAt(i + 2);
      const h1 = hexValue(c1);
      const h2 = hexValue(c2);
      if (h1 < 0 || h2 < 0 || isUnreserved(h1 * 16 + h2) || c1 >= 0x61 || c2 >= 0x61) return i;
      i += 2;
      continue;
    }
    if (pattern && c === STAR) continue;
    return i; // `$`, or `*` in a URL
  }
  return -1;
}

function rebuild(s: string, from: number, pattern: boolean): string {
  let out = s.slice(0, from);
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      const k = ASCII_CLASS[c];
      if (k === 0) out += s[i];
      else if (k === 1) out += encodeByte(c);
      else if (c === PERCENT) {
        const h1 = hexValue(s.charCodeAt(i + 1));
        const h2 = hexValue(s.charCodeAt(i + 2));
        if (h1 < 0 || h2 < 0) {
          out += "%25";
        } else {
          const v = h1 * 16 + h2;
          out += isUnreserved(v) ? String.fromCharCode(v) : encodeByte(v);
          i += 2;
        }
      } else if (pattern && c === STAR) out += "*";
      else out += encodeByte(c);
      continue;
    }
    // Non-ASCII: UTF-8 octets of the code point; a lone surrogate becomes U+FFFD.
    let cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x800) {
      out += encodeByte(0xc0 | (cp >> 6)) + encodeByte(0x80 | (cp & 63));
    } else if (cp < 0x10000) {
      out += encodeByte(0xe0 | (cp >> 12)) + encodeByte(0x80 | ((cp >> 6) & 63)) + encodeByte(0x80 | (cp & 63));
    } else {
      out +=
        encodeByte(0xf0 | (cp >> 18)) + encodeByte(0x80 | ((cp >> 12) & 63)) +
        encodeByte(0x80 | ((cp >> 6) & 63)) + encodeByte(0x80 | (cp & 63));
    }
  }
  return out;
}

/**
 * Canonical form of a URL's path + query. Returns the very same string when nothing needs
 * to change (the common case), so the hot path allocates nothing.
 */
export function normalizePath(pathAndQuery: string): string {
  const at = firstChange(pathAndQuery, false);
  return at < 0 ? pathAndQuery : rebuild(pathAndQuery, at, false);
}

/** Canonical form of a rule's pattern (without its final `$` anchor); `*` stays the wildcard. */
export function normalizePattern(pattern: string): string {
  const at = firstChange(pattern, true);
  return at < 0 ? pattern : rebuild(pattern, at, true);
}
