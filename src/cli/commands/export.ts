/** `gleaner export <job>`: stream a job's items as CSV, JSON or JSONL in constant memory. */
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { EXPORT_FORMATS, isBrokenPipe, writeExport, type ExportFormat } from "../../export/index.js";
import { GleanerError, UsageError } from "../../shared/errors.js";
import { DEFAULT_DB_FILE, openStore, type Store } from "../../store/index.js";
import { dbOption, parse } from "../args.js";
import type { Io } from "../output.js";

export const EXPORT_USAGE = `Usage: gleaner export <job> --format csv|json|jsonl [--type <item type>] [-o <file>] [--db <file>]

Write a job's items (by job id, or the latest job of that name) to stdout or a file.
Every record carries _type and _url; CSV has one column per field seen (the union),
and cells starting with = + - @ are prefixed with ' so spreadsheets do not run them.

Options:
  --format <f>     csv, json (one array) or jsonl (one object per line); default jsonl
  --type <t>       only items of this type
  -o, --output <file>
  --no-meta        leave out _type and _url
  --db <file>      SQLite database (default ${DEFAULT_DB_FILE})

Example:
  gleaner export 1 --format csv --type quote -o quotes.csv`;

export async function exportCommand(args: string[], io: Io): Promise<number> {
  const p = parse("export", args, { ...dbOption, format: { type: "string" }, type: { type: "string" }, output: { type: "string", short: "o" }, "no-meta": { type: "boolean" } }, EXPORT_USAGE);
  if (p === "help") return io.out.write(EXPORT_USAGE + "\n"), 0;
  if (p.positionals.length !== 1) throw new UsageError(`gleaner export: give one job id or name\n\n${EXPORT_USAGE}`);
  const format = (p.values.format ?? "jsonl") as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")}; got ${JSON.stringify(p.values.format)}`);
  // A sequential read needs almost no page cache; keeping it small keeps the export's memory flat.
  const store = openStore(typeof p.values.db === "string" ? p.values.db : DEFAULT_DB_FILE, { cacheMB: 4 });
  try {
    const jobId = resolveJob(store, p.positionals[0]!);
    const type = typeof p.values.type === "string" ? p.values.type : undefined;
    if (type !== undefined && !store.itemTypes(jobId).includes(type)) {
      const types = store.itemTypes(jobId);
      throw new UsageError(`job ${jobId} has no items of type ${JSON.stringify(type)}; its types: ${types.length ? types.join(", ") : "(none)"}`);
    }
    const fields = store.itemFields(jobId, type);
    const rows = store.iterateItems(jobId, type === undefined ? {} : { type });
    const file = typeof p.values.output === "string" ? p.values.output : null;
    const out = file ? createWriteStream(file) : io.out;
    try {
      const r = await writeExport(rows, { format, fields, out, meta: p.values["no-meta"] !== true });
      if (file) {
        out.end();
        await finished(out);
        io.err.write(`wrote ${r.count} items to ${file}\n`);
      }
    } catch (err) {
      if (!file && isBrokenPipe(err)) return 0; // `gleaner export … | head` is fine
      throw err;
    }
    return 0;
  } finally {
    store.close();
  }
}

/** A job id, or the name of a job (its latest run). */
export function resolveJob(store: Store, ref: string): number {
  if (/^\d+$/.test(ref)) {
    const id = Number(ref);
    if (!store.getJob(id)) throw new GleanerError("GLEANER_ERR_NO_JOB", `job ${id} does not exist; see \`gleaner jobs\``);
    return id;
  }
  const job = store.listJobs(10_000).find((j) => j.name === ref);
  if (!job) throw new GleanerError("GLEANER_ERR_NO_JOB", `no job named ${JSON.stringify(ref)}; see \`gleaner jobs\``);
  return job.id;
}
