/**
 * Frontier at scale: 1,000,000 queued URLs in gleaner's SQLite store, then drained the way the
 * engine drains it (lease batches, one commitPage per request, no items, no new links).
 *
 *   npm run build && node dist/bench/frontier.js [--urls 1000000] [--hosts 1000] [--lease 100]
 *       [--lease-ms 60000] [--out bench/results/frontier.json] [--keep]
 *
 * Reports the enqueue rate (batches of 10,000 canonical URLs), the median lease() latency over
 * the first 10% and the last 10% of lease calls (flat = the queue's size and the done rows do
 * not slow leasing down), the commit rate, and the process's peak RSS. Target: <= 300 MB RSS
 * and flat lease latency. Writes one JSON line to stdout and the same object to --out.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SqliteStore, type NewRequest, type PageCommit } from "../src/store/index.js";
import { median } from "./lib/report.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const { values } = parseArgs({
  options: {
    urls: { type: "string", default: "1000000" },
    hosts: { type: "string", default: "1000" },
    batch: { type: "string", default: "10000" },
    lease: { type: "string", default: "100" },
    "lease-ms": { type: "string", default: "60000" },
    out: { type: "string", default: join(ROOT, "bench/results/frontier.json") },
    keep: { type: "boolean", default: false },
  },
  strict: true,
});
const total = Number(values.urls);
const hosts = Number(values.hosts);
const batch = Number(values.batch);
const leaseLimit = Number(values.lease);
const leaseMs = Number(values["lease-ms"]);
for (const [k, v] of Object.entries({ urls: total, hosts, batch, lease: leaseLimit, "lease-ms": leaseMs })) {
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`frontier: --${k} must be a positive integer\n`);
    process.exit(2);
  }
}

const rssMB = (): number => process.memoryUsage.rss() / 2 ** 20;
const log = (s: string): void => void process.stderr.write(`frontier: ${s}\n`);
const dir = mkdtempSync(join(tmpdir(), "gleaner-bench-frontier-"));
const dbFile = join(dir, "frontier.db");

try {
  const store = new SqliteStore(dbFile);
  const job = store.createJob("frontier-bench", { name: "frontier-bench" }).id;

  // 1. Enqueue: canonical URLs spread over `hosts` hosts, in batches (one transaction each).
  const enqueueMs: number[] = [];
  const t0 = performance.now();
  for (let start = 0; start < total; start += batch) {
    const reqs: NewRequest[] = [];
    for (let i = start; i < Math.min(total, start + batch); i++) {
      const host = `h${i % hosts}.example.com`;
      reqs.push({ url: `https://${host}/catalog/item-${i}?page=${i % 50}&sort=asc`, host, depth: 1, priority: 0, parentId: null });
    }
    const t = performance.now();
    const added = store.enqueue(job, reqs);
    enqueueMs.push(performance.now() - t);
    if (added !== reqs.length) throw new Error(`enqueue added ${added} of ${reqs.length}`);
  }
  const enqueueS = (performance.now() - t0) / 1000;
  const rssAfterEnqueue = rssMB();
  log(`enqueued ${total} in ${enqueueS.toFixed(1)} s (${Math.round(total / enqueueS)}/s), RSS ${rssAfterEnqueue.toFixed(0)} MB`);

  // 2. Drain: lease a batch, commit each request as a fetched page without items or links.
  const leaseLat: number[] = [];
  const commitLat: number[] = [];
  let committed = 0;
  const t1 = performance.now();
  for (;;) {
    const t = performance.now();
    const leased = store.lease(job, { limit: leaseLimit, now: Date.now(), leaseMs, owner: "bench", maxStarted: total });
    leaseLat.push(performance.now() - t);
    if (leased.length === 0) break;
    for (const r of leased) {
      const page: PageCommit = {
        requestId: r.id, status: 200, finalUrl: r.url, contentType: "text/html", bytes: 12_000, elapsedMs: 5,
        fetcher: "http", items: [], discovered: [], newFields: [],
      };
      const c = performance.now();
      if (store.commitPage(job, "bench", page) !== "committed") throw new Error(`commit of request ${r.id} was not committed`);
      commitLat.push(performance.now() - c);
      committed++;
    }
    if (leaseLat.length % 1000 === 0) log(`${committed} committed, RSS ${rssMB().toFixed(0)} MB`);
  }
  const drainS = (performance.now() - t1) / 1000;
  const stats = store.stats(job);
  store.close();
  if (committed !== total || stats.done !== total) throw new Error(`drained ${committed}, done ${stats.done}, expected ${total}`);

  const calls = leaseLat.slice(0, -1); // the last call found the queue empty
  const tenth = Math.max(1, Math.floor(calls.length / 10));
  const first = median(calls.slice(0, tenth));
  const last = median(calls.slice(-tenth));
  const walSize = (() => {
    try {
      return statSync(`${dbFile}-wal`).size;
    } catch {
      return 0;
    }
  })();
  const result = {
    date: new Date().toISOString(),
    command: `node dist/bench/frontier.js ${process.argv.slice(2).join(" ")}`.trim(),
    node: process.version,
    urls: total,
    hosts,
    enqueueBatch: batch,
    leaseBatch: leaseLimit,
    enqueue: { seconds: enqueueS, perSecond: total / enqueueS, medianBatchMs: median(enqueueMs) },
    lease: {
      calls: calls.length,
      medianMsFirst10pct: first,
      medianMsLast10pct: last,
      lastOverFirst: last / first,
      p99Ms: [...calls].sort((a, b) => a - b)[Math.floor(calls.length * 0.99)] ?? null,
    },
    commit: { perSecond: committed / drainS, medianMs: median(commitLat) },
    drainSeconds: drainS,
    rssMB: { afterEnqueue: rssAfterEnqueue, end: rssMB(), peak: process.resourceUsage().maxRSS / 1024 },
    dbMB: (statSync(dbFile).size + walSize) / 2 ** 20,
  };
  const out = resolve(values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
  process.stdout.write(JSON.stringify(result) + "\n");
} finally {
  if (values.keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
