/**
 * robots.txt in the dispatch path. Rules are fetched once per origin through the normal
 * fetcher, inside a politeness slot of that host (so the robots.txt request obeys the rate
 * too); until they are known, that host's queue waits. Blocked URLs are never fetched.
 */
import type { Fetcher } from "../fetch/index.js";
import { FetchError } from "../fetch/index.js";
import { DISALLOW_ALL, RobotsCache, type RobotsRules } from "../politeness/robots/index.js";
import type { Logger } from "../shared/log.js";
import type { Spec } from "../spec/types.js";

export type RobotsVerdict =
  | { kind: "allowed"; crawlDelayMs: number | null }
  | { kind: "blocked"; reason: string }
  /** robots.txt answered 5xx or not at all: nothing may be fetched now; try again later. */
  | { kind: "unreachable"; reason: string }
  | { kind: "unknown"; origin: string };

export class RobotsGate {
  private readonly cache: RobotsCache;
  private readonly pending = new Set<string>();

  constructor(spec: Spec, fetcher: Fetcher, log: Logger) {
    this.cache = new RobotsCache({
      userAgent: spec.fetch.userAgent,
      fetch: async (url) => {
        const page = await fetcher.fetch({
          url,
          headers: spec.fetch.headers,
          userAgent: spec.fetch.userAgent,
          timeoutMs: spec.fetch.timeoutMs,
          maxRedirects: 5, // RFC 9309 2.3.1.2
          maxBodyBytes: 2 * 1024 * 1024, // the parser reads the first 500 KiB
        });
        return { status: page.status, text: page.text, finalUrl: page.finalUrl };
      },
      onUnreachable: ({ origin, status, error }) =>
        log.warn("robots.unreachable", { origin, status, error: error instanceof FetchError ? error.message : error ? String(error) : undefined, effect: "host disallowed until robots.txt can be fetched" }),
    });
  }

  /** Synchronous verdict for a canonical URL; "unknown" means its origin's rules must be fetched first. */
  check(url: string): RobotsVerdict {
    const rules = this.cache.peek(url);
    if (rules === undefined) return { kind: "unknown", origin: this.cache.originOf(url) };
    if (rules === DISALLOW_ALL) return { kind: "unreachable", reason: `robots.txt of ${this.cache.originOf(url)} could not be fetched (5xx or network error); nothing is fetched from it until it can` };
    const path = pathAndQuery(url);
    if (rules.isAllowed(path)) return { kind: "allowed", crawlDelayMs: rules.crawlDelayMs };
    const m = rules.match(path);
    return { kind: "blocked", reason: `blocked by robots.txt: ${m ? `${m.allow ? "Allow" : "Disallow"}: ${m.pattern} (line ${m.line})` : "disallowed"}` };
  }

  isFetching(origin: string): boolean {
    return this.pending.has(origin);
  }

  /** Fetch the rules of `origin` (caller holds a politeness slot for its host). */
  async load(url: string, origin: string): Promise<RobotsRules> {
    this.pending.add(origin);
    try {
      return await this.cache.rulesFor(url);
    } finally {
      this.pending.delete(origin);
    }
  }
}

function pathAndQuery(canonicalUrl: string): string {
  const i = canonicalUrl.indexOf("/", canonicalUrl.indexOf("//") + 2);
  return i < 0 ? "/" : canonicalUrl.slice(i);
}
