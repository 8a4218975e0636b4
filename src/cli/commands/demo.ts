/** `gleaner demo`: serve the bundled practice site on loopback and crawl it with the bundled spec. */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startPracticeSite } from "../../practice/index.js";
import { UsageError } from "../../shared/errors.js";
import { readSpecFile } from "../../spec/index.js";
import { DEFAULT_DB_FILE } from "../../store/index.js";
import { dbOption, intFlag, parse } from "../args.js";
import type { Io } from "../output.js";
import { runCommand } from "./run.js";

export const DEMO_USAGE = `Usage: gleaner demo [--pages <n>] [--db <file>] [--json] [--quiet]

Start the bundled practice site (quotes, authors, a jobs board, a product table and
some broken pages) on a free 127.0.0.1 port, crawl it with examples/practice.yaml into
the database, and print where the results are and how to export them.

Example:
  gleaner demo --pages 1000`;

/** examples/practice.yaml, found from dist/src/cli/commands/ or from the bundle in dist/bundle/ (scripts/bundle.mjs). */
export const DEMO_SPEC = fileURLToPath(
  ["../../../../examples/practice.yaml", "../../examples/practice.yaml"]
    .map((rel) => new URL(rel, import.meta.url))
    .find((u) => existsSync(u)) ?? new URL("../../../../examples/practice.yaml", import.meta.url),
);

export async function demoCommand(args: string[], io: Io): Promise<number> {
  const p = parse("demo", args, { ...dbOption, pages: { type: "string" }, json: { type: "boolean" }, quiet: { type: "boolean" } }, DEMO_USAGE);
  if (p === "help") return io.out.write(DEMO_USAGE + "\n"), 0;
  if (p.positionals.length > 0) throw new UsageError(`gleaner demo takes no arguments\n\n${DEMO_USAGE}`);
  const pages = intFlag(p.values.pages, "--pages", 10) ?? 500;
  const db = typeof p.values.db === "string" ? p.values.db : DEFAULT_DB_FILE;
  const site = await startPracticeSite({ pages });
  try {
    const spec = readSpecFile(DEMO_SPEC) as Record<string, unknown>;
    spec.start = [site.url + "/"];
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "gleaner-demo-"));
    const file = join(dir, "practice.yaml");
    writeFileSync(file, JSON.stringify(spec, null, 2));
    if (p.values.quiet !== true) io.err.write(`practice site: ${site.url}/ (${site.manifest.pages.length} pages)\nspec: ${DEMO_SPEC}\n`);
    try {
      const args2 = [file, "--db", db, ...(p.values.json ? ["--json"] : []), ...(p.values.quiet ? ["--quiet"] : [])];
      const code = await runCommand(args2, io);
      if (p.values.quiet !== true) {
        io.err.write(`\nthe failed pages are the site's deliberate 404s and redirect loop (see: gleaner jobs; the errors table).`);
        io.err.write(`\nresults are in ${db} (SQLite). Try:\n  gleaner jobs${db === DEFAULT_DB_FILE ? "" : ` --db ${db}`}\n  gleaner export <job> --format csv --type quote -o quotes.csv${db === DEFAULT_DB_FILE ? "" : ` --db ${db}`}\n  sqlite3 ${db} "select type, count(*) from items group by type"\n`);
      }
      return code;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await site.close();
  }
}
