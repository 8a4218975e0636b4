/** gleaner as a library: `import { crawl } from "gleaner"`. */
export { crawl, resumeJob, type CrawlOptions } from "./engine/index.js";
export type { CrawlSummary, PageError, Progress } from "./events/index.js";
export type { CrawlHooks, HookItem, PageContext } from "./pipeline/index.js";
export { validateSpec, parseSpecText, loadSpecFile, readSpecFile, specJsonSchema, type SpecInput, type Spec } from "./spec/index.js";
export { openStore, SqliteStore, type Store, type JobRecord, type JobStats } from "./store/index.js";
export { writeExport, type ExportFormat } from "./export/index.js";
export { GleanerError, SpecError } from "./shared/errors.js";
export { createLogger, type Logger } from "./shared/log.js";
