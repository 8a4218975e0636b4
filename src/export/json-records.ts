/**
 * JSON / JSONL records, spliced from the stored JSON text: no parse/stringify per row.
 * Stored json is `JSON.stringify(fields)` (compact, one line, an object), so
 *   {"_type":<type>,"_url":<url>,  +  rest of the stored text after its "{"
 * is valid JSON. `_type` / `_url` are escaped with JSON.stringify.
 * If an item has its own `_type` / `_url` field, the record holds the key twice and
 * JSON.parse keeps the item's value (the later one).
 */
import type { ExportRow } from "./types.js";
import { exportRowError } from "./errors.js";

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** True if the object text has no members (`{}`, tolerating whitespace inside). */
function isEmptyObject(json: string): boolean {
  for (let i = 1; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === CLOSE_BRACE) return true;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return false;
}

/** Builds one record per row; the caller adds separators (newline, or JSON array commas). */
export class JsonRecordEncoder {
  private lastType: string | null = null;
  private typeHead = "";

  constructor(private readonly meta: boolean) {}

  record(row: ExportRow): string {
    const json = row.json;
    if (json.charCodeAt(0) !== OPEN_BRACE) throw exportRowError("stored item is not a JSON object", row.url);
    if (!this.meta) return json;
    if (row.type !== this.lastType) {
      // Rows come grouped by type in practice: encode the type once per run of rows.
      this.lastType = row.type;
      this.typeHead = '{"_type":' + JSON.stringify(row.type) + ',"_url":';
    }
    const head = this.typeHead + JSON.stringify(row.url);
    return isEmptyObject(json) ? head + "}" : head + "," + json.substring(1);
  }
}
