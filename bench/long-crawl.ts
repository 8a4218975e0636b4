/**
 * Memory over a long crawl: gleaner's CLI crawls a large practice site (in its own process)
 * while this script samples the crawler's RSS and, from the job's SQLite file (read-only, WAL),
 * how many pages are done. A crawler that keeps something per page (a cache holding page
 * text, an unbounded set) shows RSS rising with the page count; a flat line is the goal.
 *
 *   npm run build && node dist/bench/long-crawl.js [--pages 40000] [--concurrency 16]
 *       [--extract-workers n] [--timeout 900] [--out bench/results/long-crawl.json]
 *
 * Reports the RSS when 10%, 25%, 50%, 75% and 100% of the pages were done, the growth from
 * 25% to 100% (MB per 10,000 pages) and the peak. Writes one JSON line to stdout and the
 * same object to --out. Fails (exit 1) if the crawl does not find every page.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { startSite } from "./lib/site.js";
import { gleanerSpec } from "./lib/tools.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const { values } = parseArgs({
  options: {
    pages: { type: "string", default: "40000" },
    concurrency: { type: "string", default: "16" },
    "extract-workers": { type: "string" },
    timeout: { type: "string", default: "900" },
    out: { type: "string", default: join(ROOT, "bench/results/long-crawl.json") },
  },
  strict: true,
});
const pages = Number(values.pages);
const concurrency = Number(values.concurrency);
const timeoutS = Number(values.timeout);
for (const [k, v] of Object.entries({ pages, concurrency, timeout: timeoutS })) {
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`long-crawl: --${k} must be a positive integer\n`);
    process.exit(2);
  }
}
const log = (s: string): void => void process.stderr.write(`long-crawl: ${s}\n`);

function rssMB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const dir = mkdtempSync(join(tmpdir(), "gleaner-bench-long-"));
const site = await startSite(ROOT, { pages, seed: 1, timeoutMs: 600_000 });
log(`site ${site.url}: ${site.pages} pages, ready in ${site.startS.toFixed(1)} s`);
try {
  const specFile = join(dir, "spec.json");
  const dbFile = join(dir, "gleaner.db");
  writeFileSync(specFile, JSON.stringify(gleanerSpec(ROOT, site.url, concurrency)));
  const argv = [join(ROOT, "bin/gleaner.js"), "run", specFile, "--db", dbFile, "--json", "--quiet"];
  if (values["extract-workers"] !== undefined) argv.push("--extract-workers", values["extract-workers"]);
  const t0 = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => void (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const killer = setTimeout(() => child.kill("SIGKILL"), timeoutS * 1000);

  // Samples: [seconds, RSS MB, pages done]. The job row is read through a read-only connection.
  const samples: [number, number, number][] = [];
  let reader: Database.Database | null = null;
  let done = false;
  void exited.then(() => void (done = true));
  while (!done) {
    await new Promise((r) => setTimeout(r, 250));
    const rss = rssMB(child.pid!);
    if (rss === null) break;
    let pagesDone = samples.length > 0 ? samples[samples.length - 1]![2] : 0;
    try {
      reader ??= new Database(dbFile, { readonly: true, fileMustExist: true });
      const row = reader.prepare("SELECT n_done FROM jobs ORDER BY id DESC LIMIT 1").get() as { n_done: number } | undefined;
      if (row) pagesDone = row.n_done;
    } catch {
      // the file does not exist yet, or is busy for a moment
    }
    samples.push([(performance.now() - t0) / 1000, rss, pagesDone]);
  }
  const code = await exited;
  clearTimeout(killer);
  reader?.close();
  const wallS = (performance.now() - t0) / 1000;
  const summary = JSON.parse(stdout.trim().split("\n").pop() || "{}") as { pages?: number; items?: number };
  if (code !== 0 || summary.pages === undefined || summary.pages < pages) {
    throw new Error(`the crawl ended with code ${code} after ${summary.pages ?? "?"} of ${pages} pages`);
  }

  const at = (fraction: number): number | null => {
    const s = samples.find((x) => x[2] >= fraction * pages);
    return s ? Math.round(s[1]) : null;
  };
  const peak = Math.round(Math.max(...samples.map((s) => s[1])));
  const q25 = at(0.25);
  const end = Math.round(samples[samples.length - 1]![1]);
  const result = {
    date: new Date().toISOString(),
    command: `node dist/bench/long-crawl.js ${process.argv.slice(2).join(" ")}`.trim(),
    node: process.version,
    pages,
    concurrency,
    crawl: { wallS: +wallS.toFixed(2), pagesPerS: Math.round(summary.pages / wallS), pagesFound: summary.pages, items: summary.items ?? null },
    rssMB: { at10pct: at(0.1), at25pct: q25, at50pct: at(0.5), at75pct: at(0.75), atEnd: end, peak },
    growthMBPer10kPagesAfter25pct: q25 === null ? null : +(((end - q25) / (0.75 * pages)) * 10_000).toFixed(1),
    samples: samples.filter((_, i) => i % 4 === 0).map(([t, r, p]) => [+t.toFixed(1), Math.round(r), p]),
  };
  writeFileSync(values.out, JSON.stringify(result, null, 2) + "\n");
  process.stdout.write(JSON.stringify({ ...result, samples: undefined }) + "\n");
} finally {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
}
