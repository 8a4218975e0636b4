import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import { keysCommand } from "../src/cli/commands/keys.js";
import { usersCommand } from "../src/cli/commands/users.js";
import type { Io } from "../src/cli/output.js";
import { AuthService } from "../src/server/auth/index.js";
import { UsageError } from "../src/shared/errors.js";
import { SqliteStore } from "../src/store/index.js";
import { tempDir } from "./support/tmp.js";

function fakeIo() {
  const text = { out: "", err: "" };
  const sink = (k: "out" | "err") => new Writable({ write(chunk, _enc, cb) { text[k] += String(chunk); cb(); } });
  const io: Io = { out: sink("out"), err: sink("err") };
  return { io, text };
}

const PW = "a long and unusual passphrase";

test("cli: users add (env and stdin) and list; password never from argv", async (t) => {
  const db = join(tempDir(t), "cli.db");
  const a = fakeIo();
  assert.equal(await usersCommand(["add", "alice", "--admin", "--db", db], a.io, { env: { GLEANER_PASSWORD: PW } }), 0);
  assert.match(a.text.out, /created admin alice \(id 1\)/);

  const b = fakeIo();
  const stdin = Readable.from([Buffer.from("another long passphrase\nignored second line\n")]);
  assert.equal(await usersCommand(["add", "bob", "--db", db], b.io, { env: {}, stdin }), 0);
  assert.match(b.text.out, /created member bob/);

  const tty = Object.assign(new PassThrough(), { isTTY: true });
  await assert.rejects(usersCommand(["add", "carol", "--db", db], fakeIo().io, { env: {}, stdin: tty }), (e: Error) => e instanceof UsageError && /GLEANER_PASSWORD/.test(e.message));
  await assert.rejects(usersCommand(["add", "carol", "--password", PW, "--db", db], fakeIo().io, { env: {} }), UsageError);
  await assert.rejects(usersCommand(["add", "carol", "--db", db], fakeIo().io, { env: { GLEANER_PASSWORD: "short" } }), /password refused/);
  await assert.rejects(usersCommand(["frobnicate", "--db", db], fakeIo().io), UsageError);

  const l = fakeIo();
  assert.equal(await usersCommand(["list", "--db", db], l.io), 0);
  const lines = l.text.out.trim().split("\n");
  assert.match(lines[0]!, /^ID\s+USERNAME\s+ROLE\s+CREATED$/);
  assert.match(lines[1]!, /^1\s+alice\s+admin\s/);
  assert.match(lines[2]!, /^2\s+bob\s+member\s/);
  const j = fakeIo();
  await usersCommand(["list", "--json", "--db", db], j.io);
  assert.deepEqual((JSON.parse(j.text.out) as { username: string }[]).map((u) => u.username), ["alice", "bob"]);

  // The password set from the CLI logs in through the service.
  const store = new SqliteStore(db);
  t.after(() => store.close());
  const auth = new AuthService(store.db);
  assert.equal((await auth.login("bob", "another long passphrase", "127.0.0.1")).user.username, "bob");

  const h = fakeIo();
  assert.equal(await usersCommand(["--help"], h.io), 0);
  assert.match(h.text.out, /Usage: gleaner users add/);
});

test("cli: keys create prints the key once; list shows prefixes; revoke stops it", async (t) => {
  const db = join(tempDir(t), "keys.db");
  await usersCommand(["add", "alice", "--db", db], fakeIo().io, { env: { GLEANER_PASSWORD: PW } });
  const c = fakeIo();
  assert.equal(await keysCommand(["create", "--user", "alice", "--name", "ci", "--db", db], c.io), 0);
  const key = c.text.out.trim();
  assert.match(key, /^gl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  assert.match(c.text.err, /will not be shown again/);
  assert.ok(!c.text.err.includes(key.slice(12)));
  await assert.rejects(keysCommand(["create", "--user", "nobody", "--db", db], fakeIo().io), /no user named "nobody"/);
  await assert.rejects(keysCommand(["create", "--db", db], fakeIo().io), UsageError);

  const l = fakeIo();
  assert.equal(await keysCommand(["list", "--user", "alice", "--db", db], l.io), 0);
  assert.ok(l.text.out.includes(`gl_${key.slice(3, 11)}_…`));
  assert.ok(!l.text.out.includes(key.slice(12)), "listing never shows the secret");
  assert.match(l.text.out, /\bci\b.*alice.*never\s+active/);
  const j = fakeIo();
  await keysCommand(["list", "--json", "--db", db], j.io);
  const listed = JSON.parse(j.text.out) as { id: number; prefix: string; user: string }[];
  assert.deepEqual(listed.map((k) => [k.prefix, k.user]), [[key.slice(3, 11), "alice"]]);

  const store = new SqliteStore(db);
  t.after(() => store.close());
  const auth = new AuthService(store.db);
  assert.equal(auth.authenticateKey(key)?.username, "alice");

  const r = fakeIo();
  assert.equal(await keysCommand(["revoke", String(listed[0]!.id), "--db", db], r.io), 0);
  assert.match(r.text.out, /revoked key 1/);
  assert.equal(auth.authenticateKey(key), null);
  const l2 = fakeIo();
  await keysCommand(["list", "--db", db], l2.io);
  assert.match(l2.text.out, /revoked \d{4}-/);
  await assert.rejects(keysCommand(["revoke", "99", "--db", db], fakeIo().io), /no such API key: 99/);
  await assert.rejects(keysCommand(["revoke", "x", "--db", db], fakeIo().io), UsageError);
});
