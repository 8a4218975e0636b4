export type { Progress, CrawlSummary } from "./progress.js";
