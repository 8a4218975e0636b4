/** Messages between the extraction pool and its workers (structured-clone plain data). */
import type { FollowSpec, ItemSpec, ScopeSpec } from "../../spec/types.js";
import type { PreparedExtract } from "./prepare.js";

export interface WorkerInit {
  items: ItemSpec[];
  follow: FollowSpec[] | null;
  probes: string[];
  scope: ScopeSpec;
  /** Links deeper than this are not followed: pages at the limit report none. */
  maxDepth: number;
}

/** The first message to a worker started before the spec was known (workerData null). */
export interface WorkerInitMessage {
  init: WorkerInit;
}

export interface WorkerTask {
  id: number;
  html: string;
  /** `html` is the page's UTF-8 bytes, one per char (a copy, not a decode: src/shared/utf8-bytes.ts). */
  utf8Bytes: boolean;
  url: string;
  /** The depth this page's links would get (the page's depth + 1). */
  linkDepth: number;
  /** Leave out links reported for earlier pages (off when this extraction may be replaced by a render's). */
  newLinksOnly: boolean;
}

/**
 * Upkeep the crawl hands to a worker between pages (it has spare time; the main thread serves
 * every connection): a WAL checkpoint of the store's file. Answered by a MaintenanceReply.
 */
export interface WorkerMaintenance {
  maintenance: number;
  kind: "wal-checkpoint";
  file: string;
}

export type MaintenanceReply =
  | { maintenance: number; ok: true; result: unknown }
  | { maintenance: number; ok: false; message: string };

/** `ready` first (the extractor compiled), then one reply per task, in order; maintenance replies in between. */
export type WorkerReply =
  | MaintenanceReply
  | { ready: true }
  | { id: number; ok: true; result: PreparedExtract }
  | { id: number; ok: false; code: string; message: string };
