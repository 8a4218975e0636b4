import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SqliteStore } from "../src/store/index.js";
import { MIGRATIONS } from "../src/store/sqlite/migrations.js";
import { storeContract } from "./support/store-contract.js";
import { tempDir } from "./support/tmp.js";

storeContract("sqlite", (t) => {
  const s = new SqliteStore(join(tempDir(t), "store.db"));
  t.after(() => s.close());
  return s;
});

test("sqlite: WAL mode, migrations applied once, data survives reopening", (t) => {
  const file = join(tempDir(t), "g.db");
  const a = new SqliteStore(file);
  assert.equal(a.db.pragma("journal_mode", { simple: true }), "wal");
  const id = a.createJob("persist", { x: 1 }).id;
  a.close();
  const b = new SqliteStore(file);
  t.after(() => b.close());
  assert.equal(b.getJob(id)?.name, "persist");
  assert.equal((b.db.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get() as { n: number }).n, MIGRATIONS.length);
});

test("sqlite: an unopenable path is a clear store error", () => {
  assert.throws(() => new SqliteStore("/nonexistent-dir/x/y.db"), /cannot open database \/nonexistent-dir\/x\/y\.db/);
});
