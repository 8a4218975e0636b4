/** Versioned schema migrations; each runs once, in order, inside a transaction. */
import type Database from "better-sqlite3";

export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: "jobs, requests, items, errors",
    sql: `
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        spec TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued',
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        error TEXT,
        owner TEXT,
        -- counters kept in the same transactions as the rows they count (cheap live stats)
        n_queued INTEGER NOT NULL DEFAULT 0,
        n_done INTEGER NOT NULL DEFAULT 0,
        n_failed INTEGER NOT NULL DEFAULT 0,
        n_skipped INTEGER NOT NULL DEFAULT 0,
        n_items INTEGER NOT NULL DEFAULT 0,
        n_errors INTEGER NOT NULL DEFAULT 0,
        n_started INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX jobs_name ON jobs(name, id);

      CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        host TEXT NOT NULL,
        depth INTEGER NOT NULL,
        priority INTEGER NOT NULL DEFAULT 0,
        parent_id INTEGER,
        state TEXT NOT NULL DEFAULT 'queued',
        started INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER,
        lease_owner TEXT,
        status INTEGER,
        final_url TEXT,
        content_type TEXT,
        bytes INTEGER,
        elapsed_ms INTEGER,
        fetcher TEXT,
        fetched_at INTEGER,
        error_code TEXT,
        error TEXT,
        UNIQUE (job_id, url)
      );
      CREATE INDEX requests_due ON requests(job_id, state, priority DESC, depth, id);

      CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        request_id INTEGER NOT NULL,
        type TEXT NOT NULL,
        url TEXT NOT NULL,
        data TEXT NOT NULL
      );
      -- Both orders are walked without sorting: exports and cursors in insertion order, per type or not.
      CREATE INDEX items_job ON items(job_id, id);
      CREATE INDEX items_job_type ON items(job_id, type, id);

      CREATE TABLE item_fields (
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (job_id, type, name)
      );

      CREATE TABLE errors (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        request_id INTEGER,
        url TEXT,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX errors_job ON errors(job_id, id);
    `,
  },
  {
    version: 2,
    name: "per-host counters",
    sql: `
      CREATE TABLE hosts (
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        host TEXT NOT NULL,
        started INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, host)
      );
    `,
  },
  {
    version: 3,
    name: "users, sessions, api keys, invitations, setup token",
    // Secrets are stored only as SHA-256 (hex) or argon2id hashes; see src/server/auth/.
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL COLLATE NOCASE UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        created_at INTEGER NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sessions_expiry ON sessions(expires_at);
      CREATE TABLE api_keys (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        prefix TEXT NOT NULL UNIQUE,
        secret_hash TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX api_keys_user ON api_keys(user_id, id);
      CREATE TABLE invitations (
        id INTEGER PRIMARY KEY,
        code_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        max_uses INTEGER NOT NULL,
        uses INTEGER NOT NULL DEFAULT 0,
        expires_at INTEGER NOT NULL,
        created_by INTEGER NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL
      );
      CREATE TABLE setup_tokens (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        token_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
];

export function migrate(db: Database.Database): number {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  const applied = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version),
  );
  const newest = Math.max(...MIGRATIONS.map((m) => m.version));
  const dbNewest = Math.max(0, ...applied);
  if (dbNewest > newest) {
    throw new Error(`database schema version ${dbNewest} is newer than this gleaner understands (${newest}); upgrade gleaner`);
  }
  let count = 0;
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, Date.now());
    })();
    count++;
  }
  return count;
}
