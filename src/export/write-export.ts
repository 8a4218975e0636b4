/**
 * writeExport: stream stored rows to a caller-owned output in CSV, JSON or JSONL,
 * in constant memory (see chunk-sink.ts for the backpressure contract).
 */
import { GleanerError } from "../shared/errors.js";
import { ChunkSink } from "./chunk-sink.js";
import { CsvEncoder } from "./csv.js";
import { EXPORT_FORMAT, EXPORT_WRITE } from "./errors.js";
import { JsonRecordEncoder } from "./json-records.js";
import type { ExportOptions, ExportResult, ExportRow } from "./types.js";
import { EXPORT_FORMATS } from "./types.js";

/** What a format adds around and between records. */
interface Encoder {
  head: string;
  /** The record with its separator/terminator. `index` is the row's 0-based position. */
  record(row: ExportRow, index: number): string;
  tail(count: number): string;
}

function encoderFor(opts: ExportOptions): Encoder {
  const meta = opts.meta ?? true;
  switch (opts.format) {
    case "jsonl": {
      const json = new JsonRecordEncoder(meta);
      return { head: "", record: (row) => json.record(row) + "\n", tail: () => "" };
    }
    case "json": {
      // `[\n` rec `,\n` rec `\n]\n`; an empty export is `[]\n`.
      const json = new JsonRecordEncoder(meta);
      return {
        head: "",
        record: (row, i) => (i === 0 ? "[\n" : ",\n") + json.record(row),
        tail: (count) => (count === 0 ? "[]\n" : "\n]\n"),
      };
    }
    case "csv": {
      const csv = new CsvEncoder(opts.fields, meta);
      return { head: csv.header(), record: (row) => csv.record(row), tail: () => "" };
    }
    default:
      throw new GleanerError(
        EXPORT_FORMAT,
        `export: unknown format ${JSON.stringify(opts.format)}; use one of ${EXPORT_FORMATS.join(", ")}`,
        { action: "stop", context: { format: opts.format } },
      );
  }
}

function isAsyncIterable<T>(x: Iterable<T> | AsyncIterable<T>): x is AsyncIterable<T> {
  return typeof (x as AsyncIterable<T>)[Symbol.asyncIterator] === "function";
}

/**
 * Streams `rows` to `opts.out`. Pulls the next row only when the stream can take more.
 * Never ends `out`; resolves once the last chunk's write callback fired.
 * Rejects with GLEANER_ERR_EXPORT_WRITE if the stream fails (see isBrokenPipe for EPIPE),
 * GLEANER_ERR_EXPORT_ROW for a corrupt stored row, or with the row source's own error.
 * A failed export leaves `out` as it is; its content is then incomplete.
 */
export async function writeExport(
  rows: Iterable<ExportRow> | AsyncIterable<ExportRow>,
  opts: ExportOptions,
): Promise<ExportResult> {
  const enc = encoderFor(opts);
  const sink = new ChunkSink(opts.out);
  let count = 0;
  try {
    const first = sink.push(enc.head);
    if (first !== undefined) await first;
    // Two copies of the loop so sync sources (better-sqlite3's iterate()) pay no microtask per row.
    // Leaving a loop by throwing calls the iterator's return(), which releases a SQLite statement.
    if (isAsyncIterable(rows)) {
      for await (const row of rows) {
        const wait = sink.push(enc.record(row, count));
        count++;
        if (wait !== undefined) await wait;
      }
    } else {
      for (const row of rows) {
        const wait = sink.push(enc.record(row, count));
        count++;
        if (wait !== undefined) await wait;
      }
    }
    const last = sink.push(enc.tail(count));
    if (last !== undefined) await last;
    const bytes = await sink.finish();
    return { count, bytes };
  } catch (err) {
    sink.abandon();
    if (err instanceof GleanerError && err.code === EXPORT_WRITE) err.context.rows = count;
    throw err;
  }
}
