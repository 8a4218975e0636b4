/**
 * Group commit: pages that finish close together are committed in one transaction (each page
 * still all-or-nothing, since the batch is). A transaction has a fixed cost (~0.15 ms of WAL
 * writes for the job row and index pages) on top of each page's, so while the crawler has
 * plenty of work queued a batch may wait a few milliseconds for more pages; when the crawler
 * runs short of requests (the new links are in the batch) it commits at once. A batch that
 * fails is retried page by page, so one bad page cannot sink the others.
 */
import type { CommitResult, PageCommit, Store } from "../store/index.js";

interface Pending {
  page: PageCommit;
  resolve: (r: CommitResult) => void;
  reject: (err: unknown) => void;
}

export interface CommitBatcherOptions {
  /** Commit as soon as this many pages wait (default 64). */
  maxBatch?: number;
  /** How long a new batch may wait for more pages, asked when it starts and as pages join (default 0: the next turn of the event loop). */
  holdMs?: () => number;
  /** Called with the number of pages after each batch committed. */
  onCommitted?: (pages: number) => void;
}

export class CommitBatcher {
  private pending: Pending[] = [];
  private scheduled: "none" | "immediate" | "timer" = "none";
  private timer: NodeJS.Timeout | null = null;
  private readonly maxBatch: number;
  private readonly holdMs: () => number;
  private readonly onCommitted: (pages: number) => void;

  constructor(
    private readonly store: Store,
    private readonly jobId: number,
    private readonly owner: string,
    opts: CommitBatcherOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 64;
    this.holdMs = opts.holdMs ?? (() => 0);
    this.onCommitted = opts.onCommitted ?? (() => {});
  }

  commit(page: PageCommit): Promise<CommitResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ page, resolve, reject });
      if (this.pending.length >= this.maxBatch) return this.flush();
      if (this.scheduled === "immediate") return;
      const hold = this.holdMs();
      if (this.scheduled === "timer") {
        if (hold > 0) return;
        clearTimeout(this.timer!); // the crawler ran short of work: commit now
      }
      if (hold > 0) {
        this.scheduled = "timer";
        this.timer = setTimeout(() => this.flush(), hold);
      } else {
        this.scheduled = "immediate";
        setImmediate(() => this.flush());
      }
    });
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.scheduled = "none";
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let results: CommitResult[] | null = null;
    try {
      results = batch.length === 1 ? [this.store.commitPage(this.jobId, this.owner, batch[0]!.page)] : this.store.commitPages(this.jobId, this.owner, batch.map((b) => b.page));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
    }
    if (results) {
      batch.forEach((b, i) => b.resolve(results[i]!));
      return this.onCommitted(batch.length);
    }
    let committed = 0;
    for (const b of batch) {
      try {
        b.resolve(this.store.commitPage(this.jobId, this.owner, b.page));
        committed++;
      } catch (err) {
        b.reject(err);
      }
    }
    if (committed > 0) this.onCommitted(committed);
  }
}
