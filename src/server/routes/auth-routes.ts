/**
 * Account routes: first-admin setup, login/logout (session cookie), API keys, invitations, users.
 * Setup, login and redeem carry their own credentials (token, password, code) in the body;
 * without them they answer 401 like every other route.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SESSION_COOKIE, type ApiKeyInfo, type AuthService, type Principal, type User } from "../auth/index.js";
import { badRequest, forbidden, HttpError } from "../http-error.js";

/** Routes that authenticate with body credentials instead of a principal. */
export const BODY_CREDENTIAL_ROUTES = new Set(["/api/setup", "/api/login", "/api/invitations/redeem"]);

const DAY_MS = 86_400_000;

function fields(body: unknown, names: string[]): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = b[n];
    if (typeof v !== "string" || v === "") throw new HttpError(401, "GLEANER_ERR_UNAUTHORIZED", `credentials required: give ${names.join(", ")}`);
    out[n] = v;
  }
  return out;
}

export function userJson(u: User): { id: number; username: string; role: string; createdAt: string } {
  return { id: u.id, username: u.username, role: u.role, createdAt: new Date(u.createdAt).toISOString() };
}

function keyJson(k: ApiKeyInfo) {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return { id: k.id, name: k.name, prefix: k.prefix, userId: k.userId, createdAt: iso(k.createdAt), lastUsedAt: iso(k.lastUsedAt), revokedAt: iso(k.revokedAt) };
}

export function principalOf(req: FastifyRequest): Principal {
  const p = req.principal;
  if (!p) throw new HttpError(401, "GLEANER_ERR_UNAUTHORIZED", "authentication required");
  return p;
}

function requireAdmin(req: FastifyRequest): Principal {
  const p = principalOf(req);
  if (p.role !== "admin") throw forbidden("admins only");
  return p;
}

function idParam(req: FastifyRequest): number {
  const n = Number((req.params as { id?: string }).id);
  if (!Number.isSafeInteger(n) || n < 1) throw badRequest("id must be a positive whole number");
  return n;
}

function sessionCookie(req: FastifyRequest, token: string, maxAgeSeconds: number): string {
  // Secure only over TLS, else browsers on http://127.0.0.1 would drop it.
  const secure = (req.raw.socket as { encrypted?: boolean }).encrypted === true || req.protocol === "https";
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

function sessionToken(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  const bearer = auth ? /^Bearer[ \t]+(\S+)/i.exec(auth)?.[1] : undefined;
  if (bearer && !bearer.startsWith("gl_")) return bearer;
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return null;
}

export function registerAuthRoutes(app: FastifyInstance, auth: AuthService): void {
  app.post("/api/setup", async (req, reply) => {
    const f = fields(req.body, ["token", "username", "password"]);
    const user = await auth.createFirstAdmin(f.token!, f.username!, f.password!);
    return reply.code(201).send({ user: userJson(user) });
  });

  app.post("/api/login", async (req, reply) => {
    const f = fields(req.body, ["username", "password"]);
    const s = await auth.login(f.username!, f.password!, req.ip);
    const maxAge = Math.max(0, Math.floor((s.expiresAt - Date.now()) / 1000));
    return reply.header("set-cookie", sessionCookie(req, s.token, maxAge)).send({ user: userJson(s.user), expiresAt: new Date(s.expiresAt).toISOString() });
  });

  app.post("/api/logout", async (req: FastifyRequest, reply: FastifyReply) => {
    principalOf(req);
    const token = sessionToken(req);
    if (token) auth.logout(token);
    return reply.code(204).header("set-cookie", sessionCookie(req, "", 0)).send();
  });

  app.get("/api/me", async (req) => {
    const p = principalOf(req);
    return { user: { id: p.userId, username: p.username, role: p.role }, via: p.via, ...(p.keyPrefix ? { keyPrefix: p.keyPrefix } : {}) };
  });

  app.get("/api/keys", async (req) => {
    const p = principalOf(req);
    const all = (req.query as { all?: string }).all === "1";
    if (all && p.role !== "admin") throw forbidden("only admins list every key");
    return { keys: auth.listApiKeys(all ? "all" : p.userId).map(keyJson) };
  });

  app.post("/api/keys", async (req, reply) => {
    const p = principalOf(req);
    const name = ((req.body ?? {}) as { name?: unknown }).name;
    if (typeof name !== "string" || name.trim() === "" || name.length > 100) throw badRequest("name: give the key a name (1-100 characters)");
    const k = auth.createApiKey(p.userId, name.trim());
    // The only time the key is shown: it is stored as a hash.
    return reply.code(201).send({ id: k.id, key: k.key, prefix: k.prefix, name: k.name, createdAt: new Date(k.createdAt).toISOString() });
  });

  app.delete("/api/keys/:id", async (req, reply) => {
    auth.revokeApiKey(idParam(req), principalOf(req));
    return reply.code(204).send();
  });

  app.get("/api/invitations", async (req) => {
    requireAdmin(req);
    return { invitations: auth.listInvitations().map((i) => ({ ...i, expiresAt: new Date(i.expiresAt).toISOString() })) };
  });

  app.post("/api/invitations", async (req, reply) => {
    const p = requireAdmin(req);
    const b = (req.body ?? {}) as { role?: unknown; maxUses?: unknown; expiresInHours?: unknown };
    const role = b.role ?? "member";
    if (role !== "member" && role !== "admin") throw badRequest('role: "member" or "admin"');
    const maxUses = b.maxUses ?? 1;
    if (typeof maxUses !== "number" || !Number.isInteger(maxUses) || maxUses < 1 || maxUses > 1000) throw badRequest("maxUses: a whole number from 1 to 1000");
    const hours = b.expiresInHours ?? 72;
    if (typeof hours !== "number" || !(hours > 0) || hours > 24 * 90) throw badRequest("expiresInHours: a number of hours, at most 2160 (90 days)");
    const inv = auth.createInvitation({ role, maxUses, expiresInMs: Math.round((hours * DAY_MS) / 24), createdBy: p });
    return reply.code(201).send({ id: inv.id, code: inv.code, expiresAt: new Date(inv.expiresAt).toISOString() });
  });

  app.post("/api/invitations/redeem", async (req, reply) => {
    const f = fields(req.body, ["code", "username", "password"]);
    const user = await auth.redeemInvitation(f.code!, f.username!, f.password!);
    return reply.code(201).send({ user: userJson(user) });
  });

  app.get("/api/users", async (req) => {
    requireAdmin(req);
    return { users: auth.listUsers().map(userJson) };
  });
}
