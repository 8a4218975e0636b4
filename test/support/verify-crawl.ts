/** Checks a finished crawl in the store against the practice site's manifest, exactly. */
import assert from "node:assert/strict";
import type { SiteManifest } from "../../src/practice/index.js";
import type { SqliteStore } from "../../src/store/index.js";

/** JSON with sorted keys, so items compare by content. */
export function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

export function verifyCrawl(store: SqliteStore, jobId: number, siteUrl: string, m: SiteManifest): void {
  const rows = store.db.prepare("SELECT url, state, status FROM requests WHERE job_id = ?").all(jobId) as { url: string; state: string; status: number | null }[];
  const byUrl = new Map(rows.map((r) => [r.url, r]));
  assert.equal(byUrl.size, rows.length, "one request row per canonical URL");
  const abs = (p: string) => siteUrl + p;

  const missing = m.pages.filter((p) => byUrl.get(abs(p))?.state !== "done");
  assert.deepEqual(missing.slice(0, 10), [], `${missing.length} manifest pages not done`);
  for (const f of m.files) assert.equal(byUrl.get(abs(f.path))?.state, "done", `file ${f.path} recorded`);
  for (const p of m.notFound) assert.deepEqual([byUrl.get(abs(p))?.state, byUrl.get(abs(p))?.status], ["failed", 404], `404 ${p}`);
  for (const p of m.redirectLoops) {
    const r = byUrl.get(abs(p));
    if (r) assert.equal(r.state, "failed", `redirect loop ${p} fails`);
  }
  assert.ok(m.redirectLoops.some((p) => byUrl.get(abs(p))?.state === "failed"), "a redirect loop was met and failed");

  const allowedDone = new Set([...m.pages, ...m.files.map((f) => f.path), ...m.redirects.map((r) => r.from)].map(abs));
  const extra = rows.filter((r) => r.state === "done" && !allowedDone.has(r.url)).map((r) => r.url);
  assert.deepEqual(extra.slice(0, 10), [], "no page outside the manifest was fetched");

  for (const type of ["quote", "author", "job", "product"] as const) {
    const got = (store.db.prepare("SELECT data FROM items WHERE job_id = ? AND type = ?").all(jobId, type) as { data: string }[]).map((r) => stable(JSON.parse(r.data)));
    const want = m.items[type].map(stable);
    assert.equal(new Set(got).size, got.length, `${type}: no duplicate items`);
    assert.equal(got.length, want.length, `${type}: item count`);
    const wantSet = new Set(want);
    const wrong = got.filter((g) => !wantSet.has(g));
    assert.deepEqual(wrong.slice(0, 3), [], `${type}: items equal the site's contents`);
  }
}
