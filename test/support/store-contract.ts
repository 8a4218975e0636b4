/** The Store contract: every store implementation must pass these tests. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { NewRequest, PageCommit, Store } from "../../src/store/index.js";

const req = (url: string, depth = 0, priority = 0): NewRequest => ({ url, host: new URL(url).host, depth, priority, parentId: null });
const lease = (s: Store, job: number, limit = 10, extra: Partial<Parameters<Store["lease"]>[1]> = {}) =>
  s.lease(job, { limit, now: Date.now(), leaseMs: 60_000, owner: "me", maxStarted: 1000, ...extra });
const page = (requestId: number, items: PageCommit["items"] = [], discovered: NewRequest[] = []): PageCommit => ({
  requestId, status: 200, finalUrl: "http://a.test/", contentType: "text/html", bytes: 10, elapsedMs: 1, fetcher: "http",
  items, discovered, newFields: items.map((i) => [i.type, Object.keys(JSON.parse(i.json))[0] ?? "x"] as [string, string]),
});

export function storeContract(name: string, open: (t: { after(fn: () => void): void }) => Store): void {
  test(`${name}: jobs are created, listed and claimed`, (t) => {
    const s = open(t);
    const a = s.createJob("alpha", { name: "alpha", start: "http://a.test/" });
    const b = s.createJob("beta", { name: "beta" });
    assert.equal(s.getJob(a.id)?.name, "alpha");
    assert.deepEqual(s.getJob(a.id)?.spec, { name: "alpha", start: "http://a.test/" });
    assert.deepEqual(s.listJobs().map((j) => j.id), [b.id, a.id]);
    assert.equal(s.findUnfinishedJob("alpha")?.id, a.id);
    s.setJobState(a.id, "done");
    assert.equal(s.findUnfinishedJob("alpha"), null);
    assert.equal(s.claimJob(b.id, "owner-1", () => true), true);
    assert.equal(s.claimJob(b.id, "owner-2", () => true), false, "a live owner keeps the job");
    assert.equal(s.claimJob(b.id, "owner-2", () => false), true, "a dead owner's job can be taken");
    assert.equal(s.getJob(999999), null);
  });

  test(`${name}: enqueue deduplicates atomically and counts`, (t) => {
    const s = open(t);
    const j = s.createJob("j", {}).id;
    assert.equal(s.enqueue(j, [req("http://a.test/1"), req("http://a.test/2"), req("http://a.test/1")]), 2);
    assert.equal(s.enqueue(j, [req("http://a.test/2"), req("http://a.test/3")]), 1);
    assert.equal(s.stats(j).queued, 3);
    assert.equal(s.skip(j, [req("http://a.test/3"), req("http://a.test/robots-blocked")], "robots"), 1);
    assert.equal(s.stats(j).skipped, 1);
    const other = s.createJob("k", {}).id;
    assert.equal(s.enqueue(other, [req("http://a.test/1")]), 1, "dedup is per job");
  });

  test(`${name}: lease order is priority, then breadth-first; leased requests are not leased twice`, (t) => {
    const s = open(t);
    const j = s.createJob("j", {}).id;
    s.enqueue(j, [req("http://a.test/d2", 2), req("http://a.test/d1", 1), req("http://a.test/p5", 3, 5), req("http://a.test/d1b", 1)]);
    const got = lease(s, j, 10).map((r) => r.url);
    assert.deepEqual(got, ["http://a.test/p5", "http://a.test/d1", "http://a.test/d1b", "http://a.test/d2"]);
    assert.equal(lease(s, j).length, 0);
    const st = s.stats(j);
    assert.equal(st.leased, 4);
    assert.equal(st.queued, 0);
  });

  test(`${name}: maxStarted caps leases exactly and skipHosts are left alone`, (t) => {
    const s = open(t);
    const j = s.createJob("j", {}).id;
    s.enqueue(j, Array.from({ length: 10 }, (_, i) => req(`http://a.test/${i}`)).concat([req("http://b.test/x")]));
    const first = lease(s, j, 3, { maxStarted: 5, skipHosts: ["b.test"] });
    assert.equal(first.length, 3);
    assert.ok(first.every((r) => r.host === "a.test"));
    const second = lease(s, j, 10, { maxStarted: 5 });
    assert.equal(second.length, 2, "only 5 may ever start");
    assert.equal(s.stats(j).started, 5);
    // A retried request was started already: it may run again without passing the cap.
    assert.ok(s.failRequest(j, "me", { requestId: second[0]!.id, code: "X", message: "boom", retryAt: 0 }));
    const third = lease(s, j, 10, { maxStarted: 5 });
    assert.deepEqual(third.map((r) => r.id), [second[0]!.id]);
    assert.equal(s.stats(j).started, 5);
    assert.equal(s.nextDueAt(j, { startedOnly: true }), null);
    assert.notEqual(s.nextDueAt(j), null, "unstarted requests remain queued");
  });

  test(`${name}: a page commit stores state, items, links and fields together`, (t) => {
    const s = open(t);
    const j = s.createJob("j", {}).id;
    s.enqueue(j, [req("http://a.test/")]);
    const [r] = lease(s, j);
    const items = [{ type: "quote", json: '{"text":"a","n":1}' }, { type: "quote", json: '{"text":"b","tags":["x"]}' }];
    const commit = page(r!.id, items, [req("http://a.test/next", 1), req("http://a.test/", 1)]);
    commit.newFields = [["quote", "text"], ["quote", "n"], ["quote", "tags"]];
    assert.equal(s.commitPage(j, "me", commit), "committed");
    const st = s.stats(j);
    assert.deepEqual([st.done, st.items, st.queued, st.leased], [1, 2, 1, 0]);
    assert.deepEqual([...s.iterateItems(j)].map((i) => i.json), [items[0]!.json, items[1]!.json]);
    assert.deepEqual(s.itemFields(j, "quote"), ["text", "n", "tags"]);
    assert.deepEqual(s.itemTypes(j), ["quote"]);
    assert.equal(s.commitPage(j, "me", commit), "lost", "a page commits once");
    assert.equal(s.stats(j).items, 2);
  });

  test(`${name}: a commit under a lost lease changes nothing`, (t) => {
    const s = open(t);
    const j = s.createJob("j", {}).id;
    s.enqueue(j, [req("http://a.test/")]);
    const [r] = lease(s, j);
    assert.equal(s.commitPage(j, "someone-else", page(r!.id, [{ type: "t", json: '{"a":1}' }], [req("http://a.test/n", 1)])), "lost");
    const st = s.stats(j);
    assert.deepEqual([st.done, st.items, st.queued, st.leased], [0, 0, 0, 1]);
  });

  test(`${name}: a commit that fails midway leaves no trace`, (t) => {
    const s = open(t);
    const j = s.createJob("j", {}).id;
    s.enqueue(j, [req("http://a.test/")]);
    const [r] = lease(s, j);
    const bad = page(r!.id, [{ type: "t", json: '{"a":1}' }, { type: null as unknown as string, json: "{}" }], [req("http://a.test/n", 1)]);
    assert.throws(() => s.commitPage(j, "me", bad));
    const st = s.stats(j);
    assert.deepEqual([st.done, st.items, st.queued, st.leased], [0, 0, 0, 1]);
    assert.equal([...s.iterateItems(j)].length, 0);
    assert.equal(s.commitPage(j, "me", page(r!.id, [{ type: "t", json: '{"a":1}' }])), "committed", "the page can still commit");
  });

  test(`${name}: failures retry later or end the request; released leases return to the queue`, (t) => {
    const s = open(t);
    const j = s.createJob("j", {}).id;
    s.enqueue(j, [req("http://a.test/1"), req("http://a.test/2"), req("http://a.test/3")]);
    const [a, b] = lease(s, j, 2);
    const later = Date.now() + 60_000;
    assert.ok(s.failRequest(j, "me", { requestId: a!.id, code: "GLEANER_ERR_FETCH_TIMEOUT", message: "slow", retryAt: later }));
    assert.ok(s.failRequest(j, "me", { requestId: b!.id, code: "GLEANER_ERR_HTTP_STATUS", message: "HTTP 404", status: 404, retryAt: null }));
    assert.equal(s.nextDueAt(j), 0, "request 3 is due now");
    const [c] = lease(s, j, 10);
    assert.equal(c?.url, "http://a.test/3");
    assert.equal(lease(s, j, 10).length, 0, "the retry is not due yet");
    assert.equal(s.nextDueAt(j), later);
    const st = s.stats(j);
    assert.deepEqual([st.failed, st.errors, st.queued, st.leased], [1, 2, 1, 1]);
    assert.equal(s.releaseLeases(j, {}), 1);
    assert.equal(s.stats(j).leased, 0);
    const retried = s.lease(j, { limit: 10, now: later, leaseMs: 1000, owner: "me", maxStarted: 100 });
    assert.deepEqual(retried.map((r) => r.url).sort(), ["http://a.test/1", "http://a.test/3"]);
    assert.equal(retried.find((r) => r.url.endsWith("/1"))?.failures, 1);
    assert.equal(s.listErrors(j, { limit: 10 }).length, 2);
    assert.equal(s.listRequests(j, { state: "failed", limit: 10 })[0]?.status, 404);
  });

  test(`${name}: a requeued lease is due again at once, without a failure or an error`, (t) => {
    const s = open(t);
    const j = s.createJob("j", {}).id;
    s.enqueue(j, [req("http://a.test/1"), req("http://a.test/2")]);
    const [a] = lease(s, j, 1);
    assert.equal(s.requeueLeased(j, "someone-else", a!.id), false, "only the lease owner hands it back");
    assert.ok(s.requeueLeased(j, "me", a!.id));
    assert.equal(s.requeueLeased(j, "me", a!.id), false, "no longer leased");
    const st = s.stats(j);
    assert.deepEqual([st.queued, st.leased, st.failed, st.errors, st.done], [2, 0, 0, 0, 0]);
    const again = lease(s, j, 10);
    assert.deepEqual(again.map((r) => r.url), ["http://a.test/1", "http://a.test/2"], "same order as before: not pushed back");
    assert.equal(again[0]!.failures, 0);
    assert.equal(s.listErrors(j, { limit: 10 }).length, 0);
    assert.equal(s.commitPage(j, "me", page(again[0]!.id)), "committed");
  });

  test(`${name}: a redirect onto a known URL keeps the items once`, (t) => {
    const s = open(t);
    const j = s.createJob("j", {}).id;
    s.enqueue(j, [req("http://a.test/old"), req("http://a.test/new"), req("http://a.test/other")]);
    const [oldR, newR, otherR] = lease(s, j, 3);
    const item = [{ type: "t", json: '{"a":1}' }];
    assert.equal(s.commitPage(j, "me", page(newR!.id, item)), "committed");
    const dup = { ...page(oldR!.id, item), aliasUrl: { url: "http://a.test/new", host: "a.test", depth: 0 } };
    assert.equal(s.commitPage(j, "me", dup), "duplicate");
    const fresh = { ...page(otherR!.id, item), aliasUrl: { url: "http://a.test/moved", host: "a.test", depth: 0 } };
    assert.equal(s.commitPage(j, "me", fresh), "committed");
    assert.equal(s.stats(j).items, 2);
    s.enqueue(j, [req("http://a.test/moved")]);
    assert.equal(lease(s, j).length, 0, "the redirect target counts as fetched");
  });

  test(`${name}: item listing pages with a cursor and filters by type`, (t) => {
    const s = open(t);
    const j = s.createJob("j", {}).id;
    s.enqueue(j, [req("http://a.test/")]);
    const [r] = lease(s, j);
    const items = Array.from({ length: 25 }, (_, i) => ({ type: i % 2 ? "odd" : "even", json: JSON.stringify({ i }) }));
    s.commitPage(j, "me", page(r!.id, items));
    const p1 = s.listItems(j, { limit: 10 });
    const p2 = s.listItems(j, { limit: 10, after: p1.at(-1)!.id });
    const p3 = s.listItems(j, { limit: 10, after: p2.at(-1)!.id });
    assert.deepEqual([p1.length, p2.length, p3.length], [10, 10, 5]);
    assert.equal(new Set([...p1, ...p2, ...p3].map((i) => i.id)).size, 25);
    assert.equal(s.listItems(j, { type: "odd", limit: 100 }).length, 12);
    assert.equal([...s.iterateItems(j, { type: "even" })].length, 13);
    s.deleteJob(j);
    assert.equal(s.getJob(j), null);
    assert.equal([...s.iterateItems(j)].length, 0);
  });
}
