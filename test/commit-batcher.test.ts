import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CommitBatcher } from "../src/engine/commit-batcher.js";
import { SqliteStore, type PageCommit } from "../src/store/index.js";
import { tempDir } from "./support/tmp.js";

/** A real store whose transactions are counted (pages per commit call). */
function countingStore(t: { after(fn: () => void): void }) {
  const store = new SqliteStore(join(tempDir(t), "b.db"));
  t.after(() => store.close());
  const batches: number[] = [];
  const commitPage = store.commitPage.bind(store);
  const commitPages = store.commitPages.bind(store);
  store.commitPage = (j, o, p) => (batches.push(1), commitPage(j, o, p));
  store.commitPages = (j, o, ps) => (batches.push(ps.length), commitPages(j, o, ps));
  const job = store.createJob("b", {}).id;
  store.enqueue(job, Array.from({ length: 20 }, (_, i) => ({ url: `http://a.test/${i}`, host: "a.test", depth: 0, priority: 0, parentId: null })));
  const leased = store.lease(job, { limit: 20, now: Date.now(), leaseMs: 60_000, owner: "me", maxStarted: 100 });
  const page = (i: number): PageCommit => ({
    requestId: leased[i]!.id, status: 200, finalUrl: leased[i]!.url, contentType: "text/html", bytes: 1, elapsedMs: 1, fetcher: "http",
    items: [{ type: "t", json: `{"i":${i}}` }], discovered: [], newFields: [],
  });
  return { store, job, batches, page };
}

test("while work is plentiful, pages finishing within the hold share one transaction", async (t) => {
  const { store, job, batches, page } = countingStore(t);
  const b = new CommitBatcher(store, job, "me", { holdMs: () => 20 });
  const first = b.commit(page(0));
  await sleep(5); // a later turn of the event loop, still inside the hold
  const results = await Promise.all([first, b.commit(page(1)), b.commit(page(2))]);
  assert.deepEqual(results, ["committed", "committed", "committed"]);
  assert.deepEqual(batches, [3]);
  assert.equal(store.stats(job).done, 3);
});

test("a crawler short of work commits at once, cutting a hold short", async (t) => {
  const { store, job, batches, page } = countingStore(t);
  let hungry = false;
  const b = new CommitBatcher(store, job, "me", { holdMs: () => (hungry ? 0 : 60_000) });
  const held = b.commit(page(0));
  await sleep(5);
  assert.deepEqual(batches, [], "held while work is plentiful");
  hungry = true;
  await Promise.all([held, b.commit(page(1))]);
  assert.deepEqual(batches, [2]);
  await b.commit(page(2)); // no hold at all
  assert.deepEqual(batches, [2, 1]);
});

test("a full batch commits without waiting for the hold", async (t) => {
  const { store, job, batches, page } = countingStore(t);
  const b = new CommitBatcher(store, job, "me", { maxBatch: 4, holdMs: () => 60_000 });
  const results = await Promise.all([0, 1, 2, 3].map((i) => b.commit(page(i))));
  assert.equal(results.length, 4);
  assert.deepEqual(batches, [4]);
});

test("a batch that fails is retried page by page: only the bad page fails", async (t) => {
  const { store, job, batches, page } = countingStore(t);
  const b = new CommitBatcher(store, job, "me", { holdMs: () => 1 });
  const bad = { ...page(1), items: [{ type: "t", json: null as unknown as string }] }; // NOT NULL column
  const results = await Promise.allSettled([b.commit(page(0)), b.commit(bad), b.commit(page(2))]);
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
  assert.deepEqual(batches, [3, 1, 1, 1]);
  assert.equal(store.stats(job).done, 2);
});

test("each batch that commits reports its page count; a batch retried page by page reports the pages that made it", async (t) => {
  const { store, job, page } = countingStore(t);
  const reported: number[] = [];
  const b = new CommitBatcher(store, job, "me", { holdMs: () => 1, onCommitted: (n) => reported.push(n) });
  await Promise.all([b.commit(page(0)), b.commit(page(1)), b.commit(page(2))]);
  assert.deepEqual(reported, [3]);
  const bad = { ...page(4), items: [{ type: "t", json: null as unknown as string }] };
  await Promise.allSettled([b.commit(page(3)), b.commit(bad), b.commit(page(5))]);
  assert.deepEqual(reported, [3, 2]);
  await Promise.allSettled([b.commit(bad)]);
  assert.deepEqual(reported, [3, 2], "nothing committed, nothing reported");
});
