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
  assert.equal(a.db.pragma("temp_store", { simple: true }), 2, "statement journals stay in memory");
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

test("sqlite: the page cache follows the database's size (an eighth, 2 to 16 MB) unless it is fixed", (t) => {
  const dir = tempDir(t);
  const s = new SqliteStore(join(dir, "grow.db"));
  t.after(() => s.close());
  assert.equal(s.pageCacheMB, 2, "a new database starts with the smallest cache");
  assert.equal(s.db.pragma("cache_size", { simple: true }), -2048);
  const j = s.createJob("grow", {}).id;
  const pad = "x".repeat(400);
  for (let b = 0; b < 20; b++) {
    s.enqueue(j, Array.from({ length: 4000 }, (_, i) => ({ url: `http://h${i % 50}.test/${b}/${i}/${pad}`, host: `h${i % 50}.test`, depth: 0, priority: 0, parentId: null })));
  }
  const bytes = (s.db.pragma("page_count", { simple: true }) as number) * (s.db.pragma("page_size", { simple: true }) as number);
  assert.ok(bytes > 40 * 1048576, `the database grew to ${(bytes / 1048576).toFixed(0)} MB`);
  assert.ok(s.pageCacheMB >= 5 && s.pageCacheMB <= 16, `cache ${s.pageCacheMB} MB for a ${(bytes / 1048576).toFixed(0)} MB database`);
  assert.equal(s.db.pragma("cache_size", { simple: true }), -s.pageCacheMB * 1024);

  const fixed = new SqliteStore(join(dir, "grow.db"), { cacheMB: 3 });
  t.after(() => fixed.close());
  assert.equal(fixed.pageCacheMB, 3);
  fixed.enqueue(j, Array.from({ length: 8000 }, (_, i) => ({ url: `http://h.test/more/${i}/${pad}`, host: "h.test", depth: 0, priority: 0, parentId: null })));
  assert.equal(fixed.pageCacheMB, 3, "a cache size given by the caller stays");
  const reopened = new SqliteStore(join(dir, "grow.db"));
  t.after(() => reopened.close());
  assert.ok(reopened.pageCacheMB >= 5, "an existing database is sized when opened");
});
