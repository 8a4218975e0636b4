/**
 * Per-host politeness: concurrency slots and a strict rate (burst of one, so the configured
 * rate holds over any window), plus random jitter, under a global cap on requests in flight.
 * Each host keeps its own state, so a slow or paused host never holds back the others.
 */

export interface HostPolicy {
  /** Requests per second; Infinity = no rate limit. */
  ratePerSecond: number;
  concurrency: number;
  jitterMs: [number, number];
}

interface HostState {
  inFlight: number;
  /** Earliest time the next request may start. */
  nextAt: number;
  /** Host paused (Retry-After, circuit breaker) until this time. */
  pausedUntil: number;
  /** A floor on the interval between starts (robots.txt Crawl-delay), ms. */
  minIntervalMs: number;
}

export class HostScheduler {
  private readonly hosts = new Map<string, HostState>();
  private inFlightTotal = 0;

  constructor(
    private readonly policy: HostPolicy,
    private readonly globalConcurrency: number,
    private readonly random: () => number = Math.random,
  ) {}

  get inFlight(): number {
    return this.inFlightTotal;
  }

  get globalSlotFree(): boolean {
    return this.inFlightTotal < this.globalConcurrency;
  }

  /** 0 if a request to `host` may start now; else ms until it may (Infinity: wait for a slot to free). */
  waitTime(host: string, now: number): number {
    if (this.inFlightTotal >= this.globalConcurrency) return Infinity;
    const h = this.hosts.get(host);
    if (!h) return 0;
    if (h.inFlight >= this.policy.concurrency) return Infinity;
    const at = Math.max(h.nextAt, h.pausedUntil);
    return at > now ? at - now : 0;
  }

  /** Take a slot for `host` (call only when waitTime() is 0). */
  start(host: string, now: number): void {
    const h = this.state(host);
    h.inFlight++;
    this.inFlightTotal++;
    const interval = Math.max(h.minIntervalMs, Number.isFinite(this.policy.ratePerSecond) ? 1000 / this.policy.ratePerSecond : 0);
    const [jMin, jMax] = this.policy.jitterMs;
    const jitter = jMax > 0 ? jMin + this.random() * (jMax - jMin) : 0;
    h.nextAt = Math.max(now, h.nextAt) + interval + jitter;
  }

  finish(host: string): void {
    const h = this.hosts.get(host);
    if (!h || h.inFlight === 0) return;
    h.inFlight--;
    this.inFlightTotal--;
  }

  /** Hold every request to `host` until `until` (ms epoch). */
  pause(host: string, until: number): void {
    const h = this.state(host);
    h.pausedUntil = Math.max(h.pausedUntil, until);
  }

  /** Never start requests to `host` closer together than `ms` (e.g. robots.txt Crawl-delay). */
  setMinInterval(host: string, ms: number, now: number): void {
    const h = this.state(host);
    h.minIntervalMs = ms;
    // Learned from a response (robots.txt): count from now, which is at or after that request reached the server.
    h.nextAt = Math.max(h.nextAt, now + ms);
  }

  hostInFlight(host: string): number {
    return this.hosts.get(host)?.inFlight ?? 0;
  }

  private state(host: string): HostState {
    let h = this.hosts.get(host);
    if (!h) {
      h = { inFlight: 0, nextAt: 0, pausedUntil: 0, minIntervalMs: 0 };
      this.hosts.set(host, h);
    }
    return h;
  }
}
