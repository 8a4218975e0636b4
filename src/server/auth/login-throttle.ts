/**
 * Failed-login throttling, kept in memory (per process): a restart forgets it, which is fine
 * for one `gleaner serve` process; several servers behind a balancer would each count alone.
 * After `maxFailures` failures a key is locked for `baseLockMs`, doubling with each further
 * failure up to `maxLockMs`. A failure is counted when the attempt *starts* (and taken back on
 * success), so a burst of parallel guesses cannot all slip past the check before any fails.
 */
export interface ThrottleOptions {
  maxFailures?: number;
  baseLockMs?: number;
  maxLockMs?: number;
  /** A key with no failure for this long (and no lock) is forgotten. */
  forgetAfterMs?: number;
  /** Bound on tracked keys; the oldest are dropped first past it. */
  maxKeys?: number;
}

export interface FailMark { prev: number; set: number }

interface Entry { failures: number; lockedUntil: number; lastFailure: number }

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly maxFailures: number;
  private readonly baseLockMs: number;
  private readonly maxLockMs: number;
  private readonly forgetAfterMs: number;
  private readonly maxKeys: number;

  constructor(opts: ThrottleOptions = {}) {
    this.maxFailures = opts.maxFailures ?? 5;
    this.baseLockMs = opts.baseLockMs ?? 30_000;
    this.maxLockMs = opts.maxLockMs ?? 15 * 60_000;
    this.forgetAfterMs = opts.forgetAfterMs ?? 30 * 60_000;
    this.maxKeys = opts.maxKeys ?? 100_000;
  }

  /** Milliseconds until `key` may try again (0 = now). */
  waitMs(key: string, now: number): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    if (e.lockedUntil <= now && now - e.lastFailure > this.forgetAfterMs) {
      this.entries.delete(key);
      return 0;
    }
    return Math.max(0, e.lockedUntil - now);
  }

  /**
   * Counts one failure; locks once `maxFailures` is reached, doubling each failure after.
   * Returns what `undo` needs to take exactly this failure back.
   */
  fail(key: string, now: number): FailMark {
    let e = this.entries.get(key);
    if (!e) {
      if (this.entries.size >= this.maxKeys) this.prune(now);
      e = { failures: 0, lockedUntil: 0, lastFailure: now };
      this.entries.set(key, e);
    }
    const prev = e.lockedUntil;
    e.failures++;
    e.lastFailure = now;
    if (e.failures >= this.maxFailures) {
      const lock = Math.min(this.maxLockMs, this.baseLockMs * 2 ** Math.min(30, e.failures - this.maxFailures));
      e.lockedUntil = Math.max(e.lockedUntil, now + lock);
    }
    return { prev, set: e.lockedUntil };
  }

  /** Takes back the failure counted when a now-successful attempt started (and any lock it set). */
  undo(key: string, mark: FailMark): void {
    const e = this.entries.get(key);
    if (!e) return;
    e.failures = Math.max(0, e.failures - 1);
    if (e.lockedUntil === mark.set) e.lockedUntil = mark.prev; // unless a parallel failure moved it since
    if (e.failures === 0) this.entries.delete(key);
  }

  /** A successful login clears the account's record entirely. */
  reset(key: string): void {
    this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries) {
      if (e.lockedUntil <= now && now - e.lastFailure > this.forgetAfterMs) this.entries.delete(k);
    }
    // Still full: drop the oldest (Map keeps insertion order).
    for (const k of this.entries.keys()) {
      if (this.entries.size < this.maxKeys) break;
      this.entries.delete(k);
    }
  }
}
