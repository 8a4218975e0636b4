/**
 * Regex extractors: the built-ins (email, phone, url, date, ipv4) and user patterns.
 *
 * Built-ins start with a negative lookbehind on their own leading characters so a match can only
 * begin at the start of a run: without it, a 5 MB run of letters makes `[\w.]+@` retry from every
 * position (quadratic). Matches are then checked by a validator (valid calendar day, 7-15 phone
 * digits, parseable URL) so the patterns can stay simple.
 */
import { BUILTIN_REGEXES, type BuiltinRegex } from "../spec/types.js";
import { parseDate } from "./dates.js";

const MONTHS =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const ISO_DATE = String.raw`\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?`;
const MDY = String.raw`(?:${MONTHS})\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}`;
const DMY = String.raw`\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:${MONTHS})\.?,?\s+\d{4}`;
const US_DATE = String.raw`\d{1,2}/\d{1,2}/\d{4}`;

/** What follows the "@" of an email (shared by the pattern and emailFinder). */
const EMAIL_DOMAIN = String.raw`[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-])`;

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

/** The built-in extractors (non-global: safe to share; extraction uses global copies). */
export const BUILTIN_EXTRACTORS: Record<BuiltinRegex, RegExp> = {
  email: new RegExp(String.raw`(?<![\w.%+-])[\w.%+-]+@` + EMAIL_DOMAIN),
  // +<country> groups (separated, or one run of 7-15 digits), or US/NANP 3-3-4 with optional 1-.
  phone: /(?<![\w+])(?:\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]\d{1,8}){1,6}|\+\d{7,15}|(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4})(?!\d)/,
  url: /(?<![\w.+-])https?:\/\/[A-Za-z0-9](?:[^\s<>"'`{}|\\^[\]]*[^\s<>"'`{}|\\^[\].,;:!?)])?/i,
  date: new RegExp(String.raw`(?<![A-Za-z0-9/])(?:${ISO_DATE}|${MDY}|${DMY}|${US_DATE})(?![A-Za-z0-9/])`, "i"),
  ipv4: new RegExp(String.raw`(?<!\d\.?)(?:${OCTET}\.){3}${OCTET}(?!\.?\d)`),
};

function phoneDigits(s: string): boolean {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n >= 7 && n <= 15;
}

function validUrl(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * Text every match of a built-in contains: without it, a text is passed over with one indexOf
 * (a description with no "://" never runs the url pattern, whose lookbehind is tried at each
 * char). Email has none: its finder (emailFinder) starts from each "@" anyway.
 */
const NEEDLES: Record<BuiltinRegex, string | null> = {
  email: null,
  phone: null,
  url: "://",
  date: null,
  ipv4: ".",
};

const VALIDATORS: Record<BuiltinRegex, ((s: string) => boolean) | null> = {
  email: null,
  phone: phoneDigits,
  url: validUrl,
  date: (s) => parseDate(s) !== null,
  ipv4: null,
};

/** A compiled extractor: global regex, whether to use group 1, optional match validator and needle. */
export interface CompiledRegex {
  readonly re: RegExp;
  readonly useGroup: boolean;
  readonly validate: ((s: string) => boolean) | null;
  /** A string every match contains (see NEEDLES), or null. */
  readonly needle: string | null;
  /** Finds the same matches as `re` without scanning the text with it (see emailFinder), or null. */
  readonly finder: Finder | null;
  /**
   * Whitespace can neither be in a match nor tell one boundary from another (see SPACE_BLIND):
   * the same matches come out of a text whether or not its whitespace was collapsed first.
   */
  readonly spaceBlind: boolean;
}

/**
 * Built-ins whose character classes and lookarounds all treat every JS \s alike and exclude
 * it, so collapsing a text's whitespace (runs to one space, trimmed) changes none of their
 * matches. Not phone ("(555) 123-4567": one space allowed) nor date ("2024-03-01 12:00").
 */
const SPACE_BLIND: ReadonlySet<BuiltinRegex> = new Set<BuiltinRegex>(["email", "url", "ipv4"]);

/** The next match at or after `from`: its start, with `end` set; or -1. */
interface Finder {
  next(text: string, from: number): number;
  end: number;
}

/** [\w.%+-] (ASCII, as \w is without the u flag): what an email's local part is made of. */
function isLocalChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 43 || c === 37;
}

/**
 * The email built-in, found from each "@" instead of by running its pattern over the whole text
 * (~7 ns a char: 50 µs for a 7 KB biography). The pattern's local part is a whole run of
 * [\w.%+-] (its lookbehind) and "@" is not in that class, so a match can only be the run that
 * ends at an "@", followed by the pattern's domain part matched right after it. Runs that begin
 * before `from` cannot match (the pattern's lookbehind sees the text before lastIndex too).
 * test/extract-regex.test.ts compares it with the pattern on random text.
 */
function emailFinder(): Finder {
  const domain = new RegExp(EMAIL_DOMAIN, "y");
  const f: Finder = {
    end: -1,
    next(text: string, from: number): number {
      for (let at = text.indexOf("@", from); at !== -1; at = text.indexOf("@", at + 1)) {
        let start = at;
        while (start > 0 && isLocalChar(text.charCodeAt(start - 1))) start--;
        if (start === at || start < from) continue;
        domain.lastIndex = at + 1;
        if (domain.test(text)) {
          f.end = domain.lastIndex;
          return start;
        }
      }
      return -1;
    },
  };
  return f;
}

const FLAGS = /^[dgimsuv]*$/;

function isBuiltin(name: string): name is BuiltinRegex {
  return Object.prototype.hasOwnProperty.call(BUILTIN_EXTRACTORS, name);
}

/** "/pattern/flags" or a plain pattern. Throws SyntaxError on a bad pattern. */
function parsePattern(pattern: string): { source: string; flags: string } {
  const last = pattern.lastIndexOf("/");
  if (pattern.length > 2 && pattern[0] === "/" && last > 0 && FLAGS.test(pattern.slice(last + 1))) {
    return { source: pattern.slice(1, last), flags: pattern.slice(last + 1) };
  }
  return { source: pattern, flags: "" };
}

/** Compile a built-in name or custom pattern for repeated use. Throws SyntaxError if invalid. */
export function compileRegex(pattern: string): CompiledRegex {
  if (typeof pattern !== "string" || pattern === "") throw new SyntaxError("regex is empty");
  if (isBuiltin(pattern)) {
    const b = BUILTIN_EXTRACTORS[pattern];
    const finder = pattern === "email" ? emailFinder() : null;
    return { re: new RegExp(b.source, b.flags + "g"), useGroup: false, validate: VALIDATORS[pattern], needle: NEEDLES[pattern], finder, spaceBlind: SPACE_BLIND.has(pattern) };
  }
  const { source, flags } = parsePattern(pattern);
  let re: RegExp;
  try {
    re = new RegExp(source, flags.includes("g") ? flags : flags + "g");
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new SyntaxError(`invalid regex ${JSON.stringify(pattern)}: ${why} (or one of the built-ins: ${BUILTIN_REGEXES.join(", ")})`);
  }
  // Number of capture groups: an alternation with the empty pattern always matches.
  const groups = new RegExp(`${source}|`, flags.replace("g", "")).exec("")!.length - 1;
  return { re, useGroup: groups > 0, validate: null, needle: null, finder: null, spaceBlind: false };
}

/** null if `pattern` is a built-in name or a valid pattern, else a message. */
export function validateRegex(pattern: string): string | null {
  try {
    compileRegex(pattern);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Call `onMatch` with each extracted value in `text` (group 1 if the pattern has groups, else the
 * whole match; empty values and rejected built-in matches skipped) until it returns false.
 */
export function eachMatch(r: CompiledRegex, text: string, onMatch: (value: string) => boolean): void {
  const finder = r.finder;
  if (finder !== null) {
    // (it looks for its own anchor: no needle test first)
    for (let start = finder.next(text, 0); start !== -1; start = finder.next(text, finder.end)) {
      const value = text.slice(start, finder.end);
      if (r.validate !== null && !r.validate(value)) continue;
      if (!onMatch(value)) return;
    }
    return;
  }
  if (r.needle !== null && text.indexOf(r.needle) === -1) return;
  const re = r.re;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) re.lastIndex++; // never loop on an empty match
    const value = r.useGroup ? m[1] : m[0];
    if (value === undefined || value === "") continue;
    if (r.validate !== null && !r.validate(value)) continue;
    if (!onMatch(value)) return;
  }
}

/** First extracted value in `text`, or null. */
export function firstMatch(r: CompiledRegex, text: string): string | null {
  let hit: string | null = null;
  eachMatch(r, text, (v) => {
    hit = v;
    return false;
  });
  return hit;
}
