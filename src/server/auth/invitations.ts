/**
 * Invitations: a random code (stored as SHA-256) that lets up to `maxUses` people sign up with
 * a role until it expires. Unknown, expired and used-up codes are refused with one error.
 */
import type Database from "better-sqlite3";
import { badRequest, forbidden, invalidInvitation } from "./errors.js";
import { newSecret, sha256Hex } from "./secrets.js";
import { isRole, type InvitationInfo, type Principal, type Role } from "./types.js";

interface InvitationRow { id: number; role: Role; max_uses: number; uses: number; expires_at: number; created_by: number }

const MAX_CODE_LENGTH = 200;

export class InvitationStore {
  private readonly insert: Database.Statement;
  private readonly list: Database.Statement;
  private readonly byHash: Database.Statement;
  private readonly take: Database.Statement;

  constructor(db: Database.Database, private readonly now: () => number) {
    this.insert = db.prepare("INSERT INTO invitations (code_hash, role, max_uses, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    this.list = db.prepare("SELECT id, role, max_uses, uses, expires_at, created_by FROM invitations ORDER BY id");
    // Lookup by the hash of a 256-bit code: an index probe reveals nothing usable about other codes.
    this.byHash = db.prepare("SELECT id, role, max_uses, uses, expires_at, created_by FROM invitations WHERE code_hash = ?");
    // The use is taken atomically with the user insert (see AuthService.redeemInvitation).
    this.take = db.prepare("UPDATE invitations SET uses = uses + 1 WHERE id = ? AND uses < max_uses AND expires_at > ?");
  }

  create(input: { role: Role; maxUses: number; expiresInMs: number; createdBy: Principal }): { id: number; code: string; expiresAt: number } {
    if (!input.createdBy || input.createdBy.role !== "admin") throw forbidden("only admins may create invitations");
    if (!isRole(input.role)) throw badRequest('role must be "admin" or "member"');
    if (!Number.isInteger(input.maxUses) || input.maxUses < 1 || input.maxUses > 10_000) throw badRequest("maxUses must be a whole number from 1 to 10000");
    if (!Number.isFinite(input.expiresInMs) || input.expiresInMs <= 0) throw badRequest("expiresInMs must be a positive number of milliseconds");
    const code = newSecret();
    const now = this.now();
    const expiresAt = now + Math.round(input.expiresInMs);
    const id = Number(this.insert.run(sha256Hex(code), input.role, input.maxUses, expiresAt, input.createdBy.userId, now).lastInsertRowid);
    return { id, code, expiresAt };
  }

  all(): InvitationInfo[] {
    return (this.list.all() as InvitationRow[]).map((r) => ({ id: r.id, role: r.role, maxUses: r.max_uses, uses: r.uses, expiresAt: r.expires_at, createdBy: r.created_by }));
  }

  /** The usable invitation for `code`, or the one refusal for every reason it is not usable. */
  find(code: unknown): { id: number; role: Role } {
    if (typeof code !== "string" || code.length === 0 || code.length > MAX_CODE_LENGTH) throw invalidInvitation();
    const row = this.byHash.get(sha256Hex(code)) as InvitationRow | undefined;
    if (!row || row.uses >= row.max_uses || row.expires_at <= this.now()) throw invalidInvitation();
    return { id: row.id, role: row.role };
  }

  /** Call inside the transaction that creates the user; throws when the last use went meanwhile. */
  consume(id: number): void {
    if (this.take.run(id, this.now()).changes !== 1) throw invalidInvitation();
  }
}
