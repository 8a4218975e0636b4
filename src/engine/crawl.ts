/**
 * `crawl(spec)`: the library entry point. Opens the store, creates (or resumes) a job,
 * runs it and returns the summary the CLI prints with --json.
 */
import { createHttpFetcher, type Fetcher } from "../fetch/index.js";
import { createBrowserFetcher, type BrowserFetcher } from "../fetch/browser/index.js";
import type { CrawlSummary, PageError, Progress } from "../events/index.js";
import type { CrawlHooks } from "../pipeline/index.js";
import { GleanerError } from "../shared/errors.js";
import type { Logger } from "../shared/log.js";
import { specSource, validateSpec, type SpecInput } from "../spec/index.js";
import type { Spec } from "../spec/types.js";
import { openStore, type JobRecord, type Store } from "../store/index.js";
import { Crawler } from "./crawler.js";

export interface CrawlOptions {
  /** SQLite file path (default ./gleaner.db) or an open Store (left open). */
  db?: string | Store;
  hooks?: CrawlHooks;
  /** true: continue the latest unfinished job with this spec's name (or start one); a number: continue that job. */
  resume?: boolean | number;
  log?: Logger;
  onProgress?: (p: Progress) => void;
  /** Each failed attempt at a page (retried or final). */
  onError?: (e: PageError) => void;
  progressIntervalMs?: number;
  /** Aborting stops gracefully: in-flight pages finish and commit; the job can be resumed. */
  signal?: AbortSignal;
  fetcher?: Fetcher;
  /** A browser fetcher to use (left open); by default one is created when the spec needs it. */
  browser?: BrowserFetcher;
  /**
   * Threads that parse and extract pages (default: one per core beyond the first, at least 1, at most 3;
   * 0 = on the calling thread). Crawls with onPage/onItem hooks extract on the calling thread.
   */
  extractWorkers?: number;
  /**
   * Memory bound for fetched pages awaiting extraction and commit, in characters of page text
   * (default 32M): above it no new request starts until pages are committed.
   */
  processingBudgetChars?: number;
  /** A page still being extracted by a worker after this long (a runaway regex) fails, and the worker is replaced (default 30 s). */
  extractPageTimeoutMs?: number;
  /** Called once the job is known (new or resumed), before crawling starts. */
  onJob?: (job: JobRecord) => void;
}

/** Run a crawl described by `spec` (the shape users write in YAML) and return its summary. */
export async function crawl(spec: SpecInput | Spec | Record<string, unknown>, opts: CrawlOptions = {}): Promise<CrawlSummary> {
  const valid = validateSpec(spec, "spec");
  checkOptions(opts);
  const store = typeof opts.db === "object" ? opts.db : openStore(opts.db);
  try {
    let job: JobRecord | null = null;
    if (typeof opts.resume === "number") {
      job = store.getJob(opts.resume);
      if (!job) throw new GleanerError("GLEANER_ERR_NO_JOB", `job ${opts.resume} does not exist; see \`gleaner jobs\``);
    } else if (opts.resume === true) {
      job = store.findUnfinishedJob(valid.name);
    }
    job ??= store.createJob(valid.name, specSource(valid));
    return await runJob(store, job, valid, opts);
  } finally {
    if (typeof opts.db !== "object") store.close();
  }
}

/** Resume a stored job by id, with the spec it was created with. */
export async function resumeJob(jobId: number, opts: Omit<CrawlOptions, "resume"> = {}): Promise<CrawlSummary> {
  checkOptions(opts);
  const store = typeof opts.db === "object" ? opts.db : openStore(opts.db);
  try {
    const job = store.getJob(jobId);
    if (!job) throw new GleanerError("GLEANER_ERR_NO_JOB", `job ${jobId} does not exist; see \`gleaner jobs\``);
    if (job.state === "done" || job.state === "cancelled") {
      throw new GleanerError("GLEANER_ERR_JOB_FINISHED", `job ${jobId} is already ${job.state}; nothing to resume`);
    }
    return await runJob(store, job, validateSpec(job.spec, `job ${jobId}`), opts);
  } finally {
    if (typeof opts.db !== "object") store.close();
  }
}

/** The numeric options, before anything is opened: a bad one would otherwise misbehave deep in the crawl. */
function checkOptions(opts: Omit<CrawlOptions, "resume">): void {
  const bad = (name: string, want: string, got: unknown): never => {
    throw new GleanerError("GLEANER_ERR_OPTION", `crawl option ${name} must be ${want} (got ${typeof got === "string" ? JSON.stringify(got) : String(got)})`, { context: { option: name } });
  };
  const w = opts.extractWorkers;
  if (w !== undefined && !(Number.isInteger(w) && w >= 0 && w <= 16)) bad("extractWorkers", "an integer from 0 to 16", w);
  const b = opts.processingBudgetChars;
  if (b !== undefined && !(Number.isFinite(b) && b > 0)) bad("processingBudgetChars", "a positive number of characters", b);
  const t = opts.extractPageTimeoutMs;
  if (t !== undefined && !(Number.isFinite(t) && t >= 10)) bad("extractPageTimeoutMs", "a number of milliseconds, at least 10", t);
}

async function runJob(store: Store, job: JobRecord, spec: Spec, opts: CrawlOptions): Promise<CrawlSummary> {
  opts.onJob?.(job);
  const fetcher = opts.fetcher ?? createHttpFetcher({ connections: Math.max(spec.politeness.perHost.concurrency, 1) });
  let browser: BrowserFetcher | undefined = opts.browser;
  const b = spec.fetch.browser;
  const crawler = new Crawler({
    store,
    jobId: job.id,
    spec,
    fetcher,
    // Launched on the first page that needs it: http-only crawls never start Chromium.
    browser: () => (browser ??= createBrowserFetcher({ maxPages: b.maxPages, recycleAfter: b.recycleAfter, memoryCeilingMB: b.memoryCeilingMB, blockResources: b.block })),
    ...(opts.hooks ? { hooks: opts.hooks } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.onError ? { onError: opts.onError } : {}),
    ...(opts.progressIntervalMs ? { progressIntervalMs: opts.progressIntervalMs } : {}),
    ...(opts.extractWorkers !== undefined ? { extractWorkers: opts.extractWorkers } : {}),
    ...(opts.processingBudgetChars !== undefined ? { processingBudgetChars: opts.processingBudgetChars } : {}),
    ...(opts.extractPageTimeoutMs !== undefined ? { extractPageTimeoutMs: opts.extractPageTimeoutMs } : {}),
  });
  const onAbort = () => crawler.stop();
  if (opts.signal?.aborted) crawler.stop();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await crawler.run();
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    if (!opts.fetcher) await fetcher.close();
    if (browser && !opts.browser) await browser.close();
  }
}
