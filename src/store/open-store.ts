/** Picks the store implementation for a `--db` value. Only SQLite files for now. */
import { GleanerError } from "../shared/errors.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./types.js";

export const DEFAULT_DB_FILE = "./gleaner.db";

export function openStore(db: string = DEFAULT_DB_FILE, opts: { cacheMB?: number } = {}): Store {
  if (/^postgres(ql)?:\/\//i.test(db)) {
    throw new GleanerError("GLEANER_ERR_STORE_UNSUPPORTED", "PostgreSQL stores are not available in this version; use a SQLite file path for --db", { context: { db: "postgres://…" } });
  }
  return new SqliteStore(db, opts);
}
