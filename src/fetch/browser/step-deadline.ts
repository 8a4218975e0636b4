/**
 * One deadline for a whole browser fetch (navigation, waitFor, actions, reading the DOM,
 * screenshot), like the HTTP fetcher's `timeoutMs`. Each step gets what is left, and every
 * step is also raced against the deadline so that a stuck renderer cannot hang a fetch.
 */
import { FetchError, FetchErrorCode } from "../errors.js";

const noop = (): void => {};

export class StepDeadline {
  /** The step running now, named in timeout messages. */
  step = "navigation";
  /** Set once the deadline passed or the caller aborted: the reported error. */
  reason: FetchError | null = null;
  private readonly end: number;
  private readonly timer: NodeJS.Timeout;
  private readonly expired: Promise<never>;
  private fail!: (err: FetchError) => void;
  private readonly onCallerAbort: (() => void) | undefined;

  /** `onExpire` runs once when time is up or the caller aborts (closes the page: pending calls reject). */
  constructor(url: string, timeoutMs: number, private readonly signal: AbortSignal | undefined, onExpire: () => void) {
    this.end = performance.now() + timeoutMs;
    this.expired = new Promise<never>((_, reject) => { this.fail = reject; });
    this.expired.catch(noop); // observed through race(); never an unhandled rejection
    const trip = (err: FetchError): void => {
      if (this.reason) return;
      this.reason = err;
      this.fail(err);
      onExpire();
    };
    this.timer = setTimeout(() => trip(new FetchError(FetchErrorCode.TIMEOUT,
      `browser GET ${url} timed out during ${this.step} (limit ${timeoutMs} ms for the whole fetch)`,
      { context: { url, step: this.step, timeoutMs } })), timeoutMs);
    if (signal) {
      this.onCallerAbort = () => trip(new FetchError(FetchErrorCode.ABORTED, `browser GET ${url} aborted by the caller`,
        { cause: signal.reason, context: { url } }));
      if (signal.aborted) this.onCallerAbort();
      else signal.addEventListener("abort", this.onCallerAbort, { once: true });
    }
  }

  /** Milliseconds left (at least 1: Playwright reads 0 as "no timeout"). */
  remaining(): number {
    return Math.max(1, Math.round(this.end - performance.now()));
  }

  /** Runs one named step, rejecting as soon as the deadline passes. */
  run<T>(step: string, work: () => Promise<T>): Promise<T> {
    if (this.reason) return Promise.reject(this.reason);
    this.step = step;
    return Promise.race([work(), this.expired]);
  }

  /** Sleeps `ms`, cut short (rejecting) by the deadline. */
  sleep(ms: number): Promise<void> {
    let t: NodeJS.Timeout | undefined;
    const wait = new Promise<void>((resolve) => { t = setTimeout(resolve, ms); });
    return Promise.race([wait, this.expired]).finally(() => clearTimeout(t));
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (this.onCallerAbort) this.signal!.removeEventListener("abort", this.onCallerAbort);
  }
}
