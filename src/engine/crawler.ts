/**
 * The crawl loop. docs/architecture.md describes it as numbered steps; in short:
 *   1. claim the job and return leases of a dead previous run to the queue;
 *   2. enqueue the start URLs (idempotent: the store dedups);
 *   3. lease due requests in batches into per-host queues;
 *   4. dispatch each host's queue as politeness allows (HostScheduler);
 *   5. fetch -> extract -> hooks -> one atomic commit per page (or a recorded failure/retry);
 *   6. repeat until nothing is queued, leased or due; then mark the job done or failed.
 */
import { compileExtractor, matchUrlGlob } from "../extract/index.js";
import { SessionPool, textSize, type Fetcher, type FetchedPage } from "../fetch/index.js";
import type { BrowserFetcher } from "../fetch/browser/index.js";
import { canonicalize, compileScope, hostOf, TrapDetector } from "../frontier/index.js";
import type { CrawlSummary, PageError, Progress } from "../events/index.js";
import type { CrawlHooks } from "../pipeline/index.js";
import { HostScheduler } from "../politeness/index.js";
import { GleanerError, errorMessage } from "../shared/errors.js";
import { silentLogger, type Logger } from "../shared/log.js";
import { RecentSet } from "../shared/recent-set.js";
import type { Spec } from "../spec/types.js";
import type { LeasedRequest, Store } from "../store/index.js";
import { isOwnerAlive, newOwnerId } from "./owner.js";
import { processPage, type ProcessorDeps } from "./page-processor.js";
import { backoffMs, isRetryableStatus, parseRetryAfter } from "./retry-policy.js";
import { RobotsGate } from "./robots-gate.js";
import { seedFromSitemaps } from "./sitemap-seeder.js";
import { CheckpointRelay } from "./checkpoint-relay.js";
import { CommitBatcher } from "./commit-batcher.js";
import { FetchRouter } from "./fetch-router.js";
import { fetchForPage, type FetchedForPage, type PageFetchDeps } from "./page-fetch.js";
import { DEFAULT_ROBOTS_RETRY_MS, parseRobots } from "../politeness/robots/index.js";
import { defaultExtractWorkers, EXTRACT_LOST, ExtractPool } from "./extract-pool/index.js";

export interface CrawlerOptions {
  store: Store;
  jobId: number;
  spec: Spec;
  fetcher: Fetcher;
  /** The browser fetcher, created on first use (needed when the spec uses browser or auto mode). */
  browser?: () => BrowserFetcher;
  hooks?: CrawlHooks;
  log?: Logger;
  onProgress?: (p: Progress) => void;
  /** Each failed attempt (retried or final), as recorded. */
  onError?: (e: PageError) => void;
  progressIntervalMs?: number;
  /** Lease duration; a lease not committed by then may be taken by another run. */
  leaseMs?: number;
  /**
   * Extraction worker threads (default: one per core beyond the first, at least 1, at most 3; 0 = extract
   * on the main thread). Crawls with onPage/onItem hooks always extract on the main thread.
   */
  extractWorkers?: number;
  /** Text (in characters) of fetched pages awaiting extraction and commit above which no request starts (default 32M). */
  processingBudgetChars?: number;
  /** A page still being extracted by a worker after this long (a runaway regex) fails, and the worker is replaced (default 30 s). */
  extractPageTimeoutMs?: number;
}

/** Big pages bound memory by size before the page count bound does: ~64 pages of 500 KB. */
const PROCESSING_BUDGET_CHARS = 32 * 1024 * 1024;
const LEASE_MS = 10 * 60_000;
/** While requests are plentiful, a commit waits this long for more pages to share its transaction. */
const COMMIT_HOLD_MS = 5;
/** Links this process remembers having sent to the store (~100 bytes each); older ones the store dedups. */
const SEEN_CAP = 200_000;
/** After robots.txt was unreachable, wait this long before asking again (the cache's retry time). */
const ROBOTS_RETRY_MS = DEFAULT_ROBOTS_RETRY_MS;

export class Crawler {
  private readonly owner = newOwnerId();
  private readonly sched: HostScheduler;
  private readonly queues = new Map<string, LeasedRequest[]>();
  private buffered = 0;
  private inFlight = 0;
  /** Pages whose requests are done, still extracting or committing. */
  private processing = 0;
  /** Characters of page text held by pages past their requests (see processingBudgetChars). */
  private processingChars = 0;
  private readonly processingBudgetChars: number;
  private readonly maxProcessing: number;
  private stopping = false;
  private leaseDirty = true;
  private wakeUp: (() => void) | null = null;
  private wokenEarly = false;
  private fatal: unknown = null;
  private readonly deps: ProcessorDeps;
  private readonly log: Logger;
  private readonly robots: RobotsGate | null;
  private readonly sessions: SessionPool;
  private readonly commits: CommitBatcher;
  private checkpoints: CheckpointRelay | null = null;
  private readonly pageFetch: PageFetchDeps;
  private readonly router: FetchRouter;

  constructor(private readonly o: CrawlerOptions) {
    this.router = new FetchRouter(o.spec.fetch);
    // Fetched pages waiting for extraction and commit (a memory bound): room for two rounds of
    // requests plus a commit batch, so fetching runs on while a batch is being committed.
    this.maxProcessing = o.spec.politeness.concurrency * 2 + 64;
    this.processingBudgetChars = o.processingBudgetChars ?? PROCESSING_BUDGET_CHARS;
    const p = o.spec.politeness;
    this.log = o.log ?? silentLogger;
    this.sched = new HostScheduler(
      { ratePerSecond: p.perHost.rate.perSecond, concurrency: p.perHost.concurrency, jitterMs: p.jitterMs, adaptive: p.adaptive, circuitBreaker: p.circuitBreaker },
      p.concurrency,
      Math.random,
      (info) => this.log.warn("host.paused", { job: o.jobId, ...info, reason: "circuit breaker: consecutive failures" }),
    );
    this.sessions = new SessionPool(o.spec.sessions.count, o.spec.sessions.retireAfter, (info) =>
      this.log.info("session.retired", { job: o.jobId, ...info }),
    );
    this.deps = {
      extractor: compileExtractor(o.spec.extract, o.spec.follow, { matchUrl: matchUrlGlob, probes: this.router.probes }),
      scope: compileScope(o.spec.scope),
      traps: new TrapDetector(o.spec.scope.traps, o.spec.scope.maxUrlLength),
      maxDepth: o.spec.scope.maxDepth,
      hooks: o.hooks ?? {},
      seen: new RecentSet(SEEN_CAP),
      canonical: new Map(),
      knownFields: new Set(),
      pool: null,
    };
    this.robots = p.robots === "obey" ? new RobotsGate(o.spec, o.fetcher, this.log) : null;
    this.commits = new CommitBatcher(o.store, o.jobId, this.owner, {
      maxBatch: this.maxProcessing / 2, // a commit frees processing places, so it cannot wait for all of them
      holdMs: () => (this.stopping || this.buffered < o.spec.politeness.concurrency ? 0 : COMMIT_HOLD_MS),
      onCommitted: (pages) => this.checkpoints?.committed(pages),
    });
    const router = this.router;
    this.pageFetch = {
      spec: o.spec,
      jobId: o.jobId,
      http: o.fetcher,
      browser: () => {
        if (!o.browser) throw new GleanerError("GLEANER_ERR_BROWSER_MISSING", "this crawl needs a browser fetcher but none was given", { action: "stop" });
        return o.browser();
      },
      router,
      sessions: this.sessions,
      sched: this.sched,
      deps: this.deps,
      paceHop: this.paceHop,
    };
  }

  private startPool(): ExtractPool | null {
    const { spec, hooks } = this.o;
    const workers = this.o.extractWorkers ?? defaultExtractWorkers();
    if (workers <= 0 || hooks?.onPage || hooks?.onItem) return null;
    this.deps.pool = new ExtractPool({
      workers,
      init: { items: spec.extract, follow: spec.follow, probes: this.router.probes, scope: spec.scope, maxDepth: spec.scope.maxDepth },
      log: this.log,
      ...(this.o.extractPageTimeoutMs !== undefined ? { pageTimeoutMs: this.o.extractPageTimeoutMs } : {}),
    });
    return this.deps.pool;
  }

  /** Finish in-flight pages, commit them, leave the rest queued for a resume. */
  stop(): void {
    this.stopping = true;
    this.wake();
  }

  async run(): Promise<CrawlSummary> {
    const { store, jobId, spec } = this.o;
    const started = Date.now();
    if (!store.claimJob(jobId, this.owner, isOwnerAlive)) {
      throw new GleanerError("GLEANER_ERR_JOB_BUSY", `job ${jobId} is being run by another live process; stop it first or wait for it to finish`, { context: { job: jobId } });
    }
    const released = store.releaseLeases(jobId, {});
    if (released > 0) this.log.info("leases.released", { job: jobId, count: released });
    for (const t of store.itemTypes(jobId)) for (const f of store.itemFields(jobId, t)) this.deps.knownFields.add(t + "\u0000" + f);
    const starts = spec.start.map((u) => canonicalize(u)).filter((u): u is string => u !== null);
    store.enqueue(jobId, starts.map((url) => ({ url, host: hostOf(url), depth: 0, priority: 0, parentId: null })));
    store.setJobState(jobId, "running");
    this.log.info("job.start", { job: jobId, name: spec.name, start: spec.start });
    if (spec.scope.sitemaps) await this.seedSitemaps(starts);

    const progress = this.startProgress(started);
    const pool = this.startPool();
    this.checkpoints = CheckpointRelay.start(store, pool, this.log);
    try {
      await this.loop();
    } finally {
      progress();
      // Before the pool goes. A checkpoint the worker is in still completes: ending a worker
      // stops its JavaScript, not a native call under way.
      this.checkpoints?.end();
      this.checkpoints = null;
      this.deps.pool = null;
      await pool?.close();
    }
    if (this.fatal) {
      store.setJobState(jobId, "failed", errorMessage(this.fatal));
      throw this.fatal;
    }
    return this.finish(started);
  }

  private async loop(): Promise<void> {
    const { store, jobId, spec } = this.o;
    const target = Math.max(32, spec.politeness.concurrency * 4);
    const hostCap = Math.max(8, spec.politeness.perHost.concurrency * 4);
    let lastLeaseEmpty = false;
    while (!this.fatal) {
      const now = Date.now();
      if (this.stopping) {
        if (this.inFlight === 0) break;
      } else if (this.leaseDirty && (this.buffered < target / 2 || this.buffered + this.inFlight === 0)) {
        // Lease in batches (below a low-water mark) so a lease transaction serves many pages.
        const full = [...this.queues].filter(([, q]) => q.length >= hostCap).map(([h]) => h);
        const want = target - this.buffered;
        const got = store.lease(jobId, { limit: want, now, leaseMs: this.o.leaseMs ?? LEASE_MS, owner: this.owner, maxStarted: spec.scope.maxPages, maxStartedPerHost: spec.scope.maxPagesPerHost, skipHosts: full });
        for (const r of got) this.enqueueLocal(r);
        lastLeaseEmpty = got.length === 0;
        if (got.length < want) this.leaseDirty = false;
      }
      let wait = this.stopping ? Infinity : this.dispatch(now);
      if (this.inFlight === 0 && this.buffered === 0 && !this.stopping) {
        if (this.leaseDirty) continue;
        const budgetLeft = store.stats(jobId).started < spec.scope.maxPages;
        const due = store.nextDueAt(jobId, { startedOnly: !budgetLeft });
        if (due === null) break; // nothing queued that may still run: finished
        this.leaseDirty = true;
        wait = Math.max(0, due - Date.now());
        if (lastLeaseEmpty && wait === 0) wait = 10; // due now but not leased: let the clock move
      }
      await this.sleep(wait);
    }
  }

  private enqueueLocal(r: LeasedRequest): void {
    let q = this.queues.get(r.host);
    if (!q) this.queues.set(r.host, (q = []));
    q.push(r);
    this.buffered++;
  }

  /** Starts what politeness allows now; returns ms until the next start may be possible. */
  private dispatch(now: number): number {
    let wait = Infinity;
    // Woken when a page is committed. One page over the budget still runs when nothing else is held.
    if (this.processing >= this.maxProcessing || this.processingChars > this.processingBudgetChars) return wait;
    for (const [host, q] of this.queues) {
      while (q.length > 0) {
        const head = q[0]!;
        if (this.robots) {
          const verdict = this.robots.check(head.url);
          if (verdict.kind === "blocked") {
            q.shift();
            this.buffered--;
            this.skip(head, verdict.reason);
            continue;
          }
          if (verdict.kind === "unreachable") {
            q.shift();
            this.buffered--;
            this.fail(head, "GLEANER_ERR_ROBOTS_UNREACHABLE", verdict.reason, true, undefined, now + ROBOTS_RETRY_MS);
            continue;
          }
          if (verdict.kind === "unknown") {
            if (this.robots.isFetching(verdict.origin)) break; // this host waits for its rules
            const w = this.sched.waitTime(host, now);
            if (w > 0) {
              wait = Math.min(wait, w);
              break;
            }
            this.startSlot(host, () => this.robots!.load(head.url, verdict.origin).then(
              (rules) => {
                if (rules.crawlDelayMs) this.sched.setMinInterval(host, rules.crawlDelayMs, Date.now());
              },
              (err: unknown) => this.log.warn("robots.error", { url: head.url, error: errorMessage(err) }),
            ));
            break;
          }
        }
        const w = this.sched.waitTime(host, now);
        if (w > 0) {
          wait = Math.min(wait, w);
          break;
        }
        const req = q.shift()!;
        this.buffered--;
        this.startSlot(host, (release) => this.runTask(req, release));
      }
      if (q.length === 0) this.queues.delete(host);
      if (!this.sched.globalSlotFree) break;
    }
    return wait;
  }

  private async seedSitemaps(starts: string[]): Promise<void> {
    const { store, jobId, spec, fetcher } = this.o;
    const politeFetch = async (url: string): Promise<FetchedPage> => {
      const host = hostOf(url);
      for (let w = this.sched.waitTime(host, Date.now()); w > 0; w = this.sched.waitTime(host, Date.now())) {
        await new Promise((r) => setTimeout(r, Number.isFinite(w) ? w : 50));
      }
      this.sched.start(host, Date.now());
      try {
        return await fetcher.fetch({ url, headers: spec.fetch.headers, userAgent: spec.fetch.userAgent, timeoutMs: spec.fetch.timeoutMs, maxRedirects: spec.fetch.maxRedirects, maxBodyBytes: 50 * 1024 * 1024, keepBody: true });
      } finally {
        this.sched.finish(host);
      }
    };
    await seedFromSitemaps({
      starts,
      robotsSitemaps: async (origin) => {
        if (this.robots) return (await this.robots.load(origin + "/", origin)).sitemaps;
        const page = await politeFetch(origin + "/robots.txt");
        return page.status === 200 && page.text ? parseRobots(page.text, spec.fetch.userAgent, page.finalUrl).sitemaps : [];
      },
      politeFetch,
      inScope: (url) => this.deps.scope(url) === null && this.deps.traps.check(url) === null,
      enqueue: (urls) => store.enqueue(jobId, urls.map((url) => ({ url, host: hostOf(url), depth: 0, priority: 0, parentId: null }))),
      log: this.log,
    });
  }

  /** Redirect hops are requests too: each waits for its host's next turn. */
  private readonly paceHop = async (url: string): Promise<void> => {
    const host = hostOf(url);
    for (let w = this.sched.takeTurn(host, Date.now()); w > 0; w = this.sched.takeTurn(host, Date.now())) {
      await new Promise((r) => setTimeout(r, w));
    }
  };

  /**
   * Holds a politeness slot of `host` until `work` calls `release` (its requests are done) or
   * ends. Pages past their requests (extracting, committing) no longer count against the host,
   * but at most `maxProcessing` of them are pending, which bounds memory.
   */
  private startSlot(host: string, work: (release: () => void) => Promise<void>): void {
    this.sched.start(host, Date.now()); // the real start time: the loop's `now` may be stale
    this.inFlight++;
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      this.sched.finish(host);
      this.processing++;
      this.wake();
    };
    void work(release).finally(() => {
      if (held) {
        held = false;
        this.sched.finish(host);
      } else this.processing--;
      this.inFlight--;
      this.wake();
    });
  }

  private skip(req: LeasedRequest, reason: string): void {
    try {
      this.o.store.skipLeased(this.o.jobId, this.owner, req.id, reason);
      this.leaseDirty = true;
      this.log.info("page.skip", { job: this.o.jobId, url: req.url, reason });
    } catch (err) {
      this.fatal = new GleanerError("GLEANER_ERR_STORE_WRITE", `cannot write to the store: ${errorMessage(err)}`, { cause: err });
    }
  }

  private async runTask(req: LeasedRequest, release: () => void): Promise<void> {
    const { jobId } = this.o;
    let got: FetchedForPage;
    try {
      got = await fetchForPage(req, this.pageFetch);
      release();
    } catch (err) {
      release();
      const retry = err instanceof GleanerError && err.action === "retry";
      const code = err instanceof GleanerError ? err.code : "GLEANER_ERR_FETCH";
      return this.fail(req, code, errorMessage(err), retry);
    }
    const page = got.page;
    const held = textSize(page); // without decoding a lazy page (src/fetch/lazy-text.ts)
    this.processingChars += held;
    try {
      if (page.status >= 400 || page.status < 200) {
        const retryAfter = parseRetryAfter(page.headers["retry-after"], Date.now());
        if ((page.status === 429 || page.status === 503) && retryAfter !== null) {
          this.sched.pause(req.host, retryAfter); // the whole host waits, not just this URL
          this.log.info("host.retry-after", { job: jobId, host: req.host, until: new Date(retryAfter).toISOString() });
        }
        const msg = `HTTP ${page.status} for ${req.url}`;
        return this.fail(req, "GLEANER_ERR_HTTP_STATUS", msg, isRetryableStatus(page.status), page.status, retryAfter);
      }
      const commit = await processPage(req, page, this.deps, got.fetcher, got.extracted);
      const result = await this.commits.commit(commit);
      this.leaseDirty = true;
      if (result !== "lost") for (const [t, f] of commit.newFields) this.deps.knownFields.add(t + "\u0000" + f);
      else this.log.warn("lease.lost", { job: jobId, url: req.url });
    } catch (err) {
      if (err instanceof GleanerError && err.code === EXTRACT_LOST) return this.requeue(req, err.message);
      if (err instanceof GleanerError && err.code.startsWith("GLEANER_ERR_STORE")) this.fatal = err;
      else if (isStoreFailure(err)) this.fatal = new GleanerError("GLEANER_ERR_STORE_WRITE", `cannot write to the store: ${errorMessage(err)}`, { cause: err });
      else this.fail(req, (err as { code?: string }).code ?? "GLEANER_ERR_PAGE", `processing ${req.url} failed: ${errorMessage(err)}`, false);
    } finally {
      this.processingChars -= held;
    }
  }

  /** Back to the queue, not counted as a failure: the page was fetched, but its text was lost before extraction. */
  private requeue(req: LeasedRequest, why: string): void {
    try {
      this.o.store.requeueLeased(this.o.jobId, this.owner, req.id);
      this.leaseDirty = true;
      this.log.info("page.requeue", { job: this.o.jobId, url: req.url, reason: why });
    } catch (err) {
      this.fatal = new GleanerError("GLEANER_ERR_STORE_WRITE", `cannot write to the store: ${errorMessage(err)}`, { cause: err });
    }
  }

  private fail(req: LeasedRequest, code: string, message: string, retryable: boolean, status?: number, retryAfter?: number | null): void {
    const { store, jobId, spec } = this.o;
    const now = Date.now();
    let retryAt: number | null = null;
    if (retryable && req.failures < spec.retries.max) {
      retryAt = Math.max(now + backoffMs(spec.retries, req.failures), retryAfter ?? 0);
    }
    this.log.info("page.fail", { job: jobId, url: req.url, code, message, retryAt });
    this.o.onError?.({ job: jobId, url: req.url, code, message, ...(status !== undefined ? { status } : {}), willRetry: retryAt !== null });
    try {
      store.failRequest(jobId, this.owner, { requestId: req.id, code, message, ...(status !== undefined ? { status } : {}), retryAt });
      this.leaseDirty = true;
    } catch (err) {
      this.fatal = new GleanerError("GLEANER_ERR_STORE_WRITE", `cannot write to the store: ${errorMessage(err)}`, { cause: err });
    }
  }

  private finish(started: number): CrawlSummary {
    const { store, jobId, spec } = this.o;
    const s = store.stats(jobId);
    const seconds = (Date.now() - started) / 1000;
    const base = { job: jobId, name: spec.name, pages: s.done, items: s.items, failed: s.failed, skipped: s.skipped, errors: s.errors, seconds };
    if (this.stopping) {
      store.releaseLeases(jobId, {});
      store.setJobState(jobId, "paused");
      return { ...base, state: "interrupted" };
    }
    if (s.done === 0 && s.failed > 0) {
      const first = store.listErrors(jobId, { limit: 1 })[0];
      const error = `no page could be fetched; first error: ${first ? first.message : "unknown"}`;
      store.setJobState(jobId, "failed", error);
      return { ...base, state: "failed", error };
    }
    store.setJobState(jobId, "done");
    return { ...base, state: "done" };
  }

  private startProgress(started: number): () => void {
    const { store, jobId, onProgress } = this.o;
    if (!onProgress) return () => {};
    const every = this.o.progressIntervalMs ?? 1000;
    let lastDone = store.stats(jobId).done;
    let lastAt = Date.now();
    const emit = () => {
      const s = store.stats(jobId);
      const now = Date.now();
      const rate = ((s.done - lastDone) * 1000) / Math.max(1, now - lastAt);
      lastDone = s.done;
      lastAt = now;
      const remaining = s.queued + s.leased;
      onProgress({ ...s, job: jobId, elapsedSeconds: (now - started) / 1000, rate, etaSeconds: rate > 0 ? remaining / rate : null });
    };
    const timer = setInterval(emit, every);
    timer.unref();
    return () => {
      clearInterval(timer);
      emit();
    };
  }

  private sleep(ms: number): Promise<void> {
    if (this.wokenEarly) {
      this.wokenEarly = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => this.wake(), ms) : null;
      this.wakeUp = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    if (w) w();
    else this.wokenEarly = true;
  }
}

function isStoreFailure(err: unknown): boolean {
  return (err as { code?: string })?.code?.startsWith("SQLITE_") === true;
}
