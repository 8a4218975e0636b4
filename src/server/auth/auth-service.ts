/**
 * Users, first-admin setup, login with throttling, sessions; API keys and invitations are
 * delegated to api-keys.ts and invitations.ts. The database must already be migrated (open it
 * through SqliteStore). Every secret is random (crypto.randomBytes) and stored only hashed.
 */
import type Database from "better-sqlite3";
import { ApiKeyStore } from "./api-keys.js";
import { AuthError, adminExists, badRequest, invalidCredentials, invalidSetupToken, throttled } from "./errors.js";
import { InvitationStore } from "./invitations.js";
import { LoginThrottle, type ThrottleOptions } from "./login-throttle.js";
import { checkPassword, checkUsername, PasswordHasher, type PasswordHashOptions } from "./password-policy.js";
import { newSecret, sameHash, sha256Hex } from "./secrets.js";
import { isRole, toUser, type ApiKeyInfo, type InvitationInfo, type Principal, type Role, type User, type UserRow } from "./types.js";

export interface AuthServiceOptions {
  /** Session lifetime; default 7 days. */
  sessionTtlMs?: number;
  now?: () => number;
  /** argon2id cost; defaults are @node-rs/argon2's (19 MiB, 2 passes). Tests may lower them. */
  passwordHashOptions?: PasswordHashOptions;
  throttle?: ThrottleOptions;
}

const MAX_TOKEN_LENGTH = 128;
const PRUNE_EVERY_MS = 60 * 60_000;

interface SessionRow extends UserRow { expires_at: number }

export class AuthService {
  private readonly now: () => number;
  private readonly ttl: number;
  private readonly hasher: PasswordHasher;
  private readonly throttle: LoginThrottle;
  private readonly keys: ApiKeyStore;
  private readonly invitations: InvitationStore;
  private lastPrune = 0;
  private readonly q: Record<
    "anyAdmin" | "insertUser" | "users" | "userForLogin" | "setupHash" | "setSetup" | "dropSetup" | "insertSession" | "session" | "dropSession" | "pruneSessions",
    Database.Statement
  >;

  constructor(private readonly db: Database.Database, opts: AuthServiceOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.ttl = opts.sessionTtlMs ?? 7 * 24 * 3600_000;
    this.hasher = new PasswordHasher(opts.passwordHashOptions);
    this.throttle = new LoginThrottle(opts.throttle);
    this.keys = new ApiKeyStore(db, this.now);
    this.invitations = new InvitationStore(db, this.now);
    this.q = {
      anyAdmin: db.prepare("SELECT 1 FROM users WHERE role = 'admin' LIMIT 1"),
      insertUser: db.prepare("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)"),
      users: db.prepare("SELECT id, username, role, created_at FROM users ORDER BY id"),
      userForLogin: db.prepare("SELECT id, username, role, created_at, password_hash FROM users WHERE username = ?"),
      setupHash: db.prepare("SELECT token_hash FROM setup_tokens WHERE id = 1"),
      setSetup: db.prepare("INSERT INTO setup_tokens (id, token_hash, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at"),
      dropSetup: db.prepare("DELETE FROM setup_tokens WHERE id = 1"),
      insertSession: db.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)"),
      session: db.prepare("SELECT s.expires_at, u.id, u.username, u.role, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?"),
      dropSession: db.prepare("DELETE FROM sessions WHERE token_hash = ?"),
      pruneSessions: db.prepare("DELETE FROM sessions WHERE expires_at <= ?"),
    };
  }

  hasAdmin(): boolean {
    return this.q.anyAdmin.get() !== undefined;
  }

  /** A new one-time setup token (replacing any earlier one); only while no admin exists. */
  issueSetupToken(): string {
    if (this.hasAdmin()) throw adminExists();
    const token = newSecret();
    this.q.setSetup.run(sha256Hex(token), this.now());
    return token;
  }

  async createFirstAdmin(setupToken: string, username: string, password: string): Promise<User> {
    if (this.hasAdmin()) throw adminExists();
    this.checkSetupToken(setupToken);
    checkPassword(password, checkUsername(username));
    const hash = await this.hasher.hash(password);
    // Re-checked inside the transaction: two racing requests cannot both become the first admin.
    return this.db.transaction(() => {
      if (this.hasAdmin()) throw adminExists();
      this.checkSetupToken(setupToken);
      this.q.dropSetup.run();
      return this.insertUser(username, hash, "admin");
    })();
  }

  async createUser(input: { username: string; password: string; role: Role }): Promise<User> {
    const username = checkUsername(input?.username);
    if (!isRole(input.role)) throw badRequest('role must be "admin" or "member"');
    checkPassword(input.password, username);
    return this.insertUser(username, await this.hasher.hash(input.password), input.role);
  }

  listUsers(): User[] {
    return (this.q.users.all() as UserRow[]).map(toUser);
  }

  /**
   * Same error, and one argon2 verification, for unknown users and wrong passwords. Throttled
   * per IP and per username (see login-throttle.ts); a locked key gets 429 even with the right
   * password, so the lock is not an oracle.
   */
  async login(username: string, password: string, ip: string): Promise<{ token: string; expiresAt: number; user: User }> {
    const now = this.now();
    const userKey = `u:${typeof username === "string" ? username.toLowerCase().slice(0, 64) : ""}`;
    const ipKey = `i:${ip}`;
    const wait = Math.max(this.throttle.waitMs(userKey, now), this.throttle.waitMs(ipKey, now));
    if (wait > 0) throw throttled(Math.ceil(wait / 1000));
    this.throttle.fail(userKey, now);
    const ipMark = this.throttle.fail(ipKey, now);
    const row =
      typeof username === "string" && username.length <= 40
        ? (this.q.userForLogin.get(username) as (UserRow & { password_hash: string }) | undefined)
        : undefined;
    const ok = typeof password === "string" && password.length <= 1024 && (await this.hasher.verify(row?.password_hash, password));
    if (!ok || !row) throw invalidCredentials();
    this.throttle.reset(userKey);
    this.throttle.undo(ipKey, ipMark);
    this.pruneSessions(now);
    const token = newSecret();
    const expiresAt = now + this.ttl;
    this.q.insertSession.run(sha256Hex(token), row.id, now, expiresAt);
    return { token, expiresAt, user: toUser(row) };
  }

  logout(token: string): void {
    if (typeof token === "string" && token.length <= MAX_TOKEN_LENGTH) this.q.dropSession.run(sha256Hex(token));
  }

  /**
   * Looked up by the SHA-256 of the token: the index compares hashes of 256-bit random values,
   * which tells a timing attacker nothing about any stored token.
   */
  authenticateSession(token: string): Principal | null {
    if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    const hash = sha256Hex(token);
    const row = this.q.session.get(hash) as SessionRow | undefined;
    if (!row) return null;
    if (row.expires_at <= this.now()) {
      this.q.dropSession.run(hash);
      return null;
    }
    return { userId: row.id, username: row.username, role: row.role, via: "session" };
  }

  createApiKey(userId: number, name: string): { id: number; key: string; prefix: string; name: string; createdAt: number } {
    return this.keys.create(userId, name);
  }

  listApiKeys(userId: number | "all"): ApiKeyInfo[] {
    return this.keys.list(userId);
  }

  revokeApiKey(id: number, by: Principal): void {
    this.keys.revokeKey(id, by);
  }

  authenticateKey(key: string): Principal | null {
    return this.keys.authenticate(key);
  }

  createInvitation(input: { role: Role; maxUses: number; expiresInMs: number; createdBy: Principal }): { id: number; code: string; expiresAt: number } {
    return this.invitations.create(input);
  }

  listInvitations(): InvitationInfo[] {
    return this.invitations.all();
  }

  async redeemInvitation(code: string, username: string, password: string): Promise<User> {
    const inv = this.invitations.find(code); // refuse bad codes before spending a hash on them
    checkPassword(password, checkUsername(username));
    const hash = await this.hasher.hash(password);
    return this.db.transaction(() => {
      this.invitations.consume(inv.id); // the last use may have gone while we hashed
      return this.insertUser(username, hash, inv.role);
    })();
  }

  private checkSetupToken(token: unknown): void {
    const row = this.q.setupHash.get() as { token_hash: string } | undefined;
    const ok = typeof token === "string" && token.length <= MAX_TOKEN_LENGTH && row !== undefined && sameHash(row.token_hash, sha256Hex(token));
    if (!ok) throw invalidSetupToken();
  }

  private insertUser(username: string, passwordHash: string, role: Role): User {
    const createdAt = this.now();
    try {
      const id = Number(this.q.insertUser.run(username, passwordHash, role, createdAt).lastInsertRowid);
      return { id, username, role, createdAt };
    } catch (err) {
      if ((err as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") {
        throw new AuthError("GLEANER_ERR_AUTH_USERNAME_TAKEN", 409, `username "${username}" is taken`, { context: { username } });
      }
      throw err;
    }
  }

  private pruneSessions(now: number): void {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    this.q.pruneSessions.run(now);
  }
}
