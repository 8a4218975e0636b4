/**
 * SQLite store (better-sqlite3, WAL). Every statement is prepared once; each page's effects
 * (request state, items, discovered requests, counters) commit in a single transaction.
 */
import { resolve } from "node:path";
import Database from "better-sqlite3";
import { GleanerError } from "../../shared/errors.js";
import type {
  CheckpointOffload, CommitResult, ErrorRow, ExportRow, ItemRow, JobRecord, JobState, JobStats, LeasedRequest, LeaseOptions, NewRequest,
  PageCommit, RequestFailure, RequestRow, RequestState, Store,
} from "../types.js";
import { migrate } from "./migrations.js";

type Statement = Database.Statement;

/**
 * An INSERT of up to `maxRows` rows per statement (statements built on first use per row
 * count): one statement per page's items or links instead of one per row.
 */
class MultiInsert {
  private readonly byRows: (Statement | undefined)[] = [];
  constructor(private readonly db: Database.Database, private readonly head: string, private readonly cols: number, private readonly maxRows = 32) {}

  /** `params`: `rows` × `cols` values, row after row. Returns the rows inserted. */
  run(params: unknown[], rows: number): number {
    let changes = 0;
    for (let at = 0; at < rows; at += this.maxRows) {
      const n = Math.min(this.maxRows, rows - at);
      const stmt = (this.byRows[n] ??= this.db.prepare(`${this.head} VALUES ${Array(n).fill(`(${Array(this.cols).fill("?").join(", ")})`).join(", ")}`));
      const slice = n === rows ? params : params.slice(at * this.cols, (at + n) * this.cols);
      changes += stmt.run(slice).changes;
    }
    return changes;
  }
}

/** Counter changes of the pages in one commit transaction. */
interface Counts {
  queued: number;
  done: number;
  skipped: number;
  items: number;
  errors: number;
}
const newCounts = (): Counts => ({ queued: 0, done: 0, skipped: 0, items: 0, errors: 0 });

type Row = Record<string, unknown>;

/** SQLite's default: a commit that leaves the WAL past this many frames checkpoints it. */
const AUTOCHECKPOINT_FRAMES = 1000;
/**
 * While another thread checkpoints, the writer's own threshold: a backstop (~40 MB of WAL) for
 * when that thread falls behind or dies, never reached while it keeps up.
 */
const OFFLOADED_AUTOCHECKPOINT_FRAMES = 10_000;

export class SqliteStore implements Store {
  readonly kind = "sqlite";
  readonly db: Database.Database;
  private readonly s;
  // Transaction wrappers made once: better-sqlite3 builds a new wrapper on every db.transaction() call.
  private readonly commitOne: (jobId: number, owner: string, p: PageCommit) => CommitResult;
  private readonly itemRows: MultiInsert;
  /** New requests; a URL already known (job_id, url) is left alone. */
  private readonly requestRows: MultiInsert;
  private readonly commitMany: (jobId: number, owner: string, pages: PageCommit[]) => CommitResult[];

  /** Page cache size fixed by the caller, or null: it follows the database's size (see `sizeCache`). */
  private readonly fixedCacheMB: number | null;
  private cacheMB = 0;
  private writesSinceSizing = 0;
  /** Checkpoint offloads not released yet (see offloadCheckpoints). */
  private offloads = 0;

  /**
   * `cacheMB`: SQLite page cache. By default it follows the database: an eighth of the file,
   * between 2 and 16 MB. Measured: a 10,000-page crawl (a 16 MB file) runs as fast with 2 MB as
   * with 16, and each MB is a MB of RSS; enqueueing into a 1M-URL frontier (a 311 MB file) is 8%
   * slower with 8 MB than with 16, 24% slower with 4 (the OS caches the file too).
   */
  constructor(readonly file: string, opts: { cacheMB?: number } = {}) {
    try {
      this.db = new Database(file);
    } catch (cause) {
      throw new GleanerError("GLEANER_ERR_STORE_OPEN", `cannot open database ${file}: ${(cause as Error).message}; check the path and permissions (--db)`, { cause, context: { file } });
    }
    this.db.pragma("journal_mode = WAL");
    // NORMAL in WAL mode: commits survive a process crash (SIGKILL); only an OS crash can lose the last ones.
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 10000");
    // A multi-row INSERT inside a transaction keeps a statement journal, which SQLite spills to a
    // temp file past 64 KB: ~8,000 small writes per 10,000 pages, on the main thread. In memory it
    // is a few pages; no query here sorts or builds temp tables beyond that (every ORDER BY has its index).
    this.db.pragma("temp_store = MEMORY");
    migrate(this.db);
    this.fixedCacheMB = opts.cacheMB ?? null;
    this.sizeCache();
    const db = this.db;
    this.s = {
      insertJob: db.prepare("INSERT INTO jobs (name, spec, state, created_at) VALUES (?, ?, 'queued', ?)"),
      getJob: db.prepare("SELECT * FROM jobs WHERE id = ?"),
      listJobs: db.prepare("SELECT * FROM jobs ORDER BY id DESC LIMIT ?"),
      unfinished: db.prepare("SELECT * FROM jobs WHERE name = ? AND state IN ('running','paused','queued') ORDER BY id DESC LIMIT 1"),
      setOwner: db.prepare("UPDATE jobs SET owner = ? WHERE id = ?"),
      setState: db.prepare(
        "UPDATE jobs SET state = ?, error = ?, started_at = COALESCE(started_at, CASE WHEN ? = 'running' THEN ? END), finished_at = CASE WHEN ? IN ('done','failed','cancelled') THEN ? ELSE NULL END WHERE id = ?",
      ),
      skip: db.prepare("INSERT OR IGNORE INTO requests (job_id, url, host, depth, priority, parent_id, state, error) VALUES (?, ?, ?, ?, ?, ?, 'skipped', ?)"),
      jobCounters: db.prepare("SELECT n_started FROM jobs WHERE id = ?"),
      dueAny: db.prepare(
        "SELECT id, url, host, depth, priority, failures, started FROM requests WHERE job_id = ? AND state = 'queued' AND next_at <= ? AND host NOT IN (SELECT value FROM json_each(?)) ORDER BY priority DESC, depth, id LIMIT ?",
      ),
      dueStarted: db.prepare(
        "SELECT id, url, host, depth, priority, failures, started FROM requests WHERE job_id = ? AND state = 'queued' AND started = 1 AND next_at <= ? AND host NOT IN (SELECT value FROM json_each(?)) ORDER BY priority DESC, depth, id LIMIT ?",
      ),
      leaseOne: db.prepare("UPDATE requests SET state = 'leased', lease_until = ?, lease_owner = ?, started = 1 WHERE id = ?"),
      addCounters: db.prepare(
        "UPDATE jobs SET n_queued = n_queued + ?, n_done = n_done + ?, n_failed = n_failed + ?, n_skipped = n_skipped + ?, n_items = n_items + ?, n_errors = n_errors + ?, n_started = n_started + ? WHERE id = ?",
      ),
      done: db.prepare(
        "UPDATE requests SET state = 'done', status = ?, final_url = ?, content_type = ?, bytes = ?, elapsed_ms = ?, fetcher = ?, fetched_at = ?, lease_until = NULL, lease_owner = NULL WHERE id = ? AND state = 'leased' AND lease_owner = ?",
      ),
      retry: db.prepare(
        "UPDATE requests SET state = 'queued', failures = failures + 1, next_at = ?, status = ?, error_code = ?, error = ?, lease_until = NULL, lease_owner = NULL WHERE id = ? AND state = 'leased' AND lease_owner = ?",
      ),
      requeue: db.prepare("UPDATE requests SET state = 'queued', next_at = ?, lease_until = NULL, lease_owner = NULL WHERE id = ? AND state = 'leased' AND lease_owner = ?"),
      fail: db.prepare(
        "UPDATE requests SET state = 'failed', failures = failures + 1, status = ?, error_code = ?, error = ?, fetched_at = ?, lease_until = NULL, lease_owner = NULL WHERE id = ? AND state = 'leased' AND lease_owner = ?",
      ),
      skipLeased: db.prepare(
        "UPDATE requests SET state = 'skipped', started = 0, error = ?, lease_until = NULL, lease_owner = NULL WHERE id = ? AND state = 'leased' AND lease_owner = ?",
      ),
      hostUnstart: db.prepare("UPDATE hosts SET started = started - 1 WHERE job_id = ? AND host = (SELECT host FROM requests WHERE id = ?) AND started > 0"),
      hostStarted: db.prepare("SELECT started FROM hosts WHERE job_id = ? AND host = ?"),
      addHostStarted: db.prepare("INSERT INTO hosts (job_id, host, started) VALUES (?, ?, ?) ON CONFLICT (job_id, host) DO UPDATE SET started = started + excluded.started"),
      skipQueued: db.prepare("UPDATE requests SET state = 'skipped', error = ? WHERE id = ? AND state = 'queued'"),
      insertField: db.prepare(
        "INSERT OR IGNORE INTO item_fields (job_id, type, name, seq) VALUES (?, ?, ?, (SELECT COUNT(*) FROM item_fields WHERE job_id = ?))",
      ),
      insertError: db.prepare("INSERT INTO errors (job_id, request_id, url, code, message, at) VALUES (?, ?, ?, ?, ?, ?)"),
      requestUrl: db.prepare("SELECT url FROM requests WHERE id = ?"),
      releaseAll: db.prepare("UPDATE requests SET state = 'queued', lease_until = NULL, lease_owner = NULL WHERE job_id = ? AND state = 'leased'"),
      releaseExpired: db.prepare(
        "UPDATE requests SET state = 'queued', lease_until = NULL, lease_owner = NULL WHERE job_id = ? AND state = 'leased' AND lease_until < ?",
      ),
      nextDue: db.prepare("SELECT MIN(next_at) AS t FROM requests WHERE job_id = ? AND state = 'queued'"),
      nextDueStarted: db.prepare("SELECT MIN(next_at) AS t FROM requests WHERE job_id = ? AND state = 'queued' AND started = 1"),
      alias: db.prepare(
        "INSERT OR IGNORE INTO requests (job_id, url, host, depth, priority, parent_id, state, started, status, fetched_at, fetcher, error) VALUES (?, ?, ?, ?, 0, ?, 'done', 1, ?, ?, ?, 'redirect target of an earlier request')",
      ),
      markDuplicate: db.prepare("UPDATE requests SET error = 'redirected to an already known URL: ' || ? WHERE id = ?"),
      leasedCount: db.prepare("SELECT COUNT(*) AS n FROM requests WHERE job_id = ? AND state = 'leased'"),
      fields: db.prepare("SELECT name FROM item_fields WHERE job_id = ? GROUP BY name ORDER BY MIN(seq)"),
      fieldsOfType: db.prepare("SELECT name FROM item_fields WHERE job_id = ? AND type = ? ORDER BY seq"),
      types: db.prepare("SELECT DISTINCT type FROM item_fields WHERE job_id = ? ORDER BY type"),
      iterAll: db.prepare("SELECT type, url, data AS json FROM items WHERE job_id = ? ORDER BY id"),
      iterType: db.prepare("SELECT type, url, data AS json FROM items WHERE job_id = ? AND type = ? ORDER BY id"),
      pageAll: db.prepare("SELECT id, request_id AS requestId, type, url, data AS json FROM items WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?"),
      pageType: db.prepare("SELECT id, request_id AS requestId, type, url, data AS json FROM items WHERE job_id = ? AND type = ? AND id > ? ORDER BY id LIMIT ?"),
      reqAll: db.prepare("SELECT id, url, state, depth, status, error, error_code AS errorCode, fetcher FROM requests WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?"),
      reqState: db.prepare("SELECT id, url, state, depth, status, error, error_code AS errorCode, fetcher FROM requests WHERE job_id = ? AND state = ? AND id > ? ORDER BY id LIMIT ?"),
      errorsPage: db.prepare("SELECT id, request_id AS requestId, url, code, message, at FROM errors WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?"),
    };
    this.itemRows = new MultiInsert(db, "INSERT INTO items (job_id, request_id, type, url, data)", 5);
    this.requestRows = new MultiInsert(db, "INSERT OR IGNORE INTO requests (job_id, url, host, depth, priority, parent_id)", 6);
    // The job's counters move once per transaction, by the sum over its pages.
    this.commitOne = db.transaction((jobId: number, owner: string, p: PageCommit) => {
      const c = newCounts();
      const r = this.commitIn(jobId, owner, p, c);
      this.addCounts(jobId, c);
      return r;
    });
    this.commitMany = db.transaction((jobId: number, owner: string, pages: PageCommit[]) => {
      const c = newCounts();
      const rs = pages.map((p) => this.commitIn(jobId, owner, p, c));
      this.addCounts(jobId, c);
      return rs;
    });
  }

  createJob(name: string, spec: unknown): JobRecord {
    const id = Number(this.s.insertJob.run(name, JSON.stringify(spec), Date.now()).lastInsertRowid);
    return this.getJob(id)!;
  }

  getJob(id: number): JobRecord | null {
    const r = this.s.getJob.get(id) as Row | undefined;
    return r ? toJob(r) : null;
  }

  listJobs(limit = 100): (JobRecord & { stats: JobStats })[] {
    return (this.s.listJobs.all(limit) as Row[]).map((r) => ({ ...toJob(r), stats: this.statsFromRow(r) }));
  }

  findUnfinishedJob(name: string): JobRecord | null {
    const r = this.s.unfinished.get(name) as Row | undefined;
    return r ? toJob(r) : null;
  }

  claimJob(id: number, owner: string, isOwnerAlive: (owner: string) => boolean): boolean {
    return this.db.transaction(() => {
      const job = this.getJob(id);
      if (!job) throw new GleanerError("GLEANER_ERR_NO_JOB", `job ${id} does not exist; see \`gleaner jobs\``, { context: { job: id } });
      if (job.owner && job.owner !== owner && isOwnerAlive(job.owner)) return false;
      this.s.setOwner.run(owner, id);
      return true;
    }).immediate();
  }

  setJobState(id: number, state: JobState, error: string | null = null): void {
    const now = Date.now();
    this.s.setState.run(state, error, state, now, state, now, id);
  }

  /** Sets the page cache for the database's current size (a cheap header read), when it is not fixed. */
  private sizeCache(): void {
    let mb = this.fixedCacheMB;
    if (mb === null) {
      const bytes = (this.db.pragma("page_count", { simple: true }) as number) * (this.db.pragma("page_size", { simple: true }) as number);
      mb = Math.min(16, Math.max(2, Math.round(bytes / 8 / 1048576)));
    }
    if (mb !== this.cacheMB) {
      this.cacheMB = mb;
      this.db.pragma(`cache_size = -${Math.round(mb * 1024)}`);
    }
  }

  /** Re-sizes the cache after every ~4,000 rows written (each check is a header read). */
  private wrote(rows: number): void {
    this.writesSinceSizing += rows;
    if (this.writesSinceSizing >= 4000 && this.fixedCacheMB === null) {
      this.writesSinceSizing = 0;
      this.sizeCache();
    }
  }

  /** The page cache in use, in MB. */
  get pageCacheMB(): number {
    return this.cacheMB;
  }

  enqueue(jobId: number, requests: NewRequest[]): number {
    if (requests.length === 0) return 0;
    this.wrote(requests.length);
    return this.db.transaction(() => {
      const n = this.insertRequests(jobId, requests);
      if (n > 0) this.s.addCounters.run(n, 0, 0, 0, 0, 0, 0, jobId);
      return n;
    }).immediate();
  }

  skip(jobId: number, requests: NewRequest[], reason: string): number {
    if (requests.length === 0) return 0;
    return this.db.transaction(() => {
      let n = 0;
      for (const r of requests) n += this.s.skip.run(jobId, r.url, r.host, r.depth, r.priority, r.parentId, reason).changes;
      if (n > 0) this.s.addCounters.run(0, 0, 0, n, 0, 0, 0, jobId);
      return n;
    }).immediate();
  }

  lease(jobId: number, o: LeaseOptions): LeasedRequest[] {
    return this.db.transaction(() => {
      const started = (this.s.jobCounters.get(jobId) as { n_started: number } | undefined)?.n_started ?? 0;
      let budget = o.maxStarted - started;
      const skip = JSON.stringify(o.skipHosts ?? []);
      const rows = (budget > 0 ? this.s.dueAny : this.s.dueStarted).all(jobId, o.now, skip, o.limit) as Row[];
      const out: LeasedRequest[] = [];
      let fresh = 0;
      let skipped = 0;
      const perHost = o.maxStartedPerHost ?? Infinity;
      const hostCounts = perHost === Infinity ? null : new Map<string, number>();
      const until = o.now + o.leaseMs;
      for (const r of rows) {
        const host = r.host as string;
        if (r.started === 0) {
          if (budget <= 0) continue;
          if (hostCounts) {
            const n = hostCounts.get(host) ?? ((this.s.hostStarted.get(jobId, host) as { started: number } | undefined)?.started ?? 0);
            if (n >= perHost) {
              // The host is full: this request will never run, so say so instead of leaving it queued.
              skipped += this.s.skipQueued.run(`host page cap reached (scope.maxPagesPerHost: ${perHost})`, r.id).changes;
              hostCounts.set(host, n);
              continue;
            }
            hostCounts.set(host, n + 1);
            this.s.addHostStarted.run(jobId, host, 1);
          }
          budget--;
          fresh++;
        }
        this.s.leaseOne.run(until, o.owner, r.id);
        out.push({ id: r.id as number, url: r.url as string, host, depth: r.depth as number, priority: r.priority as number, failures: r.failures as number });
      }
      if (out.length > 0 || skipped > 0) this.s.addCounters.run(-out.length - skipped, 0, 0, skipped, 0, 0, fresh, jobId);
      return out;
    }).immediate();
  }

  commitPage(jobId: number, owner: string, p: PageCommit): CommitResult {
    this.wrote(1 + p.items.length + p.discovered.length);
    return this.commitOne(jobId, owner, p);
  }

  commitPages(jobId: number, owner: string, pages: PageCommit[]): CommitResult[] {
    let rows = 0;
    for (const p of pages) rows += 1 + p.items.length + p.discovered.length;
    this.wrote(rows);
    return this.commitMany(jobId, owner, pages);
  }


  private insertItems(jobId: number, requestId: number, url: string, items: PageCommit["items"]): void {
    if (items.length === 0) return;
    const params: unknown[] = new Array(items.length * 5);
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      params[i * 5] = jobId;
      params[i * 5 + 1] = requestId;
      params[i * 5 + 2] = it.type;
      params[i * 5 + 3] = url;
      params[i * 5 + 4] = it.json;
    }
    this.itemRows.run(params, items.length);
  }

  private addCounts(jobId: number, c: Counts): void {
    if (c.queued !== 0 || c.done !== 0 || c.skipped !== 0 || c.items !== 0 || c.errors !== 0) this.s.addCounters.run(c.queued, c.done, 0, c.skipped, c.items, c.errors, 0, jobId);
  }

  /** One page's effects, its counter changes added to `c`; the caller holds the transaction. */
  private commitIn(jobId: number, owner: string, p: PageCommit, c: Counts): CommitResult {
    {
      const now = Date.now();
      const changed = this.s.done.run(p.status, p.finalUrl, p.contentType, p.bytes, Math.round(p.elapsedMs), p.fetcher, now, p.requestId, owner).changes;
      if (changed === 0) return "lost";
      const url = p.finalUrl;
      if (p.aliasUrl) {
        // The redirect target is a page of its own: whoever records it first owns its items.
        const fresh = this.s.alias.run(jobId, p.aliasUrl.url, p.aliasUrl.host, p.aliasUrl.depth, p.requestId, p.status, now, p.fetcher).changes;
        if (fresh === 0) {
          // Same content as a page already known: keep its links (dedup makes them free), drop its items.
          this.s.markDuplicate.run(p.aliasUrl.url, p.requestId);
          const queued = this.insertRequests(jobId, p.discovered);
          c.queued += queued;
          c.done++;
          return "duplicate";
        }
      }
      this.insertItems(jobId, p.requestId, url, p.items);
      const fresh = this.insertRequests(jobId, p.discovered);
      let skipped = 0;
      if (p.skipped) for (const k of p.skipped) skipped += this.s.skip.run(jobId, k.request.url, k.request.host, k.request.depth, k.request.priority, k.request.parentId, k.reason).changes;
      for (const [type, name] of p.newFields) this.s.insertField.run(jobId, type, name, jobId);
      let errors = 0;
      if (p.warning) {
        this.s.insertError.run(jobId, p.requestId, url, p.warning.code, p.warning.message, now);
        errors = 1;
      }
      c.queued += fresh;
      c.done++;
      c.skipped += skipped;
      c.items += p.items.length;
      c.errors += errors;
      return "committed";
    }
  }

  skipLeased(jobId: number, owner: string, requestId: number, reason: string): boolean {
    return this.db.transaction(() => {
      if (this.s.skipLeased.run(reason, requestId, owner).changes === 0) return false;
      this.s.hostUnstart.run(jobId, requestId);
      this.s.addCounters.run(0, 0, 0, 1, 0, 0, -1, jobId);
      return true;
    })();
  }

  requeueLeased(jobId: number, owner: string, requestId: number): boolean {
    return this.db.transaction(() => {
      if (this.s.requeue.run(Date.now(), requestId, owner).changes === 0) return false;
      this.s.addCounters.run(1, 0, 0, 0, 0, 0, 0, jobId);
      return true;
    })();
  }

  failRequest(jobId: number, owner: string, f: RequestFailure): boolean {
    return this.db.transaction(() => {
      const now = Date.now();
      const retry = f.retryAt !== null;
      const changed = retry
        ? this.s.retry.run(f.retryAt, f.status ?? null, f.code, f.message, f.requestId, owner).changes
        : this.s.fail.run(f.status ?? null, f.code, f.message, now, f.requestId, owner).changes;
      if (changed === 0) return false;
      const url = (this.s.requestUrl.get(f.requestId) as { url: string } | undefined)?.url ?? null;
      this.s.insertError.run(jobId, f.requestId, url, f.code, f.message, now);
      this.s.addCounters.run(retry ? 1 : 0, 0, retry ? 0 : 1, 0, 0, 1, 0, jobId);
      return true;
    })();
  }

  releaseLeases(jobId: number, o: { expiredBefore?: number }): number {
    return this.db.transaction(() => {
      const n = (o.expiredBefore === undefined ? this.s.releaseAll.run(jobId) : this.s.releaseExpired.run(jobId, o.expiredBefore)).changes;
      if (n > 0) this.s.addCounters.run(n, 0, 0, 0, 0, 0, 0, jobId);
      return n;
    }).immediate();
  }

  nextDueAt(jobId: number, opts: { startedOnly?: boolean } = {}): number | null {
    const stmt = opts.startedOnly ? this.s.nextDueStarted : this.s.nextDue;
    return ((stmt.get(jobId) as { t: number | null } | undefined)?.t ?? null);
  }

  recordError(jobId: number, e: { requestId?: number | null; url?: string | null; code: string; message: string }): void {
    this.db.transaction(() => {
      this.s.insertError.run(jobId, e.requestId ?? null, e.url ?? null, e.code, e.message, Date.now());
      this.s.addCounters.run(0, 0, 0, 0, 0, 1, 0, jobId);
    })();
  }

  stats(jobId: number): JobStats {
    const r = this.s.getJob.get(jobId) as Row | undefined;
    if (!r) throw new GleanerError("GLEANER_ERR_NO_JOB", `job ${jobId} does not exist; see \`gleaner jobs\``, { context: { job: jobId } });
    return this.statsFromRow(r);
  }

  itemFields(jobId: number, type?: string): string[] {
    const rows = (type === undefined ? this.s.fields.all(jobId) : this.s.fieldsOfType.all(jobId, type)) as { name: string }[];
    return rows.map((r) => r.name);
  }

  itemTypes(jobId: number): string[] {
    return (this.s.types.all(jobId) as { type: string }[]).map((r) => r.type);
  }

  iterateItems(jobId: number, opts: { type?: string } = {}): IterableIterator<ExportRow> {
    return (opts.type === undefined ? this.s.iterAll.iterate(jobId) : this.s.iterType.iterate(jobId, opts.type)) as IterableIterator<ExportRow>;
  }

  listItems(jobId: number, o: { type?: string; after?: number; limit: number }): ItemRow[] {
    const after = o.after ?? 0;
    return (o.type === undefined ? this.s.pageAll.all(jobId, after, o.limit) : this.s.pageType.all(jobId, o.type, after, o.limit)) as ItemRow[];
  }

  listRequests(jobId: number, o: { state?: RequestState; after?: number; limit: number }): RequestRow[] {
    const after = o.after ?? 0;
    return (o.state === undefined ? this.s.reqAll.all(jobId, after, o.limit) : this.s.reqState.all(jobId, o.state, after, o.limit)) as RequestRow[];
  }

  listErrors(jobId: number, o: { after?: number; limit: number }): ErrorRow[] {
    return this.s.errorsPage.all(jobId, o.after ?? 0, o.limit) as ErrorRow[];
  }

  deleteJob(id: number): void {
    this.db.transaction(() => {
      for (const t of ["items", "requests", "item_fields", "errors"]) this.db.prepare(`DELETE FROM ${t} WHERE job_id = ?`).run(id);
      this.db.prepare("DELETE FROM jobs WHERE id = ?").run(id);
    }).immediate();
  }

  /**
   * A checkpoint copies the WAL's pages back into the database file: ~1,000 frames at a time,
   * run by the commit that crosses the threshold. On a busy crawl that is a stall of several ms
   * on the thread that also serves every open connection, dozens of times per 10,000 pages.
   * Offloaded, the writer only appends; a connection of another thread (see wal-checkpoint.ts)
   * copies, without blocking it, and the WAL restarts from its beginning once copied.
   */
  offloadCheckpoints(): CheckpointOffload | null {
    if (this.file === ":memory:" || this.file === "" || this.db.memory) return null;
    if (this.offloads++ === 0) this.db.pragma(`wal_autocheckpoint = ${OFFLOADED_AUTOCHECKPOINT_FRAMES}`);
    let released = false;
    return {
      file: resolve(this.file),
      release: () => {
        if (released) return;
        released = true;
        if (--this.offloads === 0 && this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_FRAMES}`);
      },
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private insertRequests(jobId: number, requests: NewRequest[]): number {
    if (requests.length === 0) return 0;
    const params: unknown[] = new Array(requests.length * 6);
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i]!;
      params[i * 6] = jobId;
      params[i * 6 + 1] = r.url;
      params[i * 6 + 2] = r.host;
      params[i * 6 + 3] = r.depth;
      params[i * 6 + 4] = r.priority;
      params[i * 6 + 5] = r.parentId;
    }
    return this.requestRows.run(params, requests.length);
  }

  private statsFromRow(r: Row): JobStats {
    const leased = (this.s.leasedCount.get(r.id) as { n: number }).n;
    return {
      queued: r.n_queued as number,
      leased,
      done: r.n_done as number,
      failed: r.n_failed as number,
      skipped: r.n_skipped as number,
      items: r.n_items as number,
      errors: r.n_errors as number,
      started: r.n_started as number,
    };
  }
}

function toJob(r: Row): JobRecord {
  return {
    id: r.id as number,
    name: r.name as string,
    spec: JSON.parse(r.spec as string),
    state: r.state as JobState,
    createdAt: r.created_at as number,
    startedAt: (r.started_at as number | null) ?? null,
    finishedAt: (r.finished_at as number | null) ?? null,
    error: (r.error as string | null) ?? null,
    owner: (r.owner as string | null) ?? null,
  };
}
