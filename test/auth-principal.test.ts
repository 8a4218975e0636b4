import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { AuthService, principalFrom, SESSION_COOKIE } from "../src/server/auth/index.js";
import { SqliteStore } from "../src/store/index.js";
import { tempDir } from "./support/tmp.js";

test("principalFrom: Bearer key, Bearer session, X-API-Key, cookie; invalid explicit credentials do not fall back", async (t) => {
  const store = new SqliteStore(join(tempDir(t), "p.db"));
  t.after(() => store.close());
  const auth = new AuthService(store.db, { passwordHashOptions: { memoryCost: 256, timeCost: 1 } });
  const alice = await auth.createUser({ username: "alice", password: "correct horse battery staple", role: "member" });
  const bob = await auth.createUser({ username: "bob", password: "correct horse battery staple", role: "admin" });
  const key = auth.createApiKey(alice.id, "ci").key;
  const session = (await auth.login("bob", "correct horse battery staple", "127.0.0.1")).token;

  const who = (headers: Record<string, string | string[] | undefined>) => principalFrom(auth, headers)?.username ?? null;
  assert.equal(who({ authorization: `Bearer ${key}` }), "alice");
  assert.equal(principalFrom(auth, { authorization: `bearer ${key}` })?.via, "key");
  assert.equal(who({ authorization: `Bearer ${session}` }), "bob");
  assert.equal(who({ "x-api-key": key }), "alice");
  assert.equal(who({ cookie: `theme=dark; ${SESSION_COOKIE}=${session}; other=1` }), "bob");
  assert.equal(principalFrom(auth, { cookie: `${SESSION_COOKIE}=${session}` })?.via, "session");
  assert.equal(who({ cookie: [`${SESSION_COOKIE}=${session}`] as never }), "bob");

  assert.equal(who({}), null);
  assert.equal(who({ authorization: `Basic ${Buffer.from("bob:pw").toString("base64")}`, cookie: `${SESSION_COOKIE}=${session}` }), null);
  assert.equal(who({ authorization: "Bearer gl_00000000_" + "A".repeat(43), cookie: `${SESSION_COOKIE}=${session}` }), null);
  assert.equal(who({ "x-api-key": "nope" }), null);
  assert.equal(who({ cookie: `x${SESSION_COOKIE}=${session}` }), null, "cookie names match exactly");

  auth.logout(session);
  assert.equal(who({ cookie: `${SESSION_COOKIE}=${session}` }), null);
  void bob;
});
