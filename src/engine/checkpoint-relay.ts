/**
 * Hands the store's WAL checkpoints to an extraction worker while a crawl runs (see
 * SqliteStore.offloadCheckpoints). On the main thread a checkpoint stalls every connection's
 * replies while it copies pages and waits for two fsyncs (1.7 ms each at the median here, up to
 * 14); in the worker it waits between two pages, which the crawl has queued anyway. One at a
 * time, about every TARGET_FRAMES frames of WAL: the pages between two requests follow from the
 * frames the last checkpoint found (a page with many items writes more). If one fails, the store
 * takes its checkpoints back; while one is late, the store's backstop threshold bounds the WAL.
 */
import { errorMessage } from "../shared/errors.js";
import type { Logger } from "../shared/log.js";
import type { CheckpointOffload, Store } from "../store/index.js";
import type { WalCheckpointResult } from "../store/sqlite/wal-checkpoint.js";
import type { ExtractPool } from "./extract-pool/index.js";

/** ~8 MB of WAL per checkpoint: fewer fsyncs than SQLite's 1,000 frames, still a short copy. */
const TARGET_FRAMES = 2000;
const FIRST_AFTER_PAGES = 512;
const MIN_PAGES = 32;
const MAX_PAGES = 8192;

export class CheckpointRelay {
  private sinceLast = 0;
  private pending = false;
  private done = 0;
  private failed = 0;
  private offload: CheckpointOffload | null;

  private everyPages = FIRST_AFTER_PAGES;

  private constructor(offload: CheckpointOffload, private readonly pool: ExtractPool, private readonly log: Logger) {
    this.offload = offload;
  }

  /** A relay for this store and pool, or null when the store keeps its checkpoints (no offload, no pool). */
  static start(store: Store, pool: ExtractPool | null, log: Logger): CheckpointRelay | null {
    if (!pool) return null;
    const offload = store.offloadCheckpoints?.() ?? null;
    return offload ? new CheckpointRelay(offload, pool, log) : null;
  }

  /** Pages just committed; asks for a checkpoint when enough have been and none is running. */
  committed(pages: number): void {
    this.sinceLast += pages;
    if (this.pending || this.offload === null || this.sinceLast < this.everyPages) return;
    const asked = this.sinceLast;
    this.sinceLast = 0;
    this.pending = true;
    const file = this.offload.file;
    this.pool.maintain({ kind: "wal-checkpoint", file }).then(
      (result) => {
        this.pending = false;
        this.done++;
        // The WAL started over after the previous checkpoint: its frames are about these pages'.
        const frames = (result as WalCheckpointResult).walFrames;
        if (frames > 0) this.everyPages = Math.min(MAX_PAGES, Math.max(MIN_PAGES, Math.round((TARGET_FRAMES * asked) / frames)));
      },
      (err: unknown) => {
        this.pending = false;
        if (this.offload === null) return; // the crawl ended first and closed the pool under it
        // Whatever the cause (the worker died on a page, the file cannot be opened from there),
        // the store takes its checkpoints back: one warning, not one per interval.
        this.failed++;
        this.log.warn("store.checkpoint-failed", { file, error: errorMessage(err), fallback: "the store checkpoints by itself for the rest of the crawl" });
        this.end();
      },
    );
  }

  /** Gives the checkpoints back to the store (idempotent); what is left in the WAL is copied at its next threshold or close. */
  end(): void {
    if (this.offload === null) return;
    this.offload.release();
    this.offload = null;
    this.log.info("store.checkpoints", { offloaded: this.done, failed: this.failed });
  }

  /** Checkpoints done in the worker so far. */
  get checkpoints(): number {
    return this.done;
  }

  /** Pages committed between two checkpoint requests now. */
  get interval(): number {
    return this.everyPages;
  }
}
