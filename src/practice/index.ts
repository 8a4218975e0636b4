/** The practice site: a deterministic local website for gleaner's tests, demo and benchmarks. */
export { startPracticeSite } from "./server.js";
export { buildManifest } from "./manifest.js";
export type {
  AuthorItem, FileEntry, JobItem, PracticeRequest, PracticeSite, PracticeSiteOptions, ProductItem,
  QuoteItem, RedirectEntry, Reply, RequestLogEntry, Section, SiteItems, SiteManifest,
} from "./types.js";
