/**
 * WebSocket load: a running `gleaner serve` crawls the practice site while N WebSocket clients
 * (default 200) are subscribed to job events. Checks every client received every state event
 * of the job and compares the crawl's pages/s with and without the clients (alternating runs).
 *
 *   npm run build && node dist/bench/ws-load.js [--clients 200] [--pages 3000] [--repeat 2]
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { median } from "./lib/report.js";
import { startSite } from "./lib/site.js";
import { gleanerSpec } from "./lib/tools.js";

const { values } = parseArgs({ options: { clients: { type: "string", default: "200" }, pages: { type: "string", default: "3000" }, repeat: { type: "string", default: "2" } }, strict: true });
const CLIENTS = Number(values.clients);
const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin/gleaner.js");
const dir = mkdtempSync(join(tmpdir(), "gleaner-bench-ws-"));
const db = join(dir, "g.db");
const env = { ...process.env, GLEANER_PASSWORD: "quiet-river-lantern-2026" };

function cli(args: string[]): string {
  const r = spawnSync(bin, args, { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gleaner ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

cli(["users", "add", "bench", "--admin", "--db", db]);
const key = cli(["keys", "create", "--user", "bench", "--db", db]).trim().split("\n").at(-1)!.trim();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server: ChildProcess = spawn(bin, ["serve", "--port", String(port), "--db", db, "--allow-host", "127.0.0.1", "--max-jobs", "100"], { stdio: ["ignore", "ignore", "pipe"] });
const site = await startSite(root, { pages: Number(values.pages), seed: 1, timeoutMs: 120_000 });
const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };

try {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(base + "/api/health").then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const spec = gleanerSpec(root, site.url, 16);
  await runOnce(0, { ...spec, name: "ws-warmup" }); // JIT and caches warm in the server: not counted
  const runs: { clients: number; pagesPerSecond: number; pages: number; allStates: boolean; minProgress: number }[] = [];
  for (let rep = 0; rep < Number(values.repeat); rep++) {
    for (const n of rep % 2 === 0 ? [0, CLIENTS] : [CLIENTS, 0]) runs.push(await runOnce(n, { ...spec, name: `ws-${rep}-${n}` }));
  }
  const base0 = median(runs.filter((r) => r.clients === 0).map((r) => r.pagesPerSecond));
  const loaded = median(runs.filter((r) => r.clients > 0).map((r) => r.pagesPerSecond));
  const result = {
    bench: "ws-load",
    date: new Date().toISOString(),
    clients: CLIENTS,
    pages: Number(values.pages),
    runs,
    medianPagesPerSecondWithout: base0,
    medianPagesPerSecondWith: loaded,
    dropPercent: Math.round((1 - loaded / base0) * 1000) / 10,
    everyClientGotEveryStateEvent: runs.filter((r) => r.clients > 0).every((r) => r.allStates),
    command: `node dist/bench/ws-load.js --clients ${CLIENTS} --pages ${values.pages} --repeat ${values.repeat}`,
  };
  console.log(JSON.stringify(result));
  writeFileSync(join(root, "bench/results/ws-load.json"), JSON.stringify(result, null, 2) + "\n");
  if (!result.everyClientGotEveryStateEvent) process.exitCode = 1;
} finally {
  server.kill("SIGTERM");
  await site.close();
  rmSync(dir, { recursive: true, force: true });
}

async function runOnce(clients: number, spec: Record<string, unknown>) {
  const sockets: WebSocket[] = [];
  const states: string[][] = [];
  const progress: number[] = [];
  let jobId = -1;
  await Promise.all(
    Array.from({ length: clients }, (_, i) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, { headers: { authorization: `Bearer ${key}` } });
        sockets.push(ws);
        states[i] = [];
        progress[i] = 0;
        ws.on("message", (data) => {
          const m = JSON.parse(String(data)) as { type: string; job?: number; state?: string };
          if (m.type === "ready") ws.send(JSON.stringify({ type: "subscribe", topic: "jobs" }));
          if (m.type === "subscribed") resolve();
          if (m.type === "job.state" && (jobId < 0 || m.job === jobId)) states[i]!.push(`${m.job}:${m.state}`);
          if (m.type === "job.progress" && m.job === jobId) progress[i]!++;
        });
        ws.on("error", reject);
        setTimeout(resolve, 2000); // subscribed acks are optional: give it a moment
      }),
    ),
  );
  const res = await fetch(base + "/api/jobs", { method: "POST", headers, body: JSON.stringify({ spec }) });
  const created = (await res.json()) as { job: { id: number } };
  jobId = created.job.id;
  let job: { state: string; stats: { done: number }; startedAt: string | null; finishedAt: string | null };
  for (;;) {
    job = ((await (await fetch(`${base}/api/jobs/${jobId}`, { headers })).json()) as { job: typeof job }).job;
    if (["done", "failed", "cancelled"].includes(job.state)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500)); // the last events in flight
  const seconds = (Date.parse(job.finishedAt ?? new Date().toISOString()) - Date.parse(job.startedAt ?? new Date().toISOString())) / 1000;
  const mine = states.map((s) => s.filter((x) => x.startsWith(`${jobId}:`)));
  const allStates = clients === 0 || mine.every((s) => s.includes(`${jobId}:running`) && s.includes(`${jobId}:done`));
  for (const ws of sockets) ws.terminate();
  return { clients, pages: job.stats.done, pagesPerSecond: Math.round((job.stats.done / seconds) * 10) / 10, allStates, minProgress: clients ? Math.min(...progress) : 0 };
}
