/** Plain data exchanged with the fetch stage (see index.ts for the public surface). */

export interface FetchRequest {
  url: string;
  /** Extra headers from the spec; they override the defaults (case-insensitive). */
  headers?: Record<string, string>;
  userAgent: string;
  /** Whole request: connect + headers + body, across all redirect hops. */
  timeoutMs: number;
  /** e.g. 10; 0 = do not follow (the 3xx is returned as the final response). */
  maxRedirects: number;
  /** Cap on the decompressed body, e.g. 10 MiB. */
  maxBodyBytes: number;
  signal?: AbortSignal;
  /** A session's cookie jar: read before each hop, fed every Set-Cookie (redirects included). */
  cookies?: CookieAccess;
  /** Awaited before following each redirect, so politeness can pace the extra requests. */
  beforeRedirect?: (nextUrl: string) => Promise<void>;
  /** Keep the raw (decompressed) body of any type in `body` (e.g. gzipped sitemaps). */
  keepBody?: boolean;
}

/** Synchronous cookie jar access (tough-cookie's *Sync methods fit). */
export interface CookieAccess {
  /** Value for the Cookie header of a request to `url` ("" if none). */
  header(url: string): string;
  /** Record the Set-Cookie headers of a response from `url`. */
  store(url: string, setCookies: string[]): void;
}

export interface RedirectHop {
  /** URL that answered with the redirect. */
  url: string;
  status: number;
  /** Raw Location header value (may be relative). */
  location: string;
}

export interface FetchedPage {
  /** Requested URL, as given. */
  url: string;
  /** URL of the final response, after redirects (fragment removed). */
  finalUrl: string;
  /** Final status; non-2xx is returned, not thrown. */
  status: number;
  /** Lower-case names; repeated headers joined with ", " (set-cookie with "\n"). */
  headers: Record<string, string>;
  redirects: RedirectHop[];
  /** Mime type only, lower-case ("text/html"); "" if none. */
  contentType: string;
  /** WHATWG encoding name used to decode `text`; null for binary. */
  charset: string | null;
  isHtml: boolean;
  /**
   * Decoded text for html/xml/json/text types; null for other types (recorded, not parsed). A
   * UTF-8 HTML page from the HTTP fetcher decodes it on first read (lazy-text.ts).
   */
  text: string | null;
  /** Decompressed body length. */
  bodyBytes: number;
  /** Raw decompressed body, when the request asked for it (keepBody). */
  body?: Buffer;
  elapsedMs: number;
}

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchedPage>;
  close(): Promise<void>;
}

export interface HttpFetcherOptions {
  /** Connections per origin (default 32). */
  connections?: number;
  /** TCP + TLS connect timeout (default 10 000 ms); the request deadline still applies. */
  connectTimeoutMs?: number;
  /** Idle keep-alive socket lifetime (default 4 000 ms, below Node's server default of 5 s). */
  keepAliveTimeoutMs?: number;
  /**
   * Refuses connections (SSRF): given an address and the URL's host, returns the rule the
   * address breaks ("loopback", ...) or null. Checked on every resolved address and on IP-literal hosts.
   */
  guard?: (address: string, host: string) => string | null;
}
