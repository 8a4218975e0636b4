/**
 * Fetch stage, public surface. `createHttpFetcher` gives a Fetcher over one undici Agent;
 * wrap it to add behaviour (retries, politeness) rather than reaching inside.
 */
export type { FetchRequest, FetchedPage, Fetcher, HttpFetcherOptions, RedirectHop, CookieAccess } from "./types.js";
export { createHttpFetcher } from "./http-fetcher.js";
export { SessionPool, type Session } from "./sessions.js";
export { FetchError, FetchErrorCode } from "./errors.js";
export { decodeBody, mimeType, isTextMime, isHtmlMime } from "./decode.js";
export { textSize, utf8Markup } from "./lazy-text.js";
