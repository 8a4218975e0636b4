/**
 * Which user submitted which job. Kept in a table the server creates at startup (the store's
 * migrations know nothing of users), in the same SQLite file, so ownership survives restarts.
 */
import type Database from "better-sqlite3";

export class JobOwners {
  private readonly s;

  constructor(db: Database.Database) {
    db.exec("CREATE TABLE IF NOT EXISTS server_job_owners (job_id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL)");
    db.exec("CREATE INDEX IF NOT EXISTS server_job_owners_user ON server_job_owners (user_id, job_id)");
    this.s = {
      set: db.prepare("INSERT OR REPLACE INTO server_job_owners (job_id, user_id) VALUES (?, ?)"),
      get: db.prepare("SELECT user_id FROM server_job_owners WHERE job_id = ?").pluck(),
      ofUser: db.prepare("SELECT job_id FROM server_job_owners WHERE user_id = ? ORDER BY job_id DESC LIMIT ?").pluck(),
      all: db.prepare("SELECT job_id FROM server_job_owners ORDER BY job_id DESC LIMIT ?").pluck(),
      remove: db.prepare("DELETE FROM server_job_owners WHERE job_id = ?"),
    };
  }

  set(jobId: number, userId: number): void {
    this.s.set.run(jobId, userId);
  }

  /** The submitting user, or null for jobs not submitted over the API (e.g. `gleaner run`). */
  get(jobId: number): number | null {
    return (this.s.get.get(jobId) as number | undefined) ?? null;
  }

  /** Job ids, newest first: one user's, or every API-submitted job's when userId is null. */
  list(userId: number | null, limit: number): number[] {
    return (userId === null ? this.s.all.all(limit) : this.s.ofUser.all(userId, limit)) as number[];
  }

  remove(jobId: number): void {
    this.s.remove.run(jobId);
  }
}
