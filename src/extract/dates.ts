/**
 * Strict date parsing for `type: date` and the `date` regex. `new Date(string)` accepts garbage
 * ("1", "foo 2") and reads local time, so every accepted shape is spelled out here:
 *   2024-03-01 | 2024-03-01T10:30[:00[.123]][Z|+01:00]   (ISO 8601 / <time datetime>)
 *   March 14, 1879 | Mar. 14 1879 | 14 March 1879 | 14th of March, 1879   (optional weekday first)
 *   03/14/1879   (US month/day/year)
 * Output: "YYYY-MM-DD" for a date; with a time, "YYYY-MM-DDTHH:MM:SS[.fff]" as written when no
 * zone is given (a floating local time: we do not invent one), or UTC ("...Z") when it is.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const MONTHS =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const WEEKDAY = "(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+)?";
const MDY = new RegExp(`^${WEEKDAY}(${MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})$`, "i");
const DMY = new RegExp(`^${WEEKDAY}(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTHS})\\.?,?\\s+(\\d{4})$`, "i");
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

const MONTH_INDEX: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function ymd(year: number, month: number, day: number): string | null {
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function monthNumber(name: string): number {
  return MONTH_INDEX[name.slice(0, 3).toLowerCase()] ?? 0;
}

function isoDateTime(m: RegExpExecArray): string | null {
  const year = +m[1]!, month = +m[2]!, day = +m[3]!;
  const date = ymd(year, month, day);
  if (date === null || m[4] === undefined) return date;
  const hour = +m[4], minute = +m[5]!, second = m[6] === undefined ? 0 : +m[6];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const frac = m[7] ?? "";
  const zone = m[8];
  const local = `${date}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
  if (zone === undefined) return local + frac;
  let offsetMin = 0;
  if (zone !== "Z" && zone !== "z") {
    const digits = zone.replace(":", "");
    const oh = +digits.slice(1, 3), om = digits.length > 3 ? +digits.slice(3, 5) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMin = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear: Date.UTC maps years 0-99 to 19xx
  d.setUTCHours(hour, minute - offsetMin, second, frac === "" ? 0 : Math.floor(Number(frac) * 1000));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** ISO string for a date in one of the accepted shapes, or null. */
export function parseDate(input: string): string | null {
  const s = input.trim();
  if (s.length < 8 || s.length > 64) return null;
  let m: RegExpExecArray | null;
  if ((m = ISO.exec(s)) !== null) return isoDateTime(m);
  if ((m = MDY.exec(s)) !== null) return ymd(+m[3]!, monthNumber(m[1]!), +m[2]!);
  if ((m = DMY.exec(s)) !== null) return ymd(+m[3]!, monthNumber(m[2]!), +m[1]!);
  if ((m = US.exec(s)) !== null) return ymd(+m[3]!, +m[1]!, +m[2]!);
  return null;
}
