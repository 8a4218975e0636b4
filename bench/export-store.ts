/**
 * Exports of 1,000,000 items stored in SQLite, through the real `gleaner export` command.
 *
 *   npm run build && node dist/bench/export-store.js [--items 1000000]
 *
 * Fills a temp database through the Store (commitPage, 100 items per page), then runs
 * `gleaner export` in a child process per format (the CLI itself, via bench/export-child)
 * and reports wall time, items/s and the child's peak RSS as one JSON line per format.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SqliteStore } from "../src/store/index.js";
import { launcherFlags } from "./lib/launcher.js";

const root = new URL("../..", import.meta.url).pathname;

const { values } = parseArgs({ options: { items: { type: "string", default: "1000000" } }, strict: true });
const total = Number(values.items);
const dir = mkdtempSync(join(tmpdir(), "gleaner-bench-export-"));
const db = join(dir, "bench.db");

try {
  const t0 = performance.now();
  const store = new SqliteStore(db);
  const job = store.createJob("export-bench", { name: "export-bench" }).id;
  const perPage = 100;
  const pages = Math.ceil(total / perPage);
  store.enqueue(job, Array.from({ length: pages }, (_, i) => ({ url: `http://127.0.0.1/p/${i}`, host: "127.0.0.1", depth: 0, priority: 0, parentId: null })));
  let n = 0;
  let first = true;
  for (;;) {
    const leased = store.lease(job, { limit: 500, now: Date.now(), leaseMs: 60_000, owner: "bench", maxStarted: pages });
    if (leased.length === 0) break;
    for (const r of leased) {
      const items = [];
      for (let k = 0; k < perPage && n < total; k++, n++) {
        items.push({ type: n % 5 === 0 ? "author" : "quote", json: JSON.stringify(item(n)) });
      }
      store.commitPage(job, "bench", {
        requestId: r.id, status: 200, finalUrl: r.url, contentType: "text/html", bytes: 12000, elapsedMs: 1, fetcher: "http",
        items, discovered: [], newFields: first ? [["quote", "text"], ["quote", "author"], ["quote", "tags"], ["quote", "page"], ["author", "text"], ["author", "author"], ["author", "tags"], ["author", "page"]] : [],
      });
      first = false;
    }
  }
  store.close();
  const fillSeconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ bench: "export-store", phase: "fill", items: n, seconds: round(fillSeconds), dbMB: round(statSync(db).size / 2 ** 20) }));

  const child = new URL("./export-child.js", import.meta.url).pathname;
  for (const format of ["jsonl", "csv", "json"]) {
    const out = join(dir, `out.${format}`);
    // With the executable's V8 flags: this measures what `gleaner export` runs.
    const r = spawnSync(process.execPath, [...launcherFlags(root), child, "export", "1", "--db", db, "--format", format, "-o", out], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`export ${format} failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    console.log(JSON.stringify({ bench: "export-store", format, items: n, seconds: round(m.seconds), itemsPerSecond: Math.round(n / m.seconds), peakRssMB: round(m.maxRssKB / 1024), outMB: round(statSync(out).size / 2 ** 20) }));
    rmSync(out);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function item(i: number): Record<string, unknown> {
  return {
    text: `“Quote number ${i}: the world as we have created it is a process of our thinking; it cannot be changed without changing our thinking.”`,
    author: ["Albert Einstein", "Jane Austen", "=cmd|' /C calc'!A0", "André Gide"][i % 4],
    tags: ["change", "deep-thoughts", "thinking", "world"].slice(0, 1 + (i % 4)),
    page: 1 + (i % 10),
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
