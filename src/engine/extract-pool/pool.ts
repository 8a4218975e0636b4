/**
 * A small pool of extraction worker threads. Each page goes to the worker with the fewest
 * pages outstanding; replies come back in order per worker. The pool keeps no copy of a page's
 * text once it is posted: on a busy crawl dozens of pages wait in a worker's queue, and text
 * kept here meanwhile would outlive the main thread's young-generation GCs and be promoted,
 * to die in the old space (more GC work, a bigger heap). So a worker that dies (a hostile page
 * that exhausts its heap, a runaway regex) fails the page it was working on, and the pages
 * queued behind it are handed back with GLEANER_ERR_EXTRACT_LOST: the crawl fetches them
 * again. A pool whose workers keep dying without finishing a page gives up with an error
 * instead of respawning forever.
 */
import type { Worker } from "node:worker_threads";
import { ExtractError } from "../../extract/index.js";
import { GleanerError } from "../../shared/errors.js";
import type { Logger } from "../../shared/log.js";
import type { PreparedExtract } from "./prepare.js";
import type { WorkerInit, WorkerInitMessage, WorkerMaintenance, WorkerReply, WorkerTask } from "./protocol.js";
import { DEFAULT_WORKER_HEAP_MB, newWorker, takeSpareWorker } from "./spare-workers.js";

export interface ExtractPoolOptions {
  workers: number;
  init: WorkerInit;
  /** Heap cap of each worker: a page that needs more fails alone (default 1024 MB). */
  maxHeapMB?: number;
  /** A page still being extracted after this long (a runaway regex) fails, and its worker is replaced (default 30 s). */
  pageTimeoutMs?: number;
  log?: Logger;
}

interface Task {
  id: number;
  url: string;
  resolve: (r: PreparedExtract) => void;
  reject: (e: Error) => void;
}

interface Maintenance {
  slot: Slot;
  resolve: (result: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Sent, not answered yet, oldest first: the head is the page the worker is on. */
  queue: Task[];
  retired: boolean;
  /** The worker loaded and compiled the spec: a death after that is a page's fault. */
  ready: boolean;
  /** When the head of the queue was handed to the worker (approximately: when it became the head). */
  headSince: number;
  /** Why the pool ended this worker, if it did. */
  killedFor: string;
}

/** Deaths in a row without a single reply before the pool gives up. */
const MAX_BARREN_DEATHS = 3;

/** Code of the error for a page whose text the pool no longer has (its worker died before reaching it, or the pool closed): fetch it again. */
export const EXTRACT_LOST = "GLEANER_ERR_EXTRACT_LOST";

const lost = (url: string, why: string): GleanerError =>
  new GleanerError(EXTRACT_LOST, `${url} was waiting for extraction when ${why}; it must be fetched again`, { action: "retry", context: { url } });

export class ExtractPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private barrenDeaths = 0;
  private everReady = false;
  private broken: GleanerError | null = null;
  private closed = false;
  private readonly watchdog: NodeJS.Timeout;
  private nextMaintenance = 1;
  private readonly maintenance = new Map<number, Maintenance>();

  constructor(private readonly o: ExtractPoolOptions) {
    for (let i = 0; i < Math.max(1, o.workers); i++) this.slots.push(this.spawn());
    const limit = o.pageTimeoutMs ?? 30_000;
    this.watchdog = setInterval(() => {
      const now = performance.now();
      for (const s of this.slots) {
        if (s.ready && !s.retired && !s.killedFor && s.queue.length > 0 && now - s.headSince > limit) {
          s.killedFor = `still extracting after ${+(limit / 1000).toFixed(1)} s`;
          void s.worker.terminate();
        }
      }
    }, Math.min(1000, limit / 2));
    this.watchdog.unref();
  }

  get size(): number {
    return this.slots.length;
  }

  /**
   * A worker has loaded and compiled the spec at least once (a pool whose workers cannot start
   * never has). Sticky: while a worker that died is being replaced, pages wait for the
   * replacement, so a page that kills workers never runs on the caller's thread.
   */
  get started(): boolean {
    return this.everReady && !this.broken && !this.closed;
  }

  private get heapMB(): number {
    return this.o.maxHeapMB ?? DEFAULT_WORKER_HEAP_MB;
  }

  /**
   * Longer pages are better extracted by the caller: a string that alone fills much of a
   * worker's heap cannot even be received there (V8 aborts the process, not the worker).
   */
  get maxPageChars(): number {
    return (this.heapMB * 1024 * 1024) / 16;
  }

  /**
   * Extract one page in a worker. `linkDepth` is the depth its links would get; with
   * `newLinksOnly`, links this worker reported before are left out. Rejects with ExtractError
   * if that page cannot be extracted; with GLEANER_ERR_EXTRACT_POOL (synchronously, before
   * taking the text) if the pool cannot work; with EXTRACT_LOST if the text was lost.
   * `utf8Bytes`: `html` is the page's UTF-8 bytes one per char (src/shared/utf8-bytes.ts).
   */
  extract(html: string, url: string, linkDepth: number, newLinksOnly = true, utf8Bytes = false): Promise<PreparedExtract> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closed) return Promise.reject(new GleanerError("GLEANER_ERR_EXTRACT_POOL", "the extraction pool is closed"));
    return new Promise((resolve, reject) => {
      const task: Task = { id: this.nextId++, url, resolve, reject };
      let best = this.slots[0]!;
      for (const s of this.slots) if (s.queue.length < best.queue.length) best = s;
      if (best.queue.length === 0) best.headSince = performance.now();
      best.queue.push(task);
      best.worker.postMessage({ id: task.id, html, utf8Bytes, url, linkDepth, newLinksOnly } satisfies WorkerTask);
    });
  }

  /**
   * Runs upkeep (see WorkerMaintenance) in the worker with the fewest pages waiting, between
   * two of its pages. Resolves with the worker's result; rejects if it failed there, or its
   * worker ended first, or the pool cannot work.
   */
  maintain(task: Omit<WorkerMaintenance, "maintenance">): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closed) return Promise.reject(new GleanerError("GLEANER_ERR_EXTRACT_POOL", "the extraction pool is closed"));
    return new Promise((resolve, reject) => {
      let best = this.slots[0]!;
      for (const s of this.slots) if (s.queue.length < best.queue.length) best = s;
      const id = this.nextMaintenance++;
      this.maintenance.set(id, { slot: best, resolve, reject });
      best.worker.postMessage({ ...task, maintenance: id } satisfies WorkerMaintenance);
    });
  }

  /** Upkeep sent to `slot` (all of it when null) fails: its worker is gone. */
  private dropMaintenance(slot: Slot | null, why: string): void {
    for (const [id, m] of this.maintenance) {
      if (slot !== null && m.slot !== slot) continue;
      this.maintenance.delete(id);
      m.reject(new GleanerError("GLEANER_ERR_EXTRACT_POOL", `upkeep not done: ${why}`));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    this.dropMaintenance(null, "the extraction pool closed");
    const stopping = this.slots.map((s) => {
      s.retired = true;
      for (const t of s.queue.splice(0)) t.reject(lost(t.url, "the extraction pool closed"));
      return s.worker.terminate();
    });
    await Promise.all(stopping);
  }

  /**
   * Workers cannot run here: the pages waiting on them are handed back to be fetched again,
   * and every later page is refused (the caller extracts it on its own thread).
   */
  private breakDown(reason: string): void {
    this.broken = new GleanerError("GLEANER_ERR_EXTRACT_POOL", reason, { action: "stop" });
    this.o.log?.warn("extract.pool-broken", { reason, fallback: "extracting on the main thread" });
    for (const s of this.slots) for (const t of s.queue.splice(0)) t.reject(lost(t.url, `the extraction workers stopped (${reason})`));
    this.dropMaintenance(null, reason);
    void this.close();
  }

  private spawn(): Slot {
    let worker = takeSpareWorker(this.heapMB);
    if (worker) worker.postMessage({ init: this.o.init } satisfies WorkerInitMessage);
    else worker = newWorker(this.o.init, this.heapMB);
    const slot: Slot = { worker, queue: [], retired: false, ready: false, headSince: 0, killedFor: "" };
    worker.on("message", (reply: WorkerReply) => this.onReply(slot, reply));
    let why = "";
    worker.on("error", (err) => void (why = err.message));
    worker.on("exit", (code) => this.onExit(slot, slot.killedFor || why || `exit code ${code}`));
    return slot;
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    if ("maintenance" in reply) {
      const m = this.maintenance.get(reply.maintenance);
      if (!m) return;
      this.maintenance.delete(reply.maintenance);
      if (reply.ok) m.resolve(reply.result);
      else m.reject(new GleanerError("GLEANER_ERR_EXTRACT_POOL", `upkeep failed in an extraction worker: ${reply.message}`));
      return;
    }
    if ("ready" in reply) {
      slot.ready = true;
      this.everReady = true;
      slot.headSince = performance.now(); // compiling the spec is not the first page's time
      return;
    }
    const task = slot.queue.shift();
    slot.headSince = performance.now();
    if (!task || task.id !== reply.id) return; // cannot happen: one worker answers in order
    this.barrenDeaths = 0;
    if (reply.ok) task.resolve(reply.result);
    else task.reject(new ExtractError(`extraction failed on ${task.url}: ${reply.message}`, { context: { url: task.url, code: reply.code } }));
  }

  private onExit(slot: Slot, why: string): void {
    if (slot.retired || this.closed) return;
    slot.retired = true;
    this.dropMaintenance(slot, `its extraction worker ended (${why})`);
    if (!slot.ready) return this.breakDown(`an extraction worker could not start: ${why}`);
    const [culprit, ...rest] = slot.queue.splice(0);
    culprit?.reject(new ExtractError(`extraction failed on ${culprit.url}: the extraction worker died (${why})`, { context: { url: culprit.url } }));
    this.o.log?.warn("extract.worker-died", { reason: why, page: culprit?.url ?? null, handedBack: rest.length });
    for (const t of rest) t.reject(lost(t.url, `the extraction worker died on ${culprit?.url ?? "another page"}`));
    if (++this.barrenDeaths > MAX_BARREN_DEATHS) return this.breakDown(`extraction workers keep dying without finishing a page (last: ${why})`);
    this.slots[this.slots.indexOf(slot)] = this.spawn();
  }
}
