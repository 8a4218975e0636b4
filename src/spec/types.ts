/**
 * The normalized spec: what the rest of gleaner consumes after validation.
 * Users write the looser shape documented in the README (strings for selectors,
 * "2/s" for rates, "15s" for durations); src/spec/schema.ts turns it into this.
 */

export type FieldType = "string" | "number" | "integer" | "date" | "url" | "boolean";
export const FIELD_TYPES: readonly FieldType[] = ["string", "number", "integer", "date", "url", "boolean"];

export type BuiltinRegex = "email" | "phone" | "url" | "date" | "ipv4";
export const BUILTIN_REGEXES: readonly BuiltinRegex[] = ["email", "phone", "url", "date", "ipv4"];

export interface FieldSpec {
  /** CSS selector relative to the item root (the `each` match, or the document). Absent: the root itself. */
  selector?: string;
  /** Take this attribute instead of the text. */
  attr?: string;
  /** Return every match as a list instead of the first match. */
  all: boolean;
  /** A built-in extractor name or a custom pattern ("/.../flags" or a plain pattern; group 1 if present). Applied to the selected text. */
  regex?: string;
  /** Conversion of each value. Values that do not convert become null. */
  type: FieldType;
  /** Collapse runs of whitespace and trim (default true). */
  trim: boolean;
  /** Item is dropped when this field is null or an empty list. */
  required: boolean;
  /** Value used when nothing matched. */
  default?: unknown;
}

export interface ItemSpec {
  /** Item type name (the key under `extract`). */
  type: string;
  /** One item per match of this selector; absent: one item per page (if any field has a value). */
  each?: string;
  /** URL glob: only pages whose URL matches. */
  when?: string;
  fields: Record<string, FieldSpec>;
}

export interface FollowSpec {
  selector: string;
  /** Only on pages whose URL matches this glob. */
  when?: string;
  /** Higher is fetched earlier (default 0). */
  priority: number;
  /** Attribute holding the link (default href, or src for frames). */
  attr?: string;
}

export interface ScopeSpec {
  /** Hosts allowed (a host also allows its subdomains). Default: the hosts of `start`. */
  domains: string[];
  /** URL globs (on the path+query when they start with "/", else on the whole URL). */
  include: string[];
  exclude: string[];
  /** Links deeper than this are not followed (start URLs are depth 0). */
  maxDepth: number;
  /** Hard cap on pages fetched by the job (exact, never overshot). */
  maxPages: number;
  /** Cap on pages fetched per host (exact); Infinity = none. */
  maxPagesPerHost: number;
  /** Seed the frontier from the Sitemap: lines of the start hosts' robots.txt (and /sitemap.xml). */
  sitemaps: boolean;
  /** URLs longer than this are skipped. */
  maxUrlLength: number;
  /** Crawler-trap heuristics; null = off. */
  traps: TrapSpec | null;
}

export interface TrapSpec {
  /** A path where one segment occurs this many times (e.g. /a/b/a/b/a/) is a trap. */
  repeatedSegments: number;
  /** URLs with more query parameters than this are skipped. */
  maxQueryParams: number;
  /** Distinct query strings allowed per path before further variants are skipped. */
  maxQueryVariants: number;
}

export interface SessionSpec {
  /** Sessions (cookie jars) requests are spread over. */
  count: number;
  /** A session answered this many times in a row with 401/403/429 by a host is retired (fresh cookies). */
  retireAfter: number;
}

export interface RateSpec {
  /** Requests per second (a "30/min" rate is 0.5). Infinity means no rate limit. */
  perSecond: number;
  /** Text as written, for messages. */
  text: string;
}

export type FetchMode = "http" | "browser" | "auto";
export type WaitUntil = "load" | "domcontentloaded" | "networkidle";

/** Browser interactions after load, in order (the browser fetcher runs exactly these). */
export type ActionSpec =
  /** Click; `repeat: "until-gone"` clicks (e.g. "load more") until the element is gone or hidden. */
  | { click: string; repeat?: "until-gone" | number; waitMs?: number }
  /** Scroll to the bottom `times` times (infinite scroll), pausing `waitMs` after each. */
  | { scroll: "bottom"; times: number; waitMs?: number }
  | { fill: string; value: string }
  /** Submit a form (the selector names the form or its submit button) and wait for the result page. */
  | { submit: string }
  | { wait: number }
  | { waitFor: string };

/** How pages are fetched: the spec's defaults, or a `fetch.rules` entry for matching URLs. */
export interface RenderSpec {
  mode: FetchMode;
  /** Browser: wait for this selector. Auto: its absence from the static HTML means "render". */
  waitFor?: string;
  waitUntil: WaitUntil;
  actions: ActionSpec[];
}

export interface FetchRuleSpec extends Partial<RenderSpec> {
  /** URL glob the rule applies to (the first matching rule wins). */
  when: string;
}

export interface BrowserSpec {
  maxPages: number;
  recycleAfter: number;
  memoryCeilingMB: number;
  block: ("image" | "font" | "media" | "stylesheet")[];
}

export interface FetchSpec extends RenderSpec {
  headers: Record<string, string>;
  userAgent: string;
  timeoutMs: number;
  maxRedirects: number;
  maxBodyBytes: number;
  rules: FetchRuleSpec[];
  /** Directory for a PNG screenshot of each browser-rendered page; null = none. */
  screenshots: string | null;
  browser: BrowserSpec;
}

export interface PolitenessSpec {
  robots: "obey" | "ignore";
  perHost: { rate: RateSpec; concurrency: number };
  /** Random delay added before each request to a host, in ms [min, max]. */
  jitterMs: [number, number];
  /** Global cap on requests in flight across all hosts. */
  concurrency: number;
  /** Adapt each host's delay to its latency (never faster than `perHost.rate`), slower on errors. */
  adaptive: boolean;
  /** After this many consecutive failures a host is paused for `cooldownMs` (doubling), then probed. */
  circuitBreaker: { failures: number; cooldownMs: number } | null;
}

export interface RetrySpec {
  max: number;
  backoff: "exponential" | "fixed";
  baseMs: number;
  capMs: number;
}

export interface Spec {
  name: string;
  start: string[];
  scope: ScopeSpec;
  /** null: follow every in-scope link; []: follow nothing. */
  follow: FollowSpec[] | null;
  extract: ItemSpec[];
  fetch: FetchSpec;
  politeness: PolitenessSpec;
  retries: RetrySpec;
  sessions: SessionSpec;
}
