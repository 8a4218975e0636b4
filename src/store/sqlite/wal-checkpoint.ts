/**
 * A WAL checkpoint from a connection of its own, for a thread other than the writer's (see
 * SqliteStore.offloadCheckpoints). PASSIVE: it copies what is committed and never waits for,
 * or blocks, the writer; SQLite's own locks make it safe alongside any other connection, and
 * a checkpoint cut short (the thread ends) leaves the WAL to the next one. A connection per
 * call: opening one reads a page of header, and none is left behind when the thread ends.
 */
import Database from "better-sqlite3";

export interface WalCheckpointResult {
  /** Frames in the WAL when the checkpoint ran. */
  walFrames: number;
  /** Of those, frames copied into the database file (all of them unless readers held some back). */
  checkpointed: number;
}

export function checkpointWal(file: string): WalCheckpointResult {
  const db = new Database(file, { fileMustExist: true });
  try {
    const [r] = db.pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
    return { walFrames: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0 };
  } finally {
    db.close();
  }
}
