/**
 * Runs crawls inside the server process on the shared store. Each running job has an
 * AbortController (the engine's graceful stop) and a reason it was stopped, which decides the
 * state it ends in: pause -> paused, cancel -> cancelled, shutdown -> left `running` so the next
 * server start resumes it.
 */
import { resumeJob } from "../engine/index.js";
import type { PageError, Progress } from "../events/index.js";
import { createHttpFetcher } from "../fetch/index.js";
import { errorMessage } from "../shared/errors.js";
import { silentLogger, type Logger } from "../shared/log.js";
import { validateSpec } from "../spec/index.js";
import type { JobState, SqliteStore } from "../store/index.js";
import { conflict, HttpError } from "./http-error.js";
import type { JobOwners } from "./job-owners.js";

type StopReason = "pause" | "cancel" | "shutdown";

interface Run {
  userId: number;
  controller: AbortController;
  reason: StopReason | null;
  done: Promise<void>;
  rate: number;
}

export interface RunnerListener {
  state(job: number, state: JobState, ownerUserId: number | null, error: string | null): void;
  progress(p: Progress, ownerUserId: number | null): void;
  error(e: PageError, ownerUserId: number | null): void;
}

export interface JobRunnerOptions {
  store: SqliteStore;
  owners: JobOwners;
  listener: RunnerListener;
  /** SSRF guard for the fetcher (undefined: unguarded). */
  guard?: ((address: string, host: string) => string | null) | undefined;
  maxConcurrentJobsPerUser: number;
  progressIntervalMs: number;
  log?: Logger;
}

export class JobRunner {
  private readonly runs = new Map<number, Run>();
  private readonly log: Logger;
  private readonly releaseOwner;

  constructor(private readonly o: JobRunnerOptions) {
    this.log = o.log ?? silentLogger;
    // The Store has no "release job": clear the process owner so a restarted server (even in this process) may claim it.
    this.releaseOwner = o.store.db.prepare("UPDATE jobs SET owner = NULL WHERE id = ?");
  }

  isRunning(jobId: number): boolean {
    return this.runs.has(jobId);
  }

  /** Pages per second at the last progress report of a running job, else null. */
  rate(jobId: number): number | null {
    return this.runs.get(jobId)?.rate ?? null;
  }

  runningCount(userId: number): number {
    let n = 0;
    for (const r of this.runs.values()) if (r.userId === userId) n++;
    return n;
  }

  /** Throws 429 when the user already runs the maximum number of jobs. */
  checkCapacity(userId: number): void {
    const max = this.o.maxConcurrentJobsPerUser;
    if (this.runningCount(userId) >= max) {
      throw new HttpError(429, "GLEANER_ERR_TOO_MANY_JOBS", `you already run ${max} jobs at once (the server's limit); pause, cancel or wait for one to finish`, { retryAfterSeconds: 30 });
    }
  }

  /** Starts (or continues) a stored job. The caller checked access and capacity. */
  start(jobId: number, userId: number): void {
    if (this.runs.has(jobId)) throw conflict(`job ${jobId} is already running`);
    const job = this.o.store.getJob(jobId);
    if (!job) throw new HttpError(404, "GLEANER_ERR_NOT_FOUND", `job ${jobId} not found`);
    const spec = validateSpec(job.spec, `job ${jobId}`);
    const fetcher = createHttpFetcher({ connections: Math.max(spec.politeness.perHost.concurrency, 1), ...(this.o.guard ? { guard: this.o.guard } : {}) });
    const controller = new AbortController();
    const run: Run = { userId, controller, reason: null, done: Promise.resolve(), rate: 0 };
    this.runs.set(jobId, run);
    const { listener, store } = this.o;
    const owner = this.o.owners.get(jobId);
    listener.state(jobId, "running", owner, null);
    run.done = resumeJob(jobId, {
      db: store,
      fetcher,
      signal: controller.signal,
      log: this.log,
      progressIntervalMs: this.o.progressIntervalMs,
      onProgress: (p) => {
        run.rate = p.rate;
        listener.progress(p, owner);
      },
      onError: (e) => listener.error(e, owner),
    }).then(
      (summary) => this.log.info("job.end", { job: jobId, state: summary.state, pages: summary.pages, items: summary.items }),
      (err: unknown) => this.log.error("job.error", { job: jobId, error: errorMessage(err) }),
    ).finally(async () => {
      await fetcher.close().catch(() => {});
      this.runs.delete(jobId);
      if (run.reason === "cancel") store.setJobState(jobId, "cancelled");
      else if (run.reason === "shutdown" && store.getJob(jobId)?.state === "paused") store.setJobState(jobId, "running");
      this.releaseOwner.run(jobId);
      const after = store.getJob(jobId);
      if (after) listener.state(jobId, after.state, owner, after.error);
    });
  }

  /** Stops a running job gracefully: in-flight pages commit; resolves once it stopped. */
  async pause(jobId: number): Promise<void> {
    const run = this.runs.get(jobId);
    if (!run) throw conflict(`job ${jobId} is not running`);
    await this.stop(run, "pause");
  }

  /** Stops the job if it runs, then marks it cancelled (it can no longer be resumed). */
  async cancel(jobId: number): Promise<void> {
    const run = this.runs.get(jobId);
    if (run) return this.stop(run, "cancel");
    const job = this.o.store.getJob(jobId);
    if (!job) throw new HttpError(404, "GLEANER_ERR_NOT_FOUND", `job ${jobId} not found`);
    if (job.state === "done" || job.state === "cancelled") throw conflict(`job ${jobId} is already ${job.state}`);
    this.o.store.setJobState(jobId, "cancelled");
    this.o.listener.state(jobId, "cancelled", this.o.owners.get(jobId), null);
  }

  /** At server start: continue API-submitted jobs a previous server left running. */
  resumeInterrupted(): number[] {
    const resumed: number[] = [];
    for (const job of this.o.store.listJobs(100_000)) {
      if (job.state !== "running") continue;
      const userId = this.o.owners.get(job.id);
      if (userId === null) continue; // a CLI run: not ours to take over
      try {
        this.start(job.id, userId);
        resumed.push(job.id);
      } catch (err) {
        this.log.error("job.resume-failed", { job: job.id, error: errorMessage(err) });
      }
    }
    return resumed;
  }

  /** Server shutdown: stop every job gracefully, leaving them to resume at the next start. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => this.stop(r, "shutdown")));
  }

  private async stop(run: Run, reason: StopReason): Promise<void> {
    run.reason ??= reason;
    if (reason === "cancel") run.reason = "cancel"; // cancel wins over a pause in progress
    run.controller.abort();
    await run.done;
  }
}
