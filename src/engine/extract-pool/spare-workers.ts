/**
 * Extraction workers started before the spec is read. A worker spends ~100 ms loading its
 * modules; the CLI starts them first thing for `run` and `resume`, so that time overlaps the
 * main thread's own start-up instead of following it. A pool takes a spare (and sends it the
 * spec) before starting a new worker. Spares are unref'd: unused ones never keep the process
 * alive. This module loads nothing but worker_threads, so starting spares costs the CLI nothing.
 */
import { availableParallelism } from "node:os";
import { Worker, type ResourceLimits } from "node:worker_threads";

export const WORKER_URL = new URL("./worker.js", import.meta.url);
/** Default young generation: ~48 MB of RSS per worker; 4 MB: same speed on the 10k-page benchmark. */
const YOUNG_GEN_MB = 4;
export const DEFAULT_WORKER_HEAP_MB = 1024;

/**
 * One worker per core beyond the first, at most 3 — and at least one: on a single core the OS
 * shares it between the threads, and a worker still keeps each page's DOM out of the main
 * thread's heap (the `gleaner` executable gives that thread a 2 MB young generation: parsing
 * there is ~30% slower, measured with `taskset -c 0`) and a hostile page away from the crawl.
 */
export function defaultExtractWorkers(): number {
  return Math.max(1, Math.min(3, availableParallelism() - 1));
}

/** A worker that waits for its WorkerInit (as a message when `init` is null). */
export function newWorker(init: unknown, heapMB: number): Worker {
  // A page's DOM dies young; a small young generation keeps RSS down at no measurable cost.
  const resourceLimits: ResourceLimits = { maxOldGenerationSizeMb: heapMB, maxYoungGenerationSizeMb: YOUNG_GEN_MB };
  return new Worker(WORKER_URL, { workerData: init, resourceLimits, stdout: false, stderr: false });
}

const spares: Worker[] = [];

/** Brings the spares waiting to `n` (a process that runs several crawls never piles them up). */
export function startSpareWorkers(n: number): void {
  for (let i = spares.length; i < n; i++) {
    const w = newWorker(null, DEFAULT_WORKER_HEAP_MB);
    w.unref();
    w.on("error", () => {}); // a spare that fails is dropped; a pool would start its own
    w.once("exit", () => {
      const at = spares.indexOf(w);
      if (at !== -1) spares.splice(at, 1);
    });
    spares.push(w);
  }
}

/** Spares started and not taken yet. */
export function spareWorkers(): number {
  return spares.length;
}

/** A started spare with the default heap, now kept alive by the caller, or null. */
export function takeSpareWorker(heapMB: number): Worker | null {
  if (heapMB !== DEFAULT_WORKER_HEAP_MB) return null;
  const w = spares.shift();
  if (!w) return null;
  w.removeAllListeners();
  w.ref();
  return w;
}

/** The worker count `--extract-workers` asks for in CLI arguments, or the default. */
export function extractWorkersFromArgs(args: string[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = a === "--extract-workers" ? args[i + 1] : a.startsWith("--extract-workers=") ? a.slice(18) : undefined;
    if (v !== undefined) return /^\d+$/.test(v) ? Math.min(Number(v), 16) : 0; // a bad value fails later, with its message
  }
  return defaultExtractWorkers();
}
