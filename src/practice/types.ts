/**
 * Public types of the practice site: options, the manifest (what the site contains,
 * computed without serving) and the section contract other engineers extend.
 */
import type { IncomingHttpHeaders } from "node:http";

export interface PracticeSiteOptions {
  /** Approximate number of crawlable HTML pages (default 200; exact within ~1% from 200 up). */
  pages?: number;
  /** PRNG seed: the same options always give the same site (default 1). */
  seed?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0 = a free port). */
  port?: number;
  /** Keep a request log in `requestLog` (default false: benchmarks should not pay for it). */
  log?: boolean;
  /** Render and compress every page before listening (default false; main.ts turns it on). */
  warm?: boolean;
}

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
}

export interface RequestLogEntry {
  /** ms since epoch (performance.timeOrigin + performance.now()). */
  at: number;
  method: string;
  /** Request target as sent: path plus query. */
  path: string;
  userAgent: string;
  status: number;
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
  contribute(manifest: SiteManifest): void;
  /** Requests worth pre-rendering when the site is warmed (static pages). */
  warmPaths?(): Iterable<string>;
}
