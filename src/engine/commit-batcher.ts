/**
 * Group commit: pages that finish in the same turn of the event loop are committed in one
 * transaction (each page still all-or-nothing, since the batch is). A batch that fails is
 * retried page by page, so one bad page cannot sink the others.
 */
import type { CommitResult, PageCommit, Store } from "../store/index.js";

interface Pending {
  page: PageCommit;
  resolve: (r: CommitResult) => void;
  reject: (err: unknown) => void;
}

export class CommitBatcher {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store,
    private readonly jobId: number,
    private readonly owner: string,
    private readonly maxBatch = 64,
  ) {}

  commit(page: PageCommit): Promise<CommitResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ page, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let results: CommitResult[] | null = null;
    try {
      results = batch.length === 1 ? [this.store.commitPage(this.jobId, this.owner, batch[0]!.page)] : this.store.commitPages(this.jobId, this.owner, batch.map((b) => b.page));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
    }
    if (results) return batch.forEach((b, i) => b.resolve(results[i]!));
    for (const b of batch) {
      try {
        b.resolve(this.store.commitPage(this.jobId, this.owner, b.page));
      } catch (err) {
        b.reject(err);
      }
    }
  }
}
