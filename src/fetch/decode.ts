/**
 * Content-type interpretation and text decoding, following the WHATWG order:
 * BOM, then the Content-Type charset, then (HTML) a <meta> prescan, then a default.
 */
import { isUtf8 } from "node:buffer";
import { TextDecoder } from "node:util";

/** Mime type only, lower-case, "" when absent. */
export function mimeType(contentType: string | undefined): string {
  if (!contentType) return "";
  const semi = contentType.indexOf(";");
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

export function isHtmlMime(mime: string): boolean {
  return mime === "text/html" || mime === "application/xhtml+xml";
}

/** Types whose body is decoded to text (html, xml, json, text/*); others are only counted. */
export function isTextMime(mime: string): boolean {
  if (mime.startsWith("text/")) return true;
  return mime.endsWith("+xml") || mime.endsWith("/xml") || mime.endsWith("+json") || mime.endsWith("/json") ||
    mime === "application/javascript" || mime === "application/x-javascript" || mime === "application/ecmascript";
}

const CHARSET_PARAM = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;,\s]*))/i;

export function charsetParam(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = CHARSET_PARAM.exec(contentType);
  const label = m ? (m[1] ?? m[2]) : undefined;
  return label ? label : undefined;
}

/** Skips leading whitespace and a UTF-8 BOM; returns the offset of the first meaningful byte. */
function firstByte(buf: Buffer): number {
  let i = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  for (; i < buf.length; i++) {
    const b = buf[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) break;
  }
  return i;
}

const HTML_STARTS = ["<!doctype html", "<html", "<head", "<body"];

/** For responses without a content-type: does the body start like an HTML document? */
export function sniffHtml(buf: Buffer): boolean {
  const i = firstByte(buf);
  if (buf[i] !== 0x3c /* < */) return false;
  const head = buf.toString("latin1", i, Math.min(buf.length, i + 16)).toLowerCase();
  for (const s of HTML_STARTS) {
    if (head.startsWith(s)) {
      const next = head.charCodeAt(s.length);
      // "<html>" / "<html lang=…>" but not "<htmlfoo"
      if (Number.isNaN(next) || next === 0x3e || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d) return true;
    }
  }
  return false;
}

/** WHATWG "binary data byte" check on the first 1024 bytes, for responses without a content-type. */
export function looksLikeText(buf: Buffer): boolean {
  if (bomOf(buf) !== null) return true;
  const end = Math.min(buf.length, 1024);
  for (let i = 0; i < end; i++) {
    const b = buf[i]!;
    if (b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)) return false;
  }
  return true;
}

type Bom = { label: "utf-8" | "utf-16le" | "utf-16be"; length: number };
const BOM_UTF8: Bom = { label: "utf-8", length: 3 };
const BOM_UTF16LE: Bom = { label: "utf-16le", length: 2 };
const BOM_UTF16BE: Bom = { label: "utf-16be", length: 2 };

function bomOf(buf: Buffer): Bom | null {
  const b0 = buf[0];
  if (b0 === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return BOM_UTF8;
  if (b0 === 0xff && buf[1] === 0xfe) return BOM_UTF16LE;
  if (b0 === 0xfe && buf[1] === 0xff) return BOM_UTF16BE;
  return null;
}

// TextDecoder (full ICU) maps labels the WHATWG way: latin1 / iso-8859-1 / us-ascii -> windows-1252.
// Decoders are stateless between non-streaming decode() calls, so one per label is reused.
// BOMs are handled above, hence ignoreBOM (no double stripping).
const decoders = new Map<string, TextDecoder | null>();
const MAX_CACHED_LABELS = 256; // labels come from the web: bound the cache

function decoderFor(label: string): TextDecoder | null {
  const key = label.trim().toLowerCase();
  let d = decoders.get(key);
  if (d === undefined) {
    try {
      d = new TextDecoder(key, { ignoreBOM: true });
    } catch {
      d = null; // unknown label
    }
    if (decoders.size < MAX_CACHED_LABELS) decoders.set(key, d);
  }
  return d;
}

const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([^\s"'>;/]+)/i;
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

/** Simplified WHATWG prescan: <meta charset> or <meta http-equiv content="…charset=…"> in the first 1024 bytes. */
export function prescanMetaCharset(buf: Buffer): string | undefined {
  let head = buf.toString("latin1", 0, Math.min(buf.length, 1024));
  if (head.includes("<!--")) head = head.replace(HTML_COMMENT, "");
  const m = META_CHARSET.exec(head);
  return m ? m[1] : undefined;
}

// Node 20's TextDecoder("windows-1252") decodes 0x80-0x9F as C1 controls (ISO-8859-1), not
// as "€", "‘", "—"…: decode as latin1 (fast, native) and map those 32 bytes ourselves.
const CP1252_HIGH = "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";
const C1_ANY = /[\x80-\x9f]/;
const C1_ALL = /[\x80-\x9f]/g;
const cp1252Char = (c: string): string => CP1252_HIGH[c.charCodeAt(0) - 0x80]!;

export function decodeWindows1252(body: Buffer, start = 0): string {
  const s = body.toString("latin1", start);
  return C1_ANY.test(s) ? s.replace(C1_ALL, cp1252Char) : s;
}

function decodeWith(body: Buffer, start: number, decoder: TextDecoder | null): { text: string; charset: string } {
  if (decoder === null || decoder.encoding === "utf-8") {
    return { text: body.toString("utf8", start), charset: "utf-8" };
  }
  if (decoder.encoding === "windows-1252") return { text: decodeWindows1252(body, start), charset: "windows-1252" };
  return { text: decoder.decode(start === 0 ? body : body.subarray(start)), charset: decoder.encoding };
}

/** How a text body is read: from `start` (past a BOM) with `decoder` (null: UTF-8). */
export interface Decoding {
  start: number;
  decoder: TextDecoder | null;
}

/**
 * Chooses a text body's encoding. Order: BOM, Content-Type charset, <meta> prescan (HTML only),
 * UTF-8. Unknown labels are ignored (fall through to the next source). When nothing declares an
 * encoding and the HTML is not valid UTF-8, windows-1252 is used, as browsers do for legacy pages.
 */
export function chooseDecoding(body: Buffer, contentTypeHeader: string | undefined, isHtml: boolean): Decoding {
  const bom = bomOf(body);
  if (bom !== null) return { start: bom.length, decoder: bom.label === "utf-8" ? null : decoderFor(bom.label) };

  const declared = charsetParam(contentTypeHeader);
  if (declared !== undefined) {
    const d = decoderFor(declared);
    if (d !== null) return { start: 0, decoder: d };
  }
  if (isHtml) {
    const meta = prescanMetaCharset(body);
    if (meta !== undefined) {
      const d = decoderFor(meta);
      // WHATWG: a <meta> claiming UTF-16 is read as UTF-8 (the bytes were ASCII-compatible to be found).
      if (d !== null) return { start: 0, decoder: d.encoding.startsWith("utf-16") ? null : d };
    }
    if (!isUtf8(body)) return { start: 0, decoder: decoderFor("windows-1252") };
  }
  return { start: 0, decoder: null };
}

export function isUtf8Decoding(d: Decoding): boolean {
  return d.decoder === null || d.decoder.encoding === "utf-8";
}

export function decodeAs(body: Buffer, d: Decoding): { text: string; charset: string } {
  return decodeWith(body, d.start, d.decoder);
}

/** Decodes a text body (see chooseDecoding). */
export function decodeBody(body: Buffer, contentTypeHeader: string | undefined, isHtml: boolean): { text: string; charset: string } {
  return decodeAs(body, chooseDecoding(body, contentTypeHeader, isHtml));
}
