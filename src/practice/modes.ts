/**
 * Opt-in modes: the list, their settings with defaults, and validation. Sections read
 * the resolved `ModeSettings`, never the raw options.
 */
import { GleanerError, UsageError } from "../shared/errors.js";
import type { ManifestOptions, PracticeMode } from "./types.js";

// A Record so the compiler insists every mode is listed.
const MODE_SET: Record<PracticeMode, true> = {
  ratelimit: true, flaky: true, robots: true, cookies: true, useragent: true, trap: true, slow: true, js: true,
};
export const PRACTICE_MODES = Object.keys(MODE_SET) as readonly PracticeMode[];

export interface ModeSettings {
  enabled: ReadonlySet<PracticeMode>;
  rateLimit: { perSecond: number; retryAfter: number; pages: number };
  crawlDelay: number;
  slowMs: number;
}

export const DEFAULT_RATE_PER_SECOND = 10;
export const DEFAULT_RETRY_AFTER = 1;
export const DEFAULT_LIMITED_PAGES = 30;
/** ratelimit page numbers share one quote block with room for this many. */
export const MAX_LIMITED_PAGES = 1000;
export const DEFAULT_CRAWL_DELAY = 0.1;
export const DEFAULT_SLOW_MS = 2000;

function invalid(option: string, value: unknown, expected: string): GleanerError {
  return new GleanerError("GLEANER_ERR_PRACTICE_OPTIONS", `practice site: ${option} must be ${expected}, got ${JSON.stringify(value)}`, {
    action: "stop", context: { option, value },
  });
}

function int(option: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(option, value, `an integer from ${min} to ${max}`);
  return value;
}

export function isPracticeMode(s: string): s is PracticeMode {
  return Object.prototype.hasOwnProperty.call(MODE_SET, s);
}

/** Settings with defaults filled in; throws GLEANER_ERR_PRACTICE_OPTIONS on bad values. */
export function resolveModes(opts: ManifestOptions): ModeSettings {
  const enabled = new Set<PracticeMode>();
  for (const m of opts.modes ?? []) {
    if (!isPracticeMode(m)) throw invalid("modes", m, `one of ${PRACTICE_MODES.join(", ")}`);
    enabled.add(m);
  }
  const crawlDelay = opts.crawlDelay ?? DEFAULT_CRAWL_DELAY;
  if (!Number.isFinite(crawlDelay) || crawlDelay < 0 || crawlDelay > 3600) throw invalid("crawlDelay", crawlDelay, "a number of seconds from 0 to 3600");
  const rl = opts.rateLimit ?? {};
  return {
    enabled,
    rateLimit: {
      perSecond: int("rateLimit.perSecond", rl.perSecond, DEFAULT_RATE_PER_SECOND, 0, 1_000_000),
      retryAfter: int("rateLimit.retryAfter", rl.retryAfter, DEFAULT_RETRY_AFTER, 0, 3600),
      pages: int("rateLimit.pages", rl.pages, DEFAULT_LIMITED_PAGES, 1, MAX_LIMITED_PAGES),
    },
    crawlDelay,
    slowMs: int("slowMs", opts.slowMs, DEFAULT_SLOW_MS, 0, 600_000),
  };
}

/** `--modes ratelimit,robots` -> modes; throws UsageError naming a bad one. */
export function parseModes(list: string): PracticeMode[] {
  const out: PracticeMode[] = [];
  for (const raw of list.split(",")) {
    const m = raw.trim();
    if (m === "") continue;
    if (!isPracticeMode(m)) throw new UsageError(`--modes: "${m}" is not one of ${PRACTICE_MODES.join(", ")}`);
    out.push(m);
  }
  return out;
}
