/**
 * API keys: "gl_<prefix>_<secret>". The prefix (8 hex chars, not secret) finds the row; the
 * secret (32 random bytes, base64url) is kept only as SHA-256 and compared in constant time.
 */
import type Database from "better-sqlite3";
import { badRequest, forbidden, notFound } from "./errors.js";
import { newSecret, sameHash, sha256Hex } from "./secrets.js";
import { randomBytes } from "node:crypto";
import type { ApiKeyInfo, Principal, Role } from "./types.js";

const KEY_SHAPE = /^gl_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;
const LAST_USED_EVERY_MS = 60_000; // a write per request would serialize every API call on SQLite

interface KeyRow { id: number; prefix: string; name: string; user_id: number; created_at: number; last_used_at: number | null; revoked_at: number | null }
interface AuthRow { id: number; secret_hash: string; last_used_at: number | null; user_id: number; username: string; role: Role }

export class ApiKeyStore {
  private readonly insert: Database.Statement;
  private readonly byPrefix: Database.Statement;
  private readonly touch: Database.Statement;
  private readonly listAll: Database.Statement;
  private readonly listOne: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly revoke: Database.Statement;
  private readonly userExists: Database.Statement;

  constructor(db: Database.Database, private readonly now: () => number) {
    this.insert = db.prepare("INSERT INTO api_keys (user_id, prefix, secret_hash, name, created_at) VALUES (?, ?, ?, ?, ?)");
    this.byPrefix = db.prepare(
      "SELECT k.id, k.secret_hash, k.last_used_at, u.id AS user_id, u.username, u.role FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.prefix = ? AND k.revoked_at IS NULL",
    );
    this.touch = db.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?");
    const cols = "SELECT id, prefix, name, user_id, created_at, last_used_at, revoked_at FROM api_keys";
    this.listAll = db.prepare(`${cols} ORDER BY id`);
    this.listOne = db.prepare(`${cols} WHERE user_id = ? ORDER BY id`);
    this.byId = db.prepare(`${cols} WHERE id = ?`);
    this.revoke = db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    this.userExists = db.prepare("SELECT 1 FROM users WHERE id = ?");
  }

  create(userId: number, name: string): { id: number; key: string; prefix: string; name: string; createdAt: number } {
    if (typeof name !== "string" || name.length > 100) throw badRequest("key name must be a string of at most 100 characters");
    if (!this.userExists.get(userId)) throw notFound("user", userId);
    const secret = newSecret();
    const createdAt = this.now();
    for (let attempt = 0; ; attempt++) {
      const prefix = randomBytes(4).toString("hex");
      try {
        const id = Number(this.insert.run(userId, prefix, sha256Hex(secret), name, createdAt).lastInsertRowid);
        return { id, key: `gl_${prefix}_${secret}`, prefix, name, createdAt };
      } catch (err) {
        // 2^32 prefixes: a clash is rare; try another rather than fail
        if ((err as { code?: string }).code !== "SQLITE_CONSTRAINT_UNIQUE" || attempt >= 5) throw err;
      }
    }
  }

  list(userId: number | "all"): ApiKeyInfo[] {
    const rows = (userId === "all" ? this.listAll.all() : this.listOne.all(userId)) as KeyRow[];
    return rows.map(toInfo);
  }

  /** Owner or admin; revoking twice is a no-op. Takes effect on the next request. */
  revokeKey(id: number, by: Principal): void {
    const row = this.byId.get(id) as KeyRow | undefined;
    if (!row) throw notFound("API key", id);
    if (by.role !== "admin" && by.userId !== row.user_id) throw forbidden("only the key's owner or an admin may revoke it");
    this.revoke.run(this.now(), id);
  }

  authenticate(key: string): Principal | null {
    if (typeof key !== "string") return null;
    const m = KEY_SHAPE.exec(key);
    if (!m) return null;
    const row = this.byPrefix.get(m[1]) as AuthRow | undefined;
    if (!row || !sameHash(row.secret_hash, sha256Hex(m[2]!))) return null;
    const now = this.now();
    if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_EVERY_MS) this.touch.run(now, row.id);
    return { userId: row.user_id, username: row.username, role: row.role, via: "key", keyPrefix: m[1]! };
  }
}

function toInfo(r: KeyRow): ApiKeyInfo {
  return { id: r.id, prefix: r.prefix, name: r.name, userId: r.user_id, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}
