export type { Progress, CrawlSummary, PageError } from "./progress.js";
