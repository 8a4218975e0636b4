/**
 * CSV per RFC 4180: CRLF line endings; a cell containing `"`, `,`, CR or LF is quoted with
 * its quotes doubled. No UTF-8 BOM is written: Excel wants one to detect UTF-8, but most
 * other tools (csvkit, pandas, awk, databases' COPY) treat it as part of the first header.
 *
 * Formula-injection guard (OWASP "CSV Injection"): scraped text is untrusted, so a cell whose
 * text starts with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`, which spreadsheets show
 * as text. Values that are real numbers (typeof number, e.g. -3) are left alone. The guard
 * applies to every cell, the header included.
 */
import type { ExportRow } from "./types.js";
import { exportRowError } from "./errors.js";

const NEEDS_QUOTES = /[",\r\n]/;
const hasOwn = Object.hasOwn;

/** One CSV cell, guarded and quoted as needed. Exported for tests and for one-off cells. */
export function csvCell(value: unknown): string {
  switch (typeof value) {
    case "string":
      return csvText(value);
    case "number":
    case "bigint":
      return String(value); // never starts with a formula character other than a real minus sign
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "";
    case "object":
      if (value === null) return "";
      return csvText(Array.isArray(value) ? listText(value) : JSON.stringify(value));
    default:
      return csvText(String(value));
  }
}

/** Guard + quote a text cell. */
function csvText(s: string): string {
  if (s.length === 0) return s;
  const c = s.charCodeAt(0);
  // = + - @ TAB CR
  if (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) s = "'" + s;
  return NEEDS_QUOTES.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

/** A list field (e.g. tags) in one cell: elements joined with "; ", nested values as JSON. */
function listText(list: readonly unknown[]): string {
  let out = "";
  for (let i = 0; i < list.length; i++) {
    if (i > 0) out += "; ";
    const v = list[i];
    if (v === null || v === undefined) continue;
    out += typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  return out;
}

/** A record of cells; a record that would be an empty line (one empty column) is written `""` so readers keep it. */
function line(cells: string): string {
  return (cells.length === 0 ? '""' : cells) + "\r\n";
}

/** Encodes rows as CSV records over a fixed column list. */
export class CsvEncoder {
  private lastType: string | null = null;
  private typeCell = "";

  constructor(
    private readonly fields: readonly string[],
    private readonly meta: boolean,
  ) {}

  header(): string {
    let cells = this.meta ? "_type,_url" : "";
    for (let i = 0; i < this.fields.length; i++) {
      if (i > 0 || this.meta) cells += ",";
      cells += csvCell(this.fields[i]);
    }
    return line(cells);
  }

  record(row: ExportRow): string {
    let item: unknown;
    try {
      item = JSON.parse(row.json);
    } catch (err) {
      throw exportRowError("stored item is not valid JSON", row.url, err);
    }
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw exportRowError("stored item is not a JSON object", row.url);
    }
    const obj = item as Record<string, unknown>;
    let cells = "";
    if (this.meta) {
      if (row.type !== this.lastType) {
        this.lastType = row.type;
        this.typeCell = csvCell(row.type);
      }
      cells = this.typeCell + "," + csvCell(row.url);
    }
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      // hasOwn: a field named "constructor" or "__proto__" must not read the prototype.
      const cell = hasOwn(obj, f) ? csvCell(obj[f]) : "";
      cells += i > 0 || this.meta ? "," + cell : cell;
    }
    return line(cells);
  }
}
