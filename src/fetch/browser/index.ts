/**
 * Browser fetch, public surface: `createBrowserFetcher` gives a Fetcher that renders pages in
 * headless Chromium (playwright-core driving the system's /usr/bin/chromium).
 */
export type {
  BlockableResource, BrowserAction, BrowserCookie, BrowserFetchedPage, BrowserFetcher, BrowserFetcherOptions,
  BrowserFetcherStats, BrowserFetchRequest,
} from "./types.js";
export { createBrowserFetcher, DEFAULT_CHROMIUM } from "./browser-fetcher.js";
export { BrowserErrorCode, BrowserFetchError } from "./browser-errors.js";
