/** Shapes shared by the export writers. The store yields rows; the CLI/server own the output stream. */

export type ExportFormat = "csv" | "json" | "jsonl";

export const EXPORT_FORMATS: readonly ExportFormat[] = Object.freeze(["csv", "json", "jsonl"] as const);

/** One stored item: `json` is its fields as `JSON.stringify` produced them (an object text). */
export interface ExportRow {
  type: string;
  url: string;
  json: string;
}

export interface ExportOptions {
  format: ExportFormat;
  /** CSV columns: the union of field names across the exported items, in order. Ignored by json/jsonl. */
  fields: string[];
  /** File stream or process.stdout. The caller owns it: writeExport never ends it. */
  out: NodeJS.WritableStream;
  /** Default true: prepend "_type" and "_url" to every record (and CSV header). */
  meta?: boolean;
}

export interface ExportResult {
  /** Rows exported. */
  count: number;
  /** UTF-8 bytes handed to the output stream. */
  bytes: number;
}
