import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { AuthError, AuthService, type AuthServiceOptions, type Principal } from "../src/server/auth/index.js";
import { SqliteStore } from "../src/store/index.js";
import { tempDir } from "./support/tmp.js";

const CHEAP = { memoryCost: 256, timeCost: 1, parallelism: 1 };
const PW = "correct horse battery staple";

function setup(t: { after(fn: () => void): void }, opts: AuthServiceOptions = {}) {
  const store = new SqliteStore(join(tempDir(t), "auth.db"));
  t.after(() => store.close());
  let clock = 1_700_000_000_000;
  const auth = new AuthService(store.db, { passwordHashOptions: CHEAP, now: () => clock, ...opts });
  return { store, auth, advance: (ms: number) => (clock += ms), now: () => clock };
}

async function rejectsWith(p: Promise<unknown> | (() => unknown), code: string, status: number): Promise<AuthError> {
  let caught: unknown;
  try {
    await (typeof p === "function" ? p() : p);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof AuthError, `expected AuthError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.equal(caught.status, status);
  return caught;
}

test("auth: password and username rules", async (t) => {
  const { auth } = setup(t);
  const weak = (password: string, username = "alice") => rejectsWith(auth.createUser({ username, password, role: "member" }), "GLEANER_ERR_AUTH_WEAK_PASSWORD", 400);
  await weak("short pass1"); // 11 chars
  await weak("Password2024!!"); // common word with digits and symbols around it
  await weak("dragon12345678");
  await weak("iloveyouforever");
  await weak("123456789012"); // keyboard/number walk
  await weak("qwertyuiopasdf");
  await weak("aaaaaaaaaaaaaaaa"); // too few distinct characters
  await weak("my name is ALICE, ok?"); // contains the username, case-insensitively
  const err = await weak("Password2024!!");
  assert.ok(!err.message.includes("Password2024"), "the refusal does not echo the password");
  await rejectsWith(auth.createUser({ username: "al", password: PW, role: "member" }), "GLEANER_ERR_AUTH_INVALID_USERNAME", 400);
  await rejectsWith(auth.createUser({ username: "bad name", password: PW, role: "member" }), "GLEANER_ERR_AUTH_INVALID_USERNAME", 400);
  await rejectsWith(auth.createUser({ username: "x".repeat(41), password: PW, role: "member" }), "GLEANER_ERR_AUTH_INVALID_USERNAME", 400);
  await rejectsWith(auth.createUser({ username: "carol", password: PW, role: "root" as never }), "GLEANER_ERR_AUTH_BAD_REQUEST", 400);

  const alice = await auth.createUser({ username: "alice", password: PW, role: "member" });
  assert.deepEqual({ ...alice, createdAt: 0 }, { id: alice.id, username: "alice", role: "member", createdAt: 0 });
  await rejectsWith(auth.createUser({ username: "ALICE", password: PW, role: "member" }), "GLEANER_ERR_AUTH_USERNAME_TAKEN", 409);
  await auth.createUser({ username: "bob.smith-2", password: "Tr0ub4dor&3 but longer", role: "admin" });
  assert.deepEqual(auth.listUsers().map((u) => [u.username, u.role]), [["alice", "member"], ["bob.smith-2", "admin"]]);
  assert.equal(auth.hasAdmin(), true);
});

test("auth: login success, failure alike for unknown user and wrong password, logout", async (t) => {
  const { auth } = setup(t);
  const alice = await auth.createUser({ username: "alice", password: PW, role: "admin" });
  const s = await auth.login("Alice", PW, "10.0.0.1"); // usernames are case-insensitive
  assert.match(s.token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(s.user.id, alice.id);
  const p = auth.authenticateSession(s.token);
  assert.deepEqual(p, { userId: alice.id, username: "alice", role: "admin", via: "session" });

  const wrong = await rejectsWith(auth.login("alice", PW + "x", "10.0.0.2"), "GLEANER_ERR_AUTH_INVALID_CREDENTIALS", 401);
  const unknown = await rejectsWith(auth.login("nobody", PW, "10.0.0.3"), "GLEANER_ERR_AUTH_INVALID_CREDENTIALS", 401);
  assert.equal(wrong.message, unknown.message);
  assert.equal(auth.authenticateSession(s.token + "x"), null);
  assert.equal(auth.authenticateSession(""), null);

  auth.logout(s.token);
  assert.equal(auth.authenticateSession(s.token), null);
});

test("auth: session expiry is enforced", async (t) => {
  const { auth, advance } = setup(t, { sessionTtlMs: 60_000 });
  await auth.createUser({ username: "alice", password: PW, role: "member" });
  const s = await auth.login("alice", PW, "ip");
  advance(59_000);
  assert.equal(auth.authenticateSession(s.token)?.username, "alice");
  advance(1_000);
  assert.equal(s.expiresAt, 1_700_000_000_000 + 60_000);
  assert.equal(auth.authenticateSession(s.token), null);
});

test("auth: 5 failures per username lock it (429, Retry-After doubling), even with the right password", async (t) => {
  const { auth, advance } = setup(t);
  await auth.createUser({ username: "alice", password: PW, role: "member" });
  for (let i = 0; i < 5; i++) await rejectsWith(auth.login("alice", "wrong password " + i, `10.0.0.${i}`), "GLEANER_ERR_AUTH_INVALID_CREDENTIALS", 401);
  const locked = await rejectsWith(auth.login("alice", "wrong again", "10.9.9.9"), "GLEANER_ERR_AUTH_THROTTLED", 429);
  assert.equal(locked.retryAfterSeconds, 30);
  await rejectsWith(auth.login("ALICE", PW, "10.9.9.8"), "GLEANER_ERR_AUTH_THROTTLED", 429);
  // Other users are not affected by alice's lock.
  await auth.createUser({ username: "bob", password: PW, role: "member" });
  assert.equal((await auth.login("bob", PW, "10.8.8.8")).user.username, "bob");

  advance(30_000);
  await rejectsWith(auth.login("alice", "wrong once more", "10.7.7.7"), "GLEANER_ERR_AUTH_INVALID_CREDENTIALS", 401);
  const doubled = await rejectsWith(auth.login("alice", PW, "10.7.7.6"), "GLEANER_ERR_AUTH_THROTTLED", 429);
  assert.equal(doubled.retryAfterSeconds, 60);
  advance(60_000);
  assert.equal((await auth.login("alice", PW, "10.7.7.5")).user.username, "alice");
  // Success cleared the record: the next single failure does not lock.
  await rejectsWith(auth.login("alice", "wrong", "10.7.7.4"), "GLEANER_ERR_AUTH_INVALID_CREDENTIALS", 401);
  assert.equal((await auth.login("alice", PW, "10.7.7.4")).user.username, "alice");
});

test("auth: 5 failures from one IP lock that IP across usernames", async (t) => {
  const { auth } = setup(t);
  await auth.createUser({ username: "alice", password: PW, role: "member" });
  for (let i = 0; i < 5; i++) await rejectsWith(auth.login(`user${i}`, "whatever pass", "203.0.113.7"), "GLEANER_ERR_AUTH_INVALID_CREDENTIALS", 401);
  const e = await rejectsWith(auth.login("alice", PW, "203.0.113.7"), "GLEANER_ERR_AUTH_THROTTLED", 429);
  assert.ok(e.retryAfterSeconds! > 0);
  assert.equal((await auth.login("alice", PW, "203.0.113.8")).user.username, "alice");
});

test("auth: parallel guesses are counted before they are verified", async (t) => {
  const { auth } = setup(t);
  await auth.createUser({ username: "alice", password: PW, role: "member" });
  const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => auth.login("alice", `guess number ${i}`, `198.51.100.${i}`)));
  const codes = results.map((r) => (r.status === "rejected" ? (r.reason as AuthError).code : "ok"));
  assert.equal(codes.filter((c) => c === "GLEANER_ERR_AUTH_INVALID_CREDENTIALS").length, 5);
  assert.equal(codes.filter((c) => c === "GLEANER_ERR_AUTH_THROTTLED").length, 15);
});

test("auth: API keys: format, authenticate, list shows prefixes only, revoke by owner or admin", async (t) => {
  const { auth, advance } = setup(t);
  const alice = await auth.createUser({ username: "alice", password: PW, role: "member" });
  const bob = await auth.createUser({ username: "bob", password: PW, role: "member" });
  const admin = await auth.createUser({ username: "root", password: PW, role: "admin" });
  const k = auth.createApiKey(alice.id, "ci");
  assert.match(k.key, /^gl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  assert.equal(k.key.slice(3, 11), k.prefix);
  assert.equal(k.name, "ci");

  const p = auth.authenticateKey(k.key);
  assert.deepEqual(p, { userId: alice.id, username: "alice", role: "member", via: "key", keyPrefix: k.prefix });
  assert.equal(auth.authenticateKey(k.key.slice(0, -1) + (k.key.endsWith("A") ? "B" : "A")), null, "wrong secret");
  assert.equal(auth.authenticateKey(`gl_${k.prefix}_`), null);
  assert.equal(auth.authenticateKey("gl_nothing"), null);

  const listed = auth.listApiKeys(alice.id);
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.prefix, k.prefix);
  assert.equal(listed[0]!.lastUsedAt, 1_700_000_000_000);
  assert.ok(!JSON.stringify(listed).includes(k.key.slice(12)), "listing does not contain the secret");
  // lastUsedAt moves at most once a minute
  advance(30_000);
  auth.authenticateKey(k.key);
  assert.equal(auth.listApiKeys(alice.id)[0]!.lastUsedAt, 1_700_000_000_000);
  advance(31_000);
  auth.authenticateKey(k.key);
  assert.equal(auth.listApiKeys(alice.id)[0]!.lastUsedAt, 1_700_000_061_000);

  const k2 = auth.createApiKey(bob.id, "bob's");
  assert.equal(auth.listApiKeys("all").length, 2);
  assert.deepEqual(auth.listApiKeys(bob.id).map((x) => x.id), [k2.id]);
  assert.throws(() => auth.createApiKey(9999, "ghost"), (e: AuthError) => e.status === 404);

  const asBob: Principal = { userId: bob.id, username: "bob", role: "member", via: "session" };
  await rejectsWith(() => auth.revokeApiKey(k.id, asBob), "GLEANER_ERR_AUTH_FORBIDDEN", 403);
  assert.ok(auth.authenticateKey(k.key));
  await rejectsWith(() => auth.revokeApiKey(424242, asBob), "GLEANER_ERR_AUTH_NOT_FOUND", 404);
  auth.revokeApiKey(k2.id, asBob); // own key
  assert.equal(auth.authenticateKey(k2.key), null);
  auth.revokeApiKey(k.id, { userId: admin.id, username: "root", role: "admin", via: "key" });
  assert.equal(auth.authenticateKey(k.key), null, "revoked keys stop at once");
  assert.ok(auth.listApiKeys(alice.id)[0]!.revokedAt);
});

test("auth: invitations are admin-only, use-limited, expiring, and refused alike", async (t) => {
  const { auth, advance } = setup(t);
  const admin = await auth.createUser({ username: "root", password: PW, role: "admin" });
  const member = await auth.createUser({ username: "mem", password: PW, role: "member" });
  const asAdmin: Principal = { userId: admin.id, username: "root", role: "admin", via: "session" };
  await rejectsWith(() => auth.createInvitation({ role: "member", maxUses: 1, expiresInMs: 1000, createdBy: { userId: member.id, username: "mem", role: "member", via: "session" } }), "GLEANER_ERR_AUTH_FORBIDDEN", 403);
  await rejectsWith(() => auth.createInvitation({ role: "member", maxUses: 0, expiresInMs: 1000, createdBy: asAdmin }), "GLEANER_ERR_AUTH_BAD_REQUEST", 400);

  const once = auth.createInvitation({ role: "member", maxUses: 1, expiresInMs: 3600_000, createdBy: asAdmin });
  const twice = auth.createInvitation({ role: "admin", maxUses: 2, expiresInMs: 3600_000, createdBy: asAdmin });
  const soon = auth.createInvitation({ role: "member", maxUses: 5, expiresInMs: 1000, createdBy: asAdmin });
  assert.match(once.code, /^[A-Za-z0-9_-]{43}$/);

  // A weak password does not spend the invitation.
  await rejectsWith(auth.redeemInvitation(once.code, "newbie", "short"), "GLEANER_ERR_AUTH_WEAK_PASSWORD", 400);
  const u = await auth.redeemInvitation(once.code, "newbie", PW);
  assert.equal(u.role, "member");
  const usedUp = await rejectsWith(auth.redeemInvitation(once.code, "newbie2", PW), "GLEANER_ERR_AUTH_INVITATION_INVALID", 403);
  const unknown = await rejectsWith(auth.redeemInvitation("not-a-real-code", "newbie3", PW), "GLEANER_ERR_AUTH_INVITATION_INVALID", 403);
  assert.equal((await auth.redeemInvitation(twice.code, "second", PW)).role, "admin");
  // Username clash rolls the use back.
  await rejectsWith(auth.redeemInvitation(twice.code, "second", PW), "GLEANER_ERR_AUTH_USERNAME_TAKEN", 409);
  assert.equal(auth.listInvitations().find((i) => i.id === twice.id)!.uses, 1);
  await auth.redeemInvitation(twice.code, "third", PW);
  await rejectsWith(auth.redeemInvitation(twice.code, "fourth", PW), "GLEANER_ERR_AUTH_INVITATION_INVALID", 403);

  advance(1000);
  const expired = await rejectsWith(auth.redeemInvitation(soon.code, "late", PW), "GLEANER_ERR_AUTH_INVITATION_INVALID", 403);
  assert.equal(usedUp.message, unknown.message);
  assert.equal(expired.message, unknown.message);
  assert.deepEqual(
    auth.listInvitations().map((i) => [i.role, i.maxUses, i.uses, i.createdBy]),
    [["member", 1, 1, admin.id], ["admin", 2, 2, admin.id], ["member", 5, 0, admin.id]],
  );
});

test("auth: the setup token is one-time and only while no admin exists", async (t) => {
  const { auth } = setup(t);
  assert.equal(auth.hasAdmin(), false);
  const first = auth.issueSetupToken();
  const token = auth.issueSetupToken(); // a restart replaces the earlier token
  await rejectsWith(auth.createFirstAdmin(first, "boss", PW), "GLEANER_ERR_AUTH_SETUP_TOKEN", 403);
  await rejectsWith(auth.createFirstAdmin("guess", "boss", PW), "GLEANER_ERR_AUTH_SETUP_TOKEN", 403);
  await rejectsWith(auth.createFirstAdmin(token, "boss", "weak"), "GLEANER_ERR_AUTH_WEAK_PASSWORD", 400);
  const boss = await auth.createFirstAdmin(token, "boss", PW);
  assert.equal(boss.role, "admin");
  assert.equal(auth.hasAdmin(), true);
  await rejectsWith(auth.createFirstAdmin(token, "boss2", PW), "GLEANER_ERR_AUTH_ADMIN_EXISTS", 409);
  await rejectsWith(() => auth.issueSetupToken(), "GLEANER_ERR_AUTH_ADMIN_EXISTS", 409);
  assert.equal((await auth.login("boss", PW, "ip")).user.id, boss.id);
});

test("auth: the database holds no password, token, key or code in clear", async (t) => {
  const { store, auth } = setup(t);
  const secrets: string[] = [];
  const setupToken = auth.issueSetupToken();
  secrets.push(setupToken, PW);
  const admin = await auth.createFirstAdmin(setupToken, "boss", PW);
  const memberPw = "a different long passphrase";
  secrets.push(memberPw);
  await auth.createUser({ username: "member1", password: memberPw, role: "member" });
  const s = await auth.login("boss", PW, "ip");
  secrets.push(s.token);
  const k = auth.createApiKey(admin.id, "k");
  secrets.push(k.key, k.key.slice(12)); // whole key and its secret part
  const asAdmin: Principal = { userId: admin.id, username: "boss", role: "admin", via: "session" };
  const inv = auth.createInvitation({ role: "member", maxUses: 3, expiresInMs: 60_000, createdBy: asAdmin });
  const unused = auth.createInvitation({ role: "member", maxUses: 3, expiresInMs: 60_000, createdBy: asAdmin });
  const invPw = "yet another passphrase here";
  secrets.push(inv.code, unused.code, invPw);
  await auth.redeemInvitation(inv.code, "invited", invPw);
  auth.authenticateKey(k.key);

  assert.deepEqual(findInClear(store, secrets), []);
  // The scanner itself sees a secret planted in clear (so the check above can fail).
  store.createJob("leak " + s.token, {});
  assert.deepEqual(findInClear(store, secrets), ["jobs.name"]);
  // Password hashes are argon2id.
  for (const r of store.db.prepare("SELECT password_hash FROM users").all() as { password_hash: string }[]) assert.match(r.password_hash, /^\$argon2id\$/);
});

/** Every text (or blob) cell of every table that contains one of `secrets`, as "table.column". */
function findInClear(store: SqliteStore, secrets: string[]): string[] {
  const found: string[] = [];
  const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  let cells = 0;
  for (const { name } of tables) {
    for (const row of store.db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
      for (const [col, v] of Object.entries(row)) {
        if (v === null || typeof v === "number" || typeof v === "bigint") continue;
        cells++;
        const text = Buffer.isBuffer(v) ? v.toString("latin1") : String(v);
        if (secrets.some((secret) => text.includes(secret))) found.push(`${name}.${col}`);
      }
    }
  }
  assert.ok(cells >= 18, `scanned only ${cells} text cells`);
  return found;
}
