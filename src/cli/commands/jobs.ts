/** `gleaner jobs`: the jobs in a database with their counts. */
import { DEFAULT_DB_FILE, openStore } from "../../store/index.js";
import { dbOption, intFlag, parse } from "../args.js";
import { fmtNumber, type Io } from "../output.js";
import { UsageError } from "../../shared/errors.js";

export const JOBS_USAGE = `Usage: gleaner jobs [--db <file>] [--limit <n>] [--json]

List the jobs in the database, newest first.

Example:
  gleaner jobs --db crawl.db`;

export async function jobsCommand(args: string[], io: Io): Promise<number> {
  const p = parse("jobs", args, { ...dbOption, json: { type: "boolean" }, limit: { type: "string" } }, JOBS_USAGE);
  if (p === "help") return io.out.write(JOBS_USAGE + "\n"), 0;
  if (p.positionals.length > 0) throw new UsageError(`gleaner jobs takes no arguments\n\n${JOBS_USAGE}`);
  const store = openStore(typeof p.values.db === "string" ? p.values.db : DEFAULT_DB_FILE);
  try {
    const jobs = store.listJobs(intFlag(p.values.limit, "--limit", 1) ?? 50);
    if (p.values.json) {
      io.out.write(JSON.stringify(jobs.map((j) => ({ id: j.id, name: j.name, state: j.state, createdAt: new Date(j.createdAt).toISOString(), ...j.stats }))) + "\n");
      return 0;
    }
    if (jobs.length === 0) {
      io.out.write("no jobs yet; start one with: gleaner run <spec.yaml>\n");
      return 0;
    }
    const rows = [["ID", "NAME", "STATE", "PAGES", "ITEMS", "FAILED", "QUEUED", "CREATED"]];
    for (const j of jobs) {
      rows.push([String(j.id), j.name, j.state, fmtNumber(j.stats.done), fmtNumber(j.stats.items), fmtNumber(j.stats.failed), fmtNumber(j.stats.queued + j.stats.leased), new Date(j.createdAt).toISOString().slice(0, 19).replace("T", " ")]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) io.out.write(r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd() + "\n");
    return 0;
  } finally {
    store.close();
  }
}
