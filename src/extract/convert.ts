/**
 * Field type conversions. Each returns null when the text does not convert: a field never
 * holds a half-parsed value.
 */
import type { FieldType } from "../spec/types.js";
import { parseDate } from "./dates.js";

export type Converter = (text: string, baseUrl: string) => string | number | boolean | null;

// Currency symbols and every kind of space (NBSP and narrow NBSP are thousands separators in fr-FR).
const NUMBER_NOISE = /[\s\p{Sc}]+/gu;
// 1234 | 1,234,567 | .5 | 1.5e3, with an optional sign.
const NUMBER_EN = /^[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
// 1.234,50 | 12,5 (decimal comma): only the shapes that cannot be read the English way.
const NUMBER_DECIMAL_COMMA = /^[+-]?(?:\d{1,3}(?:\.\d{3})+,\d+|\d+,\d{1,2})$/;

/** "1,234.50", "$85,000", "-3", "1.5e3", "€ 12,50" → number; anything else → null. */
export function toNumber(text: string): number | null {
  let s = text.replace(NUMBER_NOISE, "");
  if (s.charCodeAt(0) === 0x2212) s = "-" + s.slice(1); // U+2212 MINUS SIGN
  if (s === "" || s.length > 64) return null;
  let n: number;
  if (NUMBER_EN.test(s)) n = Number(s.replaceAll(",", ""));
  else if (NUMBER_DECIMAL_COMMA.test(s)) n = Number(s.replaceAll(".", "").replace(",", "."));
  else return null;
  return Number.isFinite(n) ? n : null;
}

/** A number that is a whole, exactly representable integer ("1,200" yes, "12.5" no). */
export function toInteger(text: string): number | null {
  const n = toNumber(text);
  return n !== null && Number.isSafeInteger(n) ? n + 0 : null; // + 0 turns -0 into 0
}

const BOOLEANS = new Map<string, boolean>([
  ["true", true], ["yes", true], ["1", true], ["on", true],
  ["false", false], ["no", false], ["0", false], ["off", false],
]);

export function toBoolean(text: string): boolean | null {
  return BOOLEANS.get(text.trim().toLowerCase()) ?? null;
}

/** Absolute http(s) URL resolved against the page's base URL (fragment kept: it is data here). */
export function toUrl(text: string, baseUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(text, baseUrl);
  } catch {
    return null;
  }
  return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
}

const CONVERTERS: Record<FieldType, Converter> = {
  string: (text) => text,
  number: toNumber,
  integer: toInteger,
  date: parseDate,
  url: toUrl,
  boolean: toBoolean,
};

export function converterFor(type: FieldType): Converter {
  const c = CONVERTERS[type];
  if (c === undefined) throw new TypeError(`unknown field type ${JSON.stringify(type)}`);
  return c;
}
