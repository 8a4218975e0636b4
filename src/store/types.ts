/**
 * The Store contract: everything the engine, CLI and server need from persistence.
 * SQLite implements it today; a PostgreSQL store must pass the same contract tests.
 * Crash safety rests on two rules: a page's effects are committed in one transaction
 * (commitPage), and a lease that is never committed returns to the queue.
 */

export type JobState = "queued" | "running" | "paused" | "done" | "failed" | "cancelled";
export type RequestState = "queued" | "leased" | "done" | "failed" | "skipped";

export interface JobRecord {
  id: number;
  name: string;
  spec: unknown;
  state: JobState;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  owner: string | null;
}

export interface JobStats {
  queued: number;
  leased: number;
  done: number;
  failed: number;
  skipped: number;
  items: number;
  errors: number;
  /** Requests ever started (counts toward maxPages). */
  started: number;
}

export interface NewRequest {
  url: string; // canonical
  host: string;
  depth: number;
  priority: number;
  parentId: number | null;
}

export interface LeasedRequest {
  id: number;
  url: string;
  host: string;
  depth: number;
  priority: number;
  failures: number;
}

export interface PageItem {
  type: string;
  json: string; // JSON object text of the fields
}

export interface PageCommit {
  requestId: number;
  status: number;
  finalUrl: string;
  contentType: string;
  bytes: number;
  elapsedMs: number;
  fetcher: string;
  items: PageItem[];
  /** Canonical, in-scope, not yet known to this process; the store deduplicates atomically. */
  discovered: NewRequest[];
  /** New URLs that will not be fetched (traps), recorded as skipped with the reason. */
  skipped?: { request: NewRequest; reason: string }[];
  /** Field names seen for the first time by this process: (type, name). */
  newFields: [string, string][];
  /**
   * Canonical final URL when redirects led elsewhere. The store records it as fetched; if it
   * was already known, this page is a duplicate: its items and links are dropped.
   */
  aliasUrl?: { url: string; host: string; depth: number };
  /** A page-level problem worth recording without failing the page (e.g. parse error). */
  warning?: { code: string; message: string };
}

export type CommitResult = "committed" | "duplicate" | "lost";

export interface RequestFailure {
  requestId: number;
  code: string;
  message: string;
  status?: number;
  /** ms epoch when to retry; null = final failure. */
  retryAt: number | null;
}

export interface ExportRow {
  type: string;
  url: string;
  json: string;
}

export interface ItemRow extends ExportRow {
  id: number;
  requestId: number;
}

export interface RequestRow {
  id: number;
  url: string;
  state: RequestState;
  depth: number;
  status: number | null;
  error: string | null;
  errorCode: string | null;
  fetcher: string | null;
}

export interface ErrorRow {
  id: number;
  requestId: number | null;
  url: string | null;
  code: string;
  message: string;
  at: number;
}

export interface LeaseOptions {
  limit: number;
  now: number;
  leaseMs: number;
  owner: string;
  /** Requests that may ever start in this job (maxPages). */
  maxStarted: number;
  /** Requests that may ever start per host (maxPagesPerHost); the rest of a full host is skipped. */
  maxStartedPerHost?: number;
  /** Hosts to leave alone in this call (their local queues are full). */
  skipHosts?: string[];
}

export interface Store {
  readonly kind: string;
  createJob(name: string, spec: unknown): JobRecord;
  getJob(id: number): JobRecord | null;
  listJobs(limit?: number): (JobRecord & { stats: JobStats })[];
  /** The most recent job of that name that has not finished (running, paused, queued). */
  findUnfinishedJob(name: string): JobRecord | null;
  /** Take ownership of a job for this process; false if a live owner holds it. */
  claimJob(id: number, owner: string, isOwnerAlive: (owner: string) => boolean): boolean;
  setJobState(id: number, state: JobState, error?: string | null): void;

  /** Insert requests not yet known (dedup by canonical URL, atomically); returns how many were new. */
  enqueue(jobId: number, requests: NewRequest[]): number;
  /** Record URLs that will not be fetched (robots, traps) with the reason; deduplicated too. */
  skip(jobId: number, requests: NewRequest[], reason: string): number;
  /**
   * Lease up to `limit` due requests in priority/breadth-first order, never letting the
   * number of started requests pass `maxStarted`. Hosts in `skipHosts` are left alone.
   */
  lease(jobId: number, opts: LeaseOptions): LeasedRequest[];
  /** All effects of one fetched page, in one transaction. "lost" if the lease was lost. */
  commitPage(jobId: number, owner: string, page: PageCommit): CommitResult;
  /**
   * Several pages in one transaction (group commit): all of them or none, so each page is still
   * atomic. If it throws, nothing was written; commit the pages one by one to isolate the bad one.
   */
  commitPages(jobId: number, owner: string, pages: PageCommit[]): CommitResult[];
  /** A leased request that will not be fetched after all (robots.txt): skipped with the reason, and it no longer counts toward maxPages. */
  skipLeased(jobId: number, owner: string, requestId: number, reason: string): boolean;
  /** A leased request back to the queue, due now, without counting a failure (its fetched page was lost before extraction). False if the lease was lost. */
  requeueLeased(jobId: number, owner: string, requestId: number): boolean;
  /** A failed attempt: retried at retryAt, or final. Returns false if the lease was lost. */
  failRequest(jobId: number, owner: string, failure: RequestFailure): boolean;
  /** Return leases to the queue: expired ones, or all of a job's (when taking over a dead run). */
  releaseLeases(jobId: number, opts: { expiredBefore?: number }): number;
  /** Earliest next_at among queued requests (only those already started, if asked), or null. */
  nextDueAt(jobId: number, opts?: { startedOnly?: boolean }): number | null;
  recordError(jobId: number, e: { requestId?: number | null; url?: string | null; code: string; message: string }): void;

  stats(jobId: number): JobStats;
  itemFields(jobId: number, type?: string): string[];
  itemTypes(jobId: number): string[];
  iterateItems(jobId: number, opts?: { type?: string }): IterableIterator<ExportRow>;
  listItems(jobId: number, opts: { type?: string; after?: number; limit: number }): ItemRow[];
  listRequests(jobId: number, opts: { state?: RequestState; after?: number; limit: number }): RequestRow[];
  listErrors(jobId: number, opts: { after?: number; limit: number }): ErrorRow[];
  deleteJob(id: number): void;
  /**
   * Hands the store's routine upkeep (SQLite: WAL checkpoints) to another thread for a while:
   * returns what that thread needs and a release that takes it back, or null when the store
   * has no such upkeep or it cannot be done from elsewhere (an in-memory database).
   */
  offloadCheckpoints?(): CheckpointOffload | null;
  close(): void;
}

/** See Store.offloadCheckpoints: the database file a checkpointing thread opens, and how to take the work back. */
export interface CheckpointOffload {
  file: string;
  /** Idempotent. The store checkpoints by itself again once every offload is released. */
  release(): void;
}
