/**
 * Public types of the practice site: options, the manifest (what the site contains,
 * computed without serving) and the section contract other engineers extend.
 */
import type { IncomingHttpHeaders } from "node:http";

/**
 * Opt-in areas for politeness and browser tests (README.md, "Modes"). Without modes the
 * site is exactly the default one; each mode adds its home links, pages and manifest.
 */
export type PracticeMode = "ratelimit" | "flaky" | "robots" | "cookies" | "useragent" | "trap" | "slow" | "js";

export interface PracticeSiteOptions {
  /** Approximate number of crawlable HTML pages (default 200; exact within ~1% from 200 up). */
  pages?: number;
  /** PRNG seed: the same options always give the same site (default 1). */
  seed?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0 = a free port). */
  port?: number;
  /** Keep a request log in `requestLog` (default: false, or true when `modes` are given). */
  log?: boolean;
  /** Render and compress every page before listening (default false; main.ts turns it on). */
  warm?: boolean;
  /** Opt-in modes (default none). */
  modes?: PracticeMode[];
  /** `ratelimit` mode: see README.md. */
  rateLimit?: RateLimitOptions;
  /** `robots` mode: the `Crawl-delay` of the `*` group, in seconds (default 0.1). */
  crawlDelay?: number;
  /** `slow` mode: how long `/slow/N` pages wait before answering, in ms (default 2000). */
  slowMs?: number;
}

export interface RateLimitOptions {
  /** More requests than this to the site within the last second get a 429 (default 10; 0 = no global limit). */
  perSecond?: number;
  /** Retry-After, in whole seconds (default 1). */
  retryAfter?: number;
  /** How many `/limited/N` pages (default 30). */
  pages?: number;
}

/** The options the manifest depends on. */
export type ManifestOptions = Omit<PracticeSiteOptions, "host" | "port" | "log" | "warm">;

export interface QuoteItem { text: string; author: string; tags: string[] }
export interface AuthorItem { name: string; born: string /* YYYY-MM-DD */; location: string; email: string }
export interface JobItem { title: string; company: string; location: string; salary: number; posted: string /* YYYY-MM-DD */; email: string }
export interface ProductItem { name: string; price: number; stock: number; sku: string }

export interface SiteItems {
  quote: QuoteItem[];
  author: AuthorItem[];
  job: JobItem[];
  product: ProductItem[];
}

export interface RedirectEntry { from: string; to: string; status: number }
export interface FileEntry { path: string; contentType: string }

/**
 * Everything reachable by following `<a href>` links from `/`. Paths are canonical:
 * path plus sorted query, no fragment (e.g. "/jobs/?page=2", "/links/target?a=1&b=2").
 */
export interface SiteManifest {
  /** HTML pages answering 200 (after redirects: the final path). */
  pages: string[];
  /** Each hop of every redirect chain that ends at a page. */
  redirects: RedirectEntry[];
  /** Every path in a redirect cycle (they never answer 200). */
  redirectLoops: string[];
  /** Linked paths answering 404. */
  notFound: string[];
  /** Linked non-HTML files. */
  files: FileEntry[];
  /** Exactly what examples/practice.yaml extracts from a full crawl; each item unique. */
  items: SiteItems;
  /**
   * `robots` mode only: linked paths that robots.txt blocks for `User-agent: *` (pages,
   * files or 404s alike). They appear in no other list: an obedient crawler never fetches them.
   */
  disallowed?: string[];
  /** Only when modes are enabled: what each mode adds, for exact checks. */
  modes?: ModesManifest;
}

export interface ModesManifest {
  ratelimit?: {
    perSecond: number;
    retryAfter: number;
    /** Every `/limited/N`: each answers 429 to its first request. */
    paths: string[];
    /** The subset whose Retry-After is an HTTP-date (the rest use delta-seconds). */
    httpDate: string[];
  };
  /** Path -> how many 503s it answers before its 200. */
  flaky?: { failures: Record<string, number> };
  robots?: { crawlDelay: number; /** Groups other than `*` and what they disallow. */ groups: Record<string, string[]> };
  cookies?: { cookie: string; login: string; /** Pages that need the session cookie. */ paths: string[] };
  useragent?: { /** Source of the case-insensitive regex whose matches get 403. */ blocked: string; paths: string[] };
  trap?: {
    /** Canonical paths linked from `/` that lead into endless generated pages. */
    entrances: string[];
    /** Every trap page's path starts with one of these. */
    prefixes: string[];
  };
  slow?: { delayMs: number; paths: string[] };
  js?: {
    /** Every page whose items only exist after its scripts run. */
    needsBrowser: string[];
    pages: JsPageEntry[];
    /** JSON endpoints the scripts fetch (not linked). */
    api: string[];
    /** Script files the pages load (not linked). */
    scripts: string[];
  };
}

export interface JsPageEntry {
  path: string;
  /** The static page whose items are the same (null: none is). */
  twin: string | null;
  /** What it takes to get `items`: load (scripts and their fetches), clicking
   * `button.load-more` until it is gone, or scrolling to the bottom until `.end-of-list` shows. */
  interaction: "load" | "click" | "scroll";
  /** Items present after load, before any interaction. */
  initialItems: number;
  /** What a browser render yields (in page order). */
  items: QuoteItem[];
}

export interface RequestLogEntry {
  /** ms since epoch (performance.timeOrigin + performance.now()). */
  at: number;
  method: string;
  /** Request target as sent: path plus query. */
  path: string;
  userAgent: string;
  status: number;
  /** 429s only: the Retry-After deadline sent (ms since epoch); no request should arrive before it. */
  retryUntil?: number;
}

export interface PracticeSite {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  port: number;
  manifest: SiteManifest;
  requestLog: RequestLogEntry[];
  close(): Promise<void>;
}

/** A response. Static ones are cached with their compressed forms (`encoded`). */
export interface Reply {
  status: number;
  contentType: string;
  body: Buffer;
  /** Extra headers (Location, Retry-After, Set-Cookie, ...). */
  headers?: Record<string, string>;
  /** Worth compressing when the client accepts it (HTML, XML, JSON, text). */
  compressible: boolean;
  /** Filled lazily by the server: gzip / br forms of `body`. */
  encoded?: { gzip?: Buffer; br?: Buffer };
  /** Answer only after this many ms (slow pages). */
  delayMs?: number;
  /** The Retry-After deadline this reply announces (ms since epoch), for the request log. */
  retryUntil?: number;
}

export interface PracticeRequest {
  method: string;
  /** Path without the query, as sent (not decoded). */
  path: string;
  /** Query without "?" ("" when absent). */
  query: string;
  headers: IncomingHttpHeaders;
}

/**
 * One area of the site. `handle` answers the paths it owns (undefined: not mine);
 * `contribute` adds what it links and yields to the manifest. To add an area (429s,
 * cookie walls, traps, ...) write a section and list it in router.ts.
 */
export interface Section {
  readonly name: string;
  /** Links for the home page, so one crawl from `/` reaches the section. */
  readonly homeLinks: readonly { href: string; label: string }[];
  handle(req: PracticeRequest): Reply | undefined;
  /** Sees every request before any section handles it (site-wide rate limits). */
  gate?(req: PracticeRequest): Reply | undefined;
  contribute(manifest: SiteManifest): void;
  /** Runs after every section contributed (robots rules prune what they block). */
  finish?(manifest: SiteManifest): void;
  /** Requests worth pre-rendering when the site is warmed (static pages). */
  warmPaths?(): Iterable<string>;
}
