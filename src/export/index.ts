/** Public surface of the export stage: streamed CSV / JSON / JSONL from stored items. */
export type { ExportFormat, ExportRow, ExportOptions, ExportResult } from "./types.js";
export { EXPORT_FORMATS } from "./types.js";
export { writeExport } from "./write-export.js";
export { csvCell } from "./csv.js";
export { isBrokenPipe, EXPORT_WRITE, EXPORT_ROW, EXPORT_FORMAT } from "./errors.js";
