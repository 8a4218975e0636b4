/**
 * Per-host politeness: concurrency slots and a strict rate (burst of one, so the configured
 * rate holds over any window), plus random jitter, under a global cap on requests in flight.
 * Each host keeps its own state, so a slow, paused or failing host never holds back the others.
 * On top: an optional adaptive delay (AutoThrottle-style) and a circuit breaker.
 */

export interface HostPolicy {
  /** Requests per second; Infinity = no rate limit. */
  ratePerSecond: number;
  concurrency: number;
  jitterMs: [number, number];
  /** Learn each host's delay from its latency; never faster than the rate. */
  adaptive?: boolean;
  /** Consecutive failures that pause a host, and the first pause. */
  circuitBreaker?: { failures: number; cooldownMs: number } | null;
}

export type Outcome = "ok" | "throttled" | "failed";

interface HostState {
  inFlight: number;
  /** Earliest time the next request may start. */
  nextAt: number;
  /** Host paused (Retry-After, circuit breaker) until this time. */
  pausedUntil: number;
  /** A floor on the interval between starts (robots.txt Crawl-delay), ms. */
  minIntervalMs: number;
  /** Adaptive delay, ms (0 when adaptive is off). */
  adaptiveMs: number;
  failures: number;
  cooldownMs: number;
  /** After a breaker pause: one probe at a time until a success. */
  halfOpen: boolean;
}

const MAX_ADAPTIVE_MS = 60_000;
const MAX_COOLDOWN_MS = 10 * 60_000;

export class HostScheduler {
  private readonly hosts = new Map<string, HostState>();
  private inFlightTotal = 0;
  private readonly rateIntervalMs: number;

  constructor(
    private readonly policy: HostPolicy,
    private readonly globalConcurrency: number,
    private readonly random: () => number = Math.random,
    private readonly onBreaker?: (info: { host: string; pausedMs: number; failures: number }) => void,
  ) {
    this.rateIntervalMs = Number.isFinite(policy.ratePerSecond) ? 1000 / policy.ratePerSecond : 0;
  }

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
    if (h.inFlight >= (h.halfOpen ? 1 : this.policy.concurrency)) return Infinity;
    const at = Math.max(h.nextAt, h.pausedUntil);
    return at > now ? at - now : 0;
  }

  /** Take a slot for `host` (call only when waitTime() is 0). */
  start(host: string, now: number): void {
    const h = this.state(host);
    h.inFlight++;
    this.inFlightTotal++;
    const interval = Math.max(h.minIntervalMs, this.rateIntervalMs, h.adaptiveMs);
    const [jMin, jMax] = this.policy.jitterMs;
    const jitter = jMax > 0 ? jMin + this.random() * (jMax - jMin) : 0;
    h.nextAt = Math.max(now, h.nextAt) + interval + jitter;
  }

  /**
   * One more request within a slot already held (a redirect hop): ms to wait before it may go,
   * or 0, in which case the turn is taken (the rate and jitter apply to hops too).
   */
  takeTurn(host: string, now: number): number {
    const h = this.state(host);
    const at = Math.max(h.nextAt, h.pausedUntil);
    if (at > now) return at - now;
    const [jMin, jMax] = this.policy.jitterMs;
    h.nextAt = now + Math.max(h.minIntervalMs, this.rateIntervalMs, h.adaptiveMs) + (jMax > 0 ? jMin + this.random() * (jMax - jMin) : 0);
    return 0;
  }

  /**
   * A request to `host` is done. A Crawl-delay also runs from here, as well as from the start:
   * a request that waited for its connection may reach the server late, and the site asked
   * for that much quiet between our requests, not only between our starts.
   */
  finish(host: string, now: number = Date.now()): void {
    const h = this.hosts.get(host);
    if (!h || h.inFlight === 0) return;
    h.inFlight--;
    this.inFlightTotal--;
    if (h.minIntervalMs > 0) h.nextAt = Math.max(h.nextAt, now + h.minIntervalMs);
  }

  /**
   * How a request went: feeds the adaptive delay and the circuit breaker. "throttled" is a
   * 429/503 (the host asks us to slow down); "failed" a network error, timeout or 5xx.
   */
  record(host: string, outcome: Outcome, latencyMs: number, now: number): void {
    const h = this.state(host);
    if (this.policy.adaptive) {
      if (outcome === "ok") {
        const target = latencyMs / Math.max(1, this.policy.concurrency);
        h.adaptiveMs = Math.min(MAX_ADAPTIVE_MS, Math.max(target, (h.adaptiveMs + target) / 2));
      } else {
        h.adaptiveMs = Math.min(MAX_ADAPTIVE_MS, Math.max(250, h.adaptiveMs * 2));
      }
    }
    const breaker = this.policy.circuitBreaker;
    if (outcome === "ok") {
      h.failures = 0;
      h.halfOpen = false;
      h.cooldownMs = 0;
      return;
    }
    if (!breaker) return;
    h.failures++;
    if (h.halfOpen || h.failures >= breaker.failures) {
      h.cooldownMs = h.cooldownMs === 0 ? breaker.cooldownMs : Math.min(MAX_COOLDOWN_MS, h.cooldownMs * 2);
      h.pausedUntil = Math.max(h.pausedUntil, now + h.cooldownMs);
      h.halfOpen = true;
      h.failures = 0;
      this.onBreaker?.({ host, pausedMs: h.cooldownMs, failures: breaker.failures });
    }
  }

  /** Hold every request to `host` until `until` (ms epoch). */
  pause(host: string, until: number): void {
    const h = this.state(host);
    h.pausedUntil = Math.max(h.pausedUntil, until);
  }

  pausedUntil(host: string): number {
    return this.hosts.get(host)?.pausedUntil ?? 0;
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

  /** Current delay between requests to `host` (rate, Crawl-delay, adaptive), ms. */
  delayOf(host: string): number {
    const h = this.hosts.get(host);
    return Math.max(this.rateIntervalMs, h?.minIntervalMs ?? 0, h?.adaptiveMs ?? 0);
  }

  private state(host: string): HostState {
    let h = this.hosts.get(host);
    if (!h) {
      h = { inFlight: 0, nextAt: 0, pausedUntil: 0, minIntervalMs: 0, adaptiveMs: 0, failures: 0, cooldownMs: 0, halfOpen: false };
      this.hosts.set(host, h);
    }
    return h;
  }
}
