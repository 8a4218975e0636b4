/** What the rest of the server sees of users and of who is calling. */
export type Role = "admin" | "member";

export interface User { id: number; username: string; role: Role; createdAt: number }

/** The caller of a request: a user, and how they proved it. */
export interface Principal { userId: number; username: string; role: Role; via: "session" | "key"; keyPrefix?: string }

export interface ApiKeyInfo { id: number; prefix: string; name: string; userId: number; createdAt: number; lastUsedAt: number | null; revokedAt: number | null }

export interface InvitationInfo { id: number; role: Role; maxUses: number; uses: number; expiresAt: number; createdBy: number }

export interface UserRow { id: number; username: string; role: Role; created_at: number }

export function toUser(r: UserRow): User {
  return { id: r.id, username: r.username, role: r.role, createdAt: r.created_at };
}

export function isRole(x: unknown): x is Role {
  return x === "admin" || x === "member";
}
