/** Plain data of the browser fetcher (public surface in index.ts). */
import type { ActionSpec } from "../../spec/types.js";
import type { CookieAccess, FetchedPage, FetchRequest, Fetcher } from "../types.js";

export type BlockableResource = "image" | "font" | "media" | "stylesheet";

export interface BrowserFetcherOptions {
  /** Chromium binary (default "/usr/bin/chromium", Debian's package; see scripts/ensure-chromium.sh). */
  executablePath?: string;
  /** Pages open at once, all sessions together (default 4); callers beyond it wait. */
  maxPages?: number;
  /** Restart the browser after this many navigations (default 500). */
  recycleAfter?: number;
  /** Restart when the browser's process tree RSS (from /proc) exceeds this (default 1500). */
  memoryCeilingMB?: number;
  /** Resource types aborted before they are requested (default image, font, media). */
  blockResources?: BlockableResource[];
  /** Called once per browser navigation (before it starts). */
  onNavigation?: (url: string) => void;
}

export interface BrowserCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** Unix time in seconds; absent for a session cookie. */
  expires?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: "Strict" | "Lax" | "None";
}

/**
 * Page interactions, run in order after the page loaded (and after `waitFor`): the spec's own
 * action shape (one definition), e.g. `{ click: "button.more", repeat: "until-gone" }`.
 */
export type BrowserAction = ActionSpec;

export interface BrowserFetchRequest extends Omit<FetchRequest, "cookies"> {
  /** CSS selector that must be present before the page is read. */
  waitFor?: string;
  /** Load state `goto` waits for (default "load"). */
  waitUntil?: "load" | "domcontentloaded" | "networkidle";
  actions?: BrowserAction[];
  /** Save a full-page PNG there. */
  screenshotPath?: string;
  /**
   * Cookies for the session's context. A list is added before navigating. A jar (the HTTP
   * fetcher's session) is shared both ways: its cookies for the URL are added before
   * navigating, and the context's cookies are stored back into it afterwards.
   */
  cookies?: BrowserCookie[] | CookieAccess;
  /** One browser context (cookie jar, storage) per session id (default "default"). */
  session?: string;
}

export interface BrowserFetchedPage extends FetchedPage {
  /** Every cookie of the request's session after the page was read. */
  cookies: BrowserCookie[];
}

export interface BrowserFetcherStats {
  /** Navigations since the fetcher was created, across browser restarts. */
  navigations: number;
  /** Browsers launched after the first one (recycling, memory ceiling, crashes). */
  restarts: number;
  /** Pages currently open (in use or pooled). */
  pagesOpen: number;
  /** Pid of the running browser, null when none runs. */
  browserPid: number | null;
}

export interface BrowserFetcher extends Fetcher {
  fetch(req: BrowserFetchRequest): Promise<BrowserFetchedPage>;
  stats(): BrowserFetcherStats;
}
