/** Which failures are worth retrying, and when. */
import type { RetrySpec } from "../spec/types.js";

/** Statuses where the server may answer differently later. Other 4xx/5xx are final. */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/**
 * Delay before retry number `failures + 1`: exponential (or fixed) from `baseMs`, capped,
 * with "equal jitter" (half fixed, half random) so retries of many pages spread out.
 */
export function backoffMs(spec: RetrySpec, failures: number, random: () => number = Math.random): number {
  const raw = spec.backoff === "fixed" ? spec.baseMs : spec.baseMs * 2 ** failures;
  const capped = Math.min(spec.capMs, raw);
  return capped / 2 + (random() * capped) / 2;
}

/** Retry-After header (seconds or HTTP-date) -> ms epoch, or null if absent/invalid. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return now + Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(now, t);
}
