import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { crawl, createLogger } from "../src/index.js";
import { setTimeout as sleep } from "node:timers/promises";
import { CheckpointRelay } from "../src/engine/checkpoint-relay.js";
import { ExtractPool } from "../src/engine/extract-pool/index.js";
import { startPracticeSite } from "../src/practice/index.js";
import { validateSpec } from "../src/spec/index.js";
import { SqliteStore } from "../src/store/index.js";
import { checkpointWal } from "../src/store/sqlite/wal-checkpoint.js";
import { practiceSpec } from "./support/practice-spec.js";
import { tempDir } from "./support/tmp.js";
import { verifyCrawl } from "./support/verify-crawl.js";

const autocheckpoint = (s: SqliteStore): number => s.db.pragma("wal_autocheckpoint", { simple: true }) as number;
/** Frames in the WAL now, from a checkpoint that copies nothing new (the writer's own connection). */
const walFrames = (s: SqliteStore): number => (s.db.pragma("wal_checkpoint(PASSIVE)") as { log: number }[])[0]!.log;

/** ~`pages` committed pages of 5 items each: a few WAL frames per page, as in a crawl. */
function writePages(store: SqliteStore, job: number, from: number, pages: number): void {
  const urls = Array.from({ length: pages }, (_, i) => `https://example.com/p/${from + i}`);
  store.enqueue(job, urls.map((url) => ({ url, host: "example.com", depth: 1, priority: 0, parentId: null })));
  for (const r of store.lease(job, { limit: pages, now: Date.now(), leaseMs: 60_000, owner: "me", maxStarted: Infinity })) {
    store.commitPage(job, "me", {
      requestId: r.id, status: 200, finalUrl: r.url, contentType: "text/html", bytes: 1000, elapsedMs: 1, fetcher: "http",
      items: Array.from({ length: 5 }, (_, k) => ({ type: "t", json: JSON.stringify({ k, text: "x".repeat(300) }) })),
      discovered: [], newFields: [],
    });
  }
}

test("a store that hands its checkpoints out raises its own threshold to a backstop until every hand-out is released", (t) => {
  const dir = tempDir(t);
  const store = new SqliteStore(join(dir, "g.db"));
  t.after(() => store.close());
  assert.equal(autocheckpoint(store), 1000, "SQLite's default while the store checkpoints by itself");
  const a = store.offloadCheckpoints();
  const b = store.offloadCheckpoints();
  assert.ok(a && b);
  assert.equal(a.file, join(dir, "g.db"), "an absolute path another thread can open");
  assert.equal(autocheckpoint(store), 10_000);
  a.release();
  a.release(); // idempotent: does not count for b
  assert.equal(autocheckpoint(store), 10_000, "still handed out to b");
  b.release();
  assert.equal(autocheckpoint(store), 1000);

  const relative = new SqliteStore(join(dir, "..", "g2.db"));
  t.after(() => relative.close());
  assert.ok(!relative.offloadCheckpoints()!.file.includes(".."), "resolved");
  const memory = new SqliteStore(":memory:");
  t.after(() => memory.close());
  assert.equal(memory.offloadCheckpoints(), null, "nothing another connection could open");
});

test("a checkpoint from another connection copies the writer's WAL without losing a row, and the WAL starts over", (t) => {
  const file = join(tempDir(t), "g.db");
  const store = new SqliteStore(file);
  t.after(() => store.close());
  const job = store.createJob("wal", {}).id;
  const offload = store.offloadCheckpoints()!;
  writePages(store, job, 0, 400);
  const before = walFrames(store);
  assert.ok(before > 1000, `the writer no longer checkpoints at 1,000 frames (${before} in the WAL)`);

  const r = checkpointWal(offload.file);
  assert.equal(r.walFrames, before);
  assert.equal(r.checkpointed, before, "every frame copied: no reader holds any back");
  // The writer's next transaction starts the WAL over (the copied frames are not needed any more).
  writePages(store, job, 400, 10);
  assert.ok(walFrames(store) < 200, `WAL restarted (${walFrames(store)} frames)`);

  // A reader that sees only the database file (no WAL at all) finds every row.
  checkpointWal(offload.file);
  const copy = new Database(file, { readonly: true });
  t.after(() => copy.close());
  assert.equal((copy.prepare("SELECT COUNT(*) AS n FROM items").get() as { n: number }).n, 410 * 5);
  assert.equal(store.stats(job).done, 410);
  offload.release();
  assert.throws(() => checkpointWal(join(tempDir(t), "missing.db")), /unable to open|does not exist|directory does not exist/i, "a file that is not there is not created");
});

test("an extraction pool runs a WAL checkpoint in its worker between pages, and refuses one once closed", async (t) => {
  const site = await startPracticeSite({ pages: 300 });
  t.after(() => site.close());
  const spec = validateSpec(practiceSpec(site.url));
  const pool = new ExtractPool({ workers: 1, init: { items: spec.extract, follow: spec.follow, probes: [], scope: spec.scope, maxDepth: spec.scope.maxDepth } });
  t.after(() => pool.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const job = store.createJob("wal", {}).id;
  const offload = store.offloadCheckpoints()!;
  writePages(store, job, 0, 300);
  const frames = walFrames(store);

  const html = await (await fetch(site.url + site.manifest.pages[1])).text();
  const before = pool.extract(html, site.url + site.manifest.pages[1], 1);
  const checkpoint = pool.maintain({ kind: "wal-checkpoint", file: offload.file });
  const after = pool.extract(html, site.url + "/other", 1, false);
  assert.deepEqual(await checkpoint, { walFrames: frames, checkpointed: frames });
  assert.ok((await before).items.length > 0 && (await after).items.length > 0, "pages on either side are extracted");
  writePages(store, job, 300, 5);
  assert.ok(walFrames(store) < 100, "the writer started the WAL over");

  await assert.rejects(pool.maintain({ kind: "wal-checkpoint", file: join(tempDir(t), "nope.db") }), /upkeep failed in an extraction worker: .*(unable to open|does not exist)/i);
  await pool.close();
  await assert.rejects(pool.maintain({ kind: "wal-checkpoint", file: offload.file }), /closed/);
  offload.release();
});

test("a crawl hands its checkpoints to the extraction worker, stores every page and item, and gives them back at the end", async (t) => {
  const site = await startPracticeSite({ pages: 1500 });
  t.after(() => site.close());
  const dir = tempDir(t);
  const store = new SqliteStore(join(dir, "g.db"));
  t.after(() => store.close());
  const lines: string[] = [];
  const summary = await crawl(practiceSpec(site.url), { db: store, extractWorkers: 1, log: createLogger("info", { write: (s: string) => lines.push(s) }) });
  assert.equal(summary.state, "done");
  verifyCrawl(store, summary.job, site.url, site.manifest);
  const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const report = events.find((e) => e.event === "store.checkpoints");
  assert.ok(report, "the crawl reports its checkpoints");
  assert.ok((report.offloaded as number) >= 2, `checkpoints ran in the worker (${String(report.offloaded)})`);
  assert.equal(report.failed, 0);
  assert.equal(events.filter((e) => e.event === "store.checkpoint-failed").length, 0);
  assert.equal(autocheckpoint(store), 1000, "the store checkpoints by itself again");

  // Without a worker the store keeps its checkpoints (and says nothing about them).
  lines.length = 0;
  const inline = await crawl(practiceSpec(site.url, { name: "inline", scope: { maxPages: 100 } }), { db: store, extractWorkers: 0, log: createLogger("info", { write: (s: string) => lines.push(s) }) });
  assert.equal(inline.state, "done");
  assert.ok(!lines.some((l) => l.includes("store.checkpoints")));
  store.close();
  assert.ok(!existsSync(join(dir, "g.db-wal")) || statSync(join(dir, "g.db-wal")).size === 0, "closing the store leaves no WAL behind");
});

function poolFor(t: { after(fn: () => unknown): void }): ExtractPool {
  const spec = validateSpec(practiceSpec("http://127.0.0.1:9"));
  const pool = new ExtractPool({ workers: 1, init: { items: spec.extract, follow: spec.follow, probes: [], scope: spec.scope, maxDepth: spec.scope.maxDepth } });
  t.after(() => pool.close());
  return pool;
}

test("the relay asks again after the pages that make ~2,000 WAL frames, judged by what the last checkpoint found", async (t) => {
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const job = store.createJob("wal", {}).id;
  const lines: string[] = [];
  const relay = CheckpointRelay.start(store, poolFor(t), createLogger("info", { write: (s: string) => lines.push(s) }))!;
  assert.ok(relay);
  assert.equal(relay.interval, 512, "the first request after 512 pages");
  writePages(store, job, 0, 300);
  relay.committed(300);
  await sleep(50);
  assert.equal(relay.checkpoints, 0, "not yet");
  writePages(store, job, 300, 212);
  const frames = walFrames(store); // what the worker's checkpoint will find (nothing is written in between)
  relay.committed(212);
  for (let i = 0; i < 200 && relay.checkpoints === 0; i++) await sleep(10);
  assert.equal(relay.checkpoints, 1);
  assert.equal(relay.interval, Math.min(8192, Math.max(32, Math.round((2000 * 512) / frames))));
  assert.notEqual(relay.interval, 512, `these pages write ${(frames / 512).toFixed(1)} frames each`);
  relay.end();
  relay.end();
  assert.equal(autocheckpoint(store), 1000);
  assert.equal(lines.filter((l) => l.includes('"store.checkpoints"')).length, 1, "one report");
});

test("a checkpoint that cannot run in the worker gives the checkpoints back to the store, with one warning", async (t) => {
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const pool = poolFor(t);
  await pool.close(); // every request to it fails from now on
  const lines: string[] = [];
  const relay = CheckpointRelay.start(store, pool, createLogger("info", { write: (s: string) => lines.push(s) }))!;
  assert.equal(autocheckpoint(store), 10_000);
  relay.committed(600);
  await sleep(20);
  assert.equal(autocheckpoint(store), 1000, "back to SQLite's own threshold");
  relay.committed(600);
  await sleep(20);
  const warnings = lines.filter((l) => l.includes('"store.checkpoint-failed"'));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /closed/);
  assert.equal(relay.checkpoints, 0);
});

test("a checkpoint still on its way when the crawl ends and closes the pool is dropped without a warning", async (t) => {
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const pool = poolFor(t); // its worker is still loading: nothing it is sent can be answered yet
  const lines: string[] = [];
  const relay = CheckpointRelay.start(store, pool, createLogger("info", { write: (s: string) => lines.push(s) }))!;
  relay.committed(600);
  relay.end();
  await pool.close();
  await sleep(20);
  assert.equal(autocheckpoint(store), 1000);
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as { event: string }).event), ["store.checkpoints"]);
});
