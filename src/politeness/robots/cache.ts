/**
 * Per-origin robots.txt cache (RFC 9309 2.3.1, 2.4). One fetch per origin at a time: callers
 * arriving while it runs share it. What a fetch result means:
 * - 2xx: parse the body; cached for ttlMs (24 h by default, the RFC's maximum);
 * - 3xx (the fetcher gave up following redirects) and 4xx: "unavailable", allow all; ttlMs;
 * - 5xx, other statuses, or a thrown error: "unreachable", disallow all, but only for
 *   retryMs, after which the next rulesFor() fetches again.
 * Redirects are the fetch function's job (RFC: follow at least five hops).
 */
import { GleanerError } from "../../shared/errors.js";
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type RobotsRules } from "./parse.js";

/** What the injected fetch returns. A network failure must throw instead. */
export interface RobotsFetchResult {
  status: number;
  text: string | null;
  /** URL the body came from, after redirects: relative Sitemap: lines resolve against it. */
  finalUrl: string;
}

export interface RobotsCacheOptions {
  /** Full User-Agent string; its product token selects the group. */
  userAgent: string;
  fetch: (url: string) => Promise<RobotsFetchResult>;
  /** How long a fetched (2xx/4xx) robots.txt is used. Default 24 h. */
  ttlMs?: number;
  /** How long "unreachable" (5xx, network error) means disallow-all before fetching again. Default 60 s. */
  retryMs?: number;
  now?: () => number;
  /** Told when robots.txt is unreachable, so the caller can log why a host is blocked. */
  onUnreachable?: (info: { origin: string; status?: number; error?: unknown }) => void;
}

export const DEFAULT_ROBOTS_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_ROBOTS_RETRY_MS = 60_000;

interface Entry {
  rules: RobotsRules | undefined;
  expiresAt: number;
  pending: Promise<RobotsRules> | undefined;
}

/** URL prefixes ("https://Example.com:443") already mapped to their origin; bounded. */
const ORIGIN_MEMO_LIMIT = 10_000;

export class RobotsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly originMemo = new Map<string, string>();
  private readonly userAgent: string;
  private readonly fetchRobots: (url: string) => Promise<RobotsFetchResult>;
  private readonly ttlMs: number;
  private readonly retryMs: number;
  private readonly now: () => number;
  private readonly onUnreachable: RobotsCacheOptions["onUnreachable"];

  constructor(opts: RobotsCacheOptions) {
    this.userAgent = opts.userAgent;
    this.fetchRobots = opts.fetch;
    this.ttlMs = opts.ttlMs ?? DEFAULT_ROBOTS_TTL_MS;
    this.retryMs = opts.retryMs ?? DEFAULT_ROBOTS_RETRY_MS;
    this.now = opts.now ?? Date.now;
    this.onUnreachable = opts.onUnreachable;
  }

  /**
   * Rules for the origin of `url`, fetching its /robots.txt when not cached (or expired).
   * Never rejects for fetch problems (they mean disallow-all); throws a GleanerError
   * (GLEANER_ERR_ROBOTS_URL, skip) for a URL that is not http(s).
   */
  rulesFor(url: string | URL): Promise<RobotsRules> {
    const origin = this.originOf(url);
    let e = this.entries.get(origin);
    if (e === undefined) {
      e = { rules: undefined, expiresAt: 0, pending: undefined };
      this.entries.set(origin, e);
    } else if (e.rules !== undefined && this.now() < e.expiresAt) {
      return Promise.resolve(e.rules);
    }
    e.pending ??= this.load(origin, e);
    return e.pending;
  }

  /** Cached rules for the origin of `url`, or undefined if not fetched yet or expired. */
  peek(url: string | URL): RobotsRules | undefined {
    const e = this.entries.get(this.originOf(url));
    return e !== undefined && e.rules !== undefined && this.now() < e.expiresAt ? e.rules : undefined;
  }

  /** "http://host:port" for `url` (default ports omitted, host lower-cased, as WHATWG URL does). */
  originOf(url: string | URL): string {
    if (typeof url !== "string") return checkedOrigin(url, url.href);
    // Memoize on the raw "scheme://authority" prefix so the hot path does not parse URLs.
    const sep = url.indexOf("://");
    if (sep <= 0) return checkedOrigin(parseUrl(url), url);
    let end = sep + 3;
    while (end < url.length) {
      const c = url.charCodeAt(end);
      if (c === 0x2f || c === 0x3f || c === 0x23 || c === 0x5c) break; // / ? # \
      end++;
    }
    const prefix = url.slice(0, end);
    let origin = this.originMemo.get(prefix);
    if (origin === undefined) {
      origin = checkedOrigin(parseUrl(prefix), url);
      if (this.originMemo.size >= ORIGIN_MEMO_LIMIT) this.originMemo.clear();
      this.originMemo.set(prefix, origin);
    }
    return origin;
  }

  private async load(origin: string, e: Entry): Promise<RobotsRules> {
    const robotsUrl = origin + "/robots.txt";
    let rules: RobotsRules = DISALLOW_ALL;
    let ttl = this.retryMs;
    let failure: { origin: string; status?: number; error?: unknown } | undefined;
    try {
      const res = await this.fetchRobots(robotsUrl);
      if (res.status >= 200 && res.status < 300) {
        rules = parseRobots(res.text ?? "", this.userAgent, res.finalUrl || robotsUrl);
        ttl = this.ttlMs;
      } else if (res.status >= 300 && res.status < 500) {
        rules = ALLOW_ALL;
        ttl = this.ttlMs;
      } else {
        failure = { origin, status: res.status };
      }
    } catch (error) {
      failure = { origin, error };
    }
    e.rules = rules;
    e.expiresAt = this.now() + ttl;
    e.pending = undefined;
    if (failure !== undefined) this.onUnreachable?.(failure); // after the entry is consistent
    return rules;
  }
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function checkedOrigin(u: URL | null, url: string): string {
  if (u === null || (u.protocol !== "http:" && u.protocol !== "https:")) {
    throw new GleanerError("GLEANER_ERR_ROBOTS_URL", `robots.txt applies to http(s) URLs, not ${JSON.stringify(url)}`, {
      action: "skip",
      context: { url },
    });
  }
  return `${u.protocol}//${u.host}`;
}
