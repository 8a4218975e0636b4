export { crawl, resumeJob, type CrawlOptions } from "./crawl.js";
export { Crawler, type CrawlerOptions } from "./crawler.js";
export { dryRun, type DryRunResult } from "./dry-run.js";
