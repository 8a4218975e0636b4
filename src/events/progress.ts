/** Progress snapshots the engine publishes (CLI display, WebSocket events later). */
import type { JobStats } from "../store/index.js";

export interface Progress extends JobStats {
  job: number;
  elapsedSeconds: number;
  /** Pages per second over the last interval. */
  rate: number;
  /** Seconds to finish the known queue at the current rate, or null. */
  etaSeconds: number | null;
}

export interface CrawlSummary {
  job: number;
  name: string;
  state: "done" | "failed" | "interrupted";
  pages: number;
  items: number;
  failed: number;
  skipped: number;
  errors: number;
  seconds: number;
  error?: string;
}

/** A failed attempt at a page, as recorded in the store's errors. */
export interface PageError {
  job: number;
  url: string;
  code: string;
  message: string;
  status?: number;
  /** The request goes back to the queue (retry) rather than failing for good. */
  willRetry: boolean;
}
