/**
 * robots.txt parser (RFC 9309 2.1-2.2, 2.5): turns the file into the rules that apply to one
 * crawler. Only the group(s) for our product token are compiled (else the `*` group(s)),
 * so a 500 KiB file with rules for hundreds of other bots costs one line scan.
 *
 * Records: user-agent, allow, disallow (the protocol); sitemap (global) and crawl-delay
 * (per group, seconds, non-standard but widely used). Anything else is ignored and does not
 * end a group (RFC 9309 2.2.4); so are lines without a colon and rules before the first
 * user-agent line.
 */
import {
  compileRule,
  findMatch,
  indexRules,
  type CompiledRule,
  type RobotsMatch,
  type RuleIndex,
} from "./matcher.js";

export type { RobotsMatch } from "./matcher.js";

export interface RobotsRules {
  /** True if `pathAndQuery` (e.g. "/a/b?x=1", as it appears in the URL, percent-encoded) may be fetched. */
  isAllowed(pathAndQuery: string): boolean;
  /** The deciding rule (for "blocked by robots.txt rule Disallow: /x"); null if none matched (allowed). */
  match(pathAndQuery: string): RobotsMatch | null;
  /** Crawl-delay of the chosen group in ms (capped at 60 s), or null. */
  readonly crawlDelayMs: number | null;
  /** Absolute URLs of all Sitemap: lines (every group), resolved against the robots.txt URL. */
  readonly sitemaps: string[];
}

/** RFC 9309 2.5: parse at least 500 KiB; we parse exactly that much and no more. */
export const MAX_ROBOTS_BYTES = 512_000;
/** Upper bound for Crawl-delay: a site asking for more is treated as asking for this. */
export const MAX_CRAWL_DELAY_MS = 60_000;

class CompiledRobots implements RobotsRules {
  constructor(
    private readonly rules: RuleIndex,
    readonly crawlDelayMs: number | null,
    readonly sitemaps: string[],
  ) {}

  isAllowed(pathAndQuery: string): boolean {
    const m = findMatch(this.rules, pathAndQuery);
    return m === null || m.allow;
  }

  match(pathAndQuery: string): RobotsMatch | null {
    return findMatch(this.rules, pathAndQuery);
  }
}

const NO_SITEMAPS = Object.freeze([]) as unknown as string[];

/** No robots.txt (4xx): everything may be fetched. */
export const ALLOW_ALL: RobotsRules = Object.freeze(new CompiledRobots(indexRules([]), null, NO_SITEMAPS));
/** Robots.txt unreachable (5xx, network error): nothing but /robots.txt may be fetched. */
export const DISALLOW_ALL: RobotsRules = Object.freeze(
  new CompiledRobots(indexRules([compileRule(false, "/", 0)!]), null, NO_SITEMAPS),
);

/** The product token of a User-Agent string: its leading letters, `_` and `-` ("gleaner/1.0" -> "gleaner"). */
export function productToken(userAgent: string): string {
  const m = /^[A-Za-z_-]+/.exec(userAgent.trim());
  return m === null ? "" : m[0].toLowerCase();
}

/** The first MAX_ROBOTS_BYTES of UTF-8 text, cut after the last whole line. */
function capSize(text: string): string {
  if (text.length * 3 <= MAX_ROBOTS_BYTES) return text; // cannot exceed the cap
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= MAX_ROBOTS_BYTES) return text;
  let end = MAX_ROBOTS_BYTES;
  const next = bytes[end];
  if (next !== 0x0a && next !== 0x0d) {
    // A line cut in two would be a different (shorter) rule: drop the partial line.
    end = Math.max(bytes.lastIndexOf(0x0a, end - 1), bytes.lastIndexOf(0x0d, end - 1)) + 1;
  }
  return bytes.toString("utf8", 0, end);
}

function parseCrawlDelay(value: string): number | null {
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value)) return null; // also rejects negatives
  return Math.min(Math.round(Number(value) * 1000), MAX_CRAWL_DELAY_MS);
}

function resolveSitemap(value: string, base: string | undefined): string | null {
  try {
    const u = base === undefined ? new URL(value) : new URL(value, base);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

function maxDelay(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

/** One set of rules for one audience: our own token's groups, or the `*` groups. */
interface Audience {
  seen: boolean;
  rules: CompiledRule[];
  delayMs: number | null;
}

/**
 * Parse `text` for the crawler identified by `userAgent` (full UA string; its product token
 * is matched case-insensitively against each group's user-agent lines). `robotsUrl` is the
 * URL robots.txt was fetched from (after redirects), used to resolve relative sitemaps.
 */
export function parseRobots(text: string, userAgent: string, robotsUrl?: string): RobotsRules {
  const token = productToken(userAgent);
  const own: Audience = { seen: false, rules: [], delayMs: null };
  const star: Audience = { seen: false, rules: [], delayMs: null };
  const sitemaps = new Set<string>();

  let body = capSize(text);
  if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);

  let inGroup = false; // a user-agent line has been seen
  let inAgentRun = false; // the last record was a user-agent line: the next one extends this group
  let forOwn = false;
  let forStar = false;

  const lines = body.split(/\r\n|\r|\n/);
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    const hash = line.indexOf("#");
    if (hash >= 0) line = line.slice(0, hash);
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();

    switch (key) {
      case "user-agent": {
        if (!inAgentRun) {
          inAgentRun = true;
          inGroup = true;
          forOwn = false;
          forStar = false;
        }
        if (value.startsWith("*")) {
          forStar = true;
          star.seen = true;
        } else if (token !== "" && productToken(value) === token) {
          forOwn = true;
          own.seen = true;
        }
        break;
      }
      case "allow":
      case "disallow": {
        inAgentRun = false;
        if (!inGroup || !(forOwn || forStar)) break;
        const rule = compileRule(key === "allow", value, n + 1);
        if (rule === null) break;
        if (forOwn) own.rules.push(rule);
        if (forStar) star.rules.push(rule);
        break;
      }
      case "crawl-delay": {
        inAgentRun = false;
        if (!inGroup) break;
        const ms = parseCrawlDelay(value);
        if (forOwn) own.delayMs = maxDelay(own.delayMs, ms);
        if (forStar) star.delayMs = maxDelay(star.delayMs, ms);
        break;
      }
      case "sitemap": {
        if (value === "") break;
        const url = resolveSitemap(value, robotsUrl);
        if (url !== null) sitemaps.add(url);
        break;
      }
      default:
        break; // unknown record: ignored, and it does not end a group
    }
  }

  // RFC 9309 2.2.1: our groups (even an empty one) win; else the `*` groups; else no rules.
  const chosen = own.seen ? own : star;
  return new CompiledRobots(indexRules(chosen.rules), chosen.delayMs, [...sitemaps]);
}
