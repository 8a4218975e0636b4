/** `gleaner run <spec>` and `gleaner resume <job>`. */
import { crawl, resumeJob, type CrawlOptions } from "../../engine/index.js";
import type { CrawlSummary } from "../../events/index.js";
import { UsageError } from "../../shared/errors.js";
import { createLogger, isLogLevel } from "../../shared/log.js";
import { readSpecFile, validateSpec } from "../../spec/index.js";
import { DEFAULT_DB_FILE } from "../../store/index.js";
import { dbOption, intFlag, parse, type Options } from "../args.js";
import { fmtDuration, fmtNumber, type Io } from "../output.js";
import { progressView } from "../progress-view.js";

export const RUN_USAGE = `Usage: gleaner run <spec.yaml> [options]

Crawl what the spec describes into the store.

Options:
  --db <file>           SQLite database (default ${DEFAULT_DB_FILE})
  --resume              continue the latest unfinished job of this spec's name (or start one)
  --max-pages <n>       override scope.maxPages
  --concurrency <n>     override politeness.concurrency (global requests in flight)
  --extract-workers <n> threads that parse and extract pages (default: cores - 1, at least 1,
                        at most 3; 0 = parse on the main thread: less memory, slower)
  --quiet               no progress output
  --json                print a JSON summary as the last line of stdout
  --log-level <level>   debug|info|warn|error|silent (structured logs on stderr; default warn)
  -h, --help

Example:
  gleaner run examples/practice.yaml --db crawl.db --json`;

export const RESUME_USAGE = `Usage: gleaner resume <job-id> [--db <file>] [--extract-workers <n>] [--quiet] [--json] [--log-level <level>]

Continue a job that was interrupted (Ctrl-C, a crash, a kill). Pages already committed are
not fetched again; pages in flight when it stopped are fetched once more.

Example:
  gleaner resume 3 --db crawl.db`;

const common: Options = {
  ...dbOption,
  quiet: { type: "boolean" },
  json: { type: "boolean" },
  "log-level": { type: "string" },
  "extract-workers": { type: "string" },
};

export async function runCommand(args: string[], io: Io): Promise<number> {
  const p = parse("run", args, { ...common, resume: { type: "boolean" }, "max-pages": { type: "string" }, concurrency: { type: "string" } }, RUN_USAGE);
  if (p === "help") return help(io, RUN_USAGE);
  if (p.positionals.length !== 1) throw new UsageError(`gleaner run: give exactly one spec file\n\n${RUN_USAGE}`);
  const file = p.positionals[0]!;
  const raw = readSpecFile(file);
  validateSpec(raw, file); // exit 2 naming the path before anything is written
  const input = raw as Record<string, unknown>;
  const maxPages = intFlag(p.values["max-pages"], "--max-pages", 1);
  const concurrency = intFlag(p.values.concurrency, "--concurrency", 1);
  if (maxPages !== undefined) input.scope = { ...(input.scope as object), maxPages };
  if (concurrency !== undefined) input.politeness = { ...(input.politeness as object), concurrency };
  validateSpec(input, file);
  return execute(io, p.values, (opts) => crawl(input, { ...opts, resume: p.values.resume === true }));
}

export async function resumeCommand(args: string[], io: Io): Promise<number> {
  const p = parse("resume", args, common, RESUME_USAGE);
  if (p === "help") return help(io, RESUME_USAGE);
  if (p.positionals.length !== 1) throw new UsageError(`gleaner resume: give one job id\n\n${RESUME_USAGE}`);
  const id = intFlag(p.positionals[0], "job id", 1)!;
  return execute(io, p.values, (opts) => resumeJob(id, opts));
}

async function execute(io: Io, v: Record<string, string | boolean | undefined>, run: (o: CrawlOptions) => Promise<CrawlSummary>): Promise<number> {
  const level = typeof v["log-level"] === "string" ? v["log-level"] : "warn";
  if (!isLogLevel(level)) throw new UsageError(`--log-level must be one of debug, info, warn, error, silent; got ${JSON.stringify(level)}`);
  const quiet = v.quiet === true;
  const workers = intFlag(v["extract-workers"] as string | undefined, "--extract-workers", 0);
  if (workers !== undefined && workers > 16) throw new UsageError(`--extract-workers expects at most 16, got ${workers}`);
  const view = progressView(io, { quiet });
  const controller = new AbortController();
  let signal: NodeJS.Signals | null = null;
  const onSignal = (s: NodeJS.Signals) => {
    if (signal) process.exit(s === "SIGINT" ? 130 : 143); // second signal: stop now
    signal = s;
    if (!quiet) io.err.write(`\n${s}: finishing pages in flight (press again to quit at once)…\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let jobId = 0;
  const db = typeof v.db === "string" ? v.db : DEFAULT_DB_FILE;
  try {
    const summary = await run({
      db,
      log: createLogger(level),
      signal: controller.signal,
      ...(workers !== undefined ? { extractWorkers: workers } : {}),
      onProgress: (pr) => view.update(pr),
      onJob: (job) => {
        jobId = job.id;
        if (!quiet) io.err.write(`job ${job.id} (${job.name}) in ${db}\n`);
      },
    });
    view.done();
    if (!quiet) io.err.write(report(summary, db) + "\n");
    if (v.json) io.out.write(JSON.stringify({ job: summary.job, state: summary.state, pages: summary.pages, items: summary.items, failed: summary.failed, seconds: round(summary.seconds), ...(summary.error ? { error: summary.error } : {}) }) + "\n");
    if (summary.state === "interrupted") {
      io.err.write(`stopped; resume with: gleaner resume ${summary.job}${db === DEFAULT_DB_FILE ? "" : ` --db ${db}`}\n`);
      return signal === "SIGTERM" ? 143 : 130;
    }
    return summary.state === "done" ? 0 : 1;
  } catch (err) {
    view.done();
    if (jobId && !(err instanceof UsageError)) io.err.write(`job ${jobId} stopped by an error; resume with: gleaner resume ${jobId}\n`);
    throw err;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function report(s: CrawlSummary, db: string): string {
  const head = s.state === "done" ? "done" : s.state === "failed" ? "FAILED" : "interrupted";
  const lines = [
    `${head}: job ${s.job} (${s.name}) — ${fmtNumber(s.pages)} pages, ${fmtNumber(s.items)} items, ${fmtNumber(s.failed)} failed, ${fmtNumber(s.skipped)} skipped in ${fmtDuration(s.seconds)}`,
  ];
  if (s.error) lines.push(`error: ${s.error}`);
  if (s.state !== "interrupted") lines.push(`export: gleaner export ${s.job} --format csv${db === DEFAULT_DB_FILE ? "" : ` --db ${db}`} -o ${s.name}.csv`);
  return lines.join("\n");
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function help(io: Io, usage: string): number {
  io.out.write(usage + "\n");
  return 0;
}
