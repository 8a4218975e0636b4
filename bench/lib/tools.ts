/**
 * The tools under test: how to start each one on the practice site, and how to read back
 * what it fetched and stored once it has exited (outside the measured time).
 * gleaner and the raw ceiling live here; Crawlee and Scrapy in peers.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import YAML from "yaml";
import type { SiteManifest } from "../../src/practice/index.js";
import { lastJsonLine, type Measured } from "./measure.js";
import { checkPages, ItemTally, type ItemCheck, type PageCheck } from "./verify.js";

export interface RunContext {
  root: string;
  /** A fresh temp dir for this run (spec, database, datasets, feeds). */
  dir: string;
  siteUrl: string;
  concurrency: number;
  pages: number;
  seed: number;
  manifest: SiteManifest;
  /** Python with Scrapy, when found. */
  python: string | null;
  /** Scrapy variant: the spider skips links it already yielded (`-a seen=1`). */
  scrapySeen?: boolean;
}

export interface Collected {
  summary: Record<string, unknown> | null;
  /** Crawl time as the tool reports it (excludes its start-up), when it says. */
  toolSeconds: number | null;
  pages: PageCheck;
  /** null for the raw ceiling (it extracts nothing). */
  items: ItemCheck | null;
  problems: string[];
}

export interface Tool {
  name: string;
  /** What the tool is, for the report. */
  describe: string;
  command(ctx: RunContext): { argv: string[]; env?: NodeJS.ProcessEnv };
  collect(ctx: RunContext, m: Measured): Collected;
}

/** Problems every tool shares: timeout, bad exit, no summary line. */
export function exitProblems(m: Measured, summary: unknown): string[] {
  const p: string[] = [];
  if (m.timedOut) p.push("timed out (killed)");
  if (m.exitCode !== 0) p.push(`exit code ${m.exitCode}${m.signal ? ` (signal ${m.signal})` : ""}`);
  if (summary === null) p.push("no JSON summary line on stdout");
  return p;
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** examples/practice.yaml's extraction, started at the site, at the benchmark's politeness. */
export function gleanerSpec(root: string, siteUrl: string, concurrency: number): Record<string, unknown> {
  const spec = YAML.parse(readFileSync(join(root, "examples/practice.yaml"), "utf8")) as Record<string, unknown>;
  spec.start = [`${siteUrl}/`];
  spec.politeness = { robots: "ignore", perHost: { rate: "unlimited", concurrency }, concurrency };
  return spec;
}

export const gleaner: Tool = {
  name: "gleaner",
  describe: "gleaner CLI (`gleaner run`, default SQLite store, default extraction workers)",
  command(ctx) {
    const spec = join(ctx.dir, "spec.json");
    writeFileSync(spec, JSON.stringify(gleanerSpec(ctx.root, ctx.siteUrl, ctx.concurrency), null, 2));
    // The executable itself, as `npx gleaner` runs it: its #! line sets the V8 flags.
    return { argv: [join(ctx.root, "bin/gleaner.js"), "run", spec, "--db", join(ctx.dir, "gleaner.db"), "--json", "--quiet"] };
  },
  collect(ctx, m) {
    const summary = lastJsonLine(m.stdout);
    const problems = exitProblems(m, summary);
    if (summary && summary.state !== "done") problems.push(`job state ${String(summary.state)}`);
    let db: Database.Database;
    try {
      db = new Database(join(ctx.dir, "gleaner.db"), { readonly: true, fileMustExist: true });
    } catch (err) {
      problems.push(`cannot open the database: ${err instanceof Error ? err.message : String(err)}`);
      return { summary, toolSeconds: num(summary?.seconds), pages: checkPages(ctx.manifest, [], 0), items: new ItemTally(ctx.manifest).result(), problems };
    }
    try {
      // One row per fetched request; final_url is where redirects landed.
      const urls = (db.prepare("SELECT final_url AS u FROM requests WHERE state = 'done' AND status = 200 AND content_type LIKE 'text/html%' AND final_url IS NOT NULL").pluck().all() as string[]);
      const tally = new ItemTally(ctx.manifest);
      for (const row of db.prepare("SELECT type, data FROM items ORDER BY id").iterate() as IterableIterator<{ type: string; data: string }>) {
        tally.add(row.type, JSON.parse(row.data) as Record<string, unknown>);
      }
      const items = tally.result();
      if (summary && num(summary.items) !== items.foundTotal) problems.push(`summary says ${String(summary.items)} items, the database holds ${items.foundTotal}`);
      return { summary, toolSeconds: num(summary?.seconds), pages: checkPages(ctx.manifest, urls, urls.length), items, problems };
    } finally {
      db.close();
    }
  },
};

/** The same run on one thread (`--extract-workers 0`): the memory side of the trade. */
export const gleanerOneThread: Tool = {
  ...gleaner,
  name: "gleaner-1t",
  describe: "gleaner CLI with --extract-workers 0 (parsing on the main thread)",
  command(ctx) {
    const { argv } = gleaner.command(ctx);
    return { argv: [...argv, "--extract-workers", "0"] };
  },
};

export const raw: Tool = {
  name: "raw",
  describe: "raw ceiling: undici Pool GETs of every manifest page, bodies read, nothing parsed or stored",
  command(ctx) {
    return {
      argv: [
        process.execPath, join(ctx.root, "dist/bench/peers/raw-ceiling.js"),
        "--url", ctx.siteUrl, "--pages", String(ctx.pages), "--seed", String(ctx.seed),
        "--concurrency", String(ctx.concurrency), "--out", join(ctx.dir, "pages.json"),
      ],
    };
  },
  collect(ctx, m) {
    const summary = lastJsonLine(m.stdout);
    const problems = exitProblems(m, summary);
    const urls = readUrlList(join(ctx.dir, "pages.json"), problems);
    if (summary && num(summary.errors)) problems.push(`${String(summary.errors)} request errors`);
    return { summary, toolSeconds: num(summary?.seconds), pages: checkPages(ctx.manifest, urls, num(summary?.fetches)), items: null, problems };
  },
};

/** The raw ceiling asking for gzip and inflating every body, as a crawler must: informational. */
export const rawGzip: Tool = {
  ...raw,
  name: "raw-gzip",
  describe: "raw ceiling with Accept-Encoding: gzip, every body inflated (informational; the target is judged on `raw`)",
  command(ctx) {
    const c = raw.command(ctx);
    return { ...c, argv: [...c.argv, "--gzip"] };
  },
};

/** A JSON list of URLs written by a peer script; [] (and a problem) when absent. */
export function readUrlList(file: string, problems: string[]): string[] {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as string[];
  } catch (err) {
    problems.push(`no URL list (${file}): ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
}
