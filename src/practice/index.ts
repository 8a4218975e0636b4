/** The practice site: a deterministic local website for gleaner's tests, demo and benchmarks. */
export { startPracticeSite } from "./server.js";
export { buildManifest } from "./manifest.js";
export { PRACTICE_MODES } from "./modes.js";
export type {
  AuthorItem, FileEntry, JobItem, JsPageEntry, ManifestOptions, ModesManifest, PracticeMode, PracticeRequest,
  PracticeSite, PracticeSiteOptions, ProductItem, QuoteItem, RateLimitOptions, RedirectEntry, Reply, RequestLogEntry,
  Section, SiteItems, SiteManifest,
} from "./types.js";
