import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { startPracticeSite } from "../src/practice/index.js";
import { SqliteStore } from "../src/store/index.js";
import { runCli } from "./support/cli.js";
import { practiceSpec } from "./support/practice-spec.js";
import { tempDir } from "./support/tmp.js";
import { verifyCrawl } from "./support/verify-crawl.js";

function pagesDone(db: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare("SELECT n_done FROM jobs ORDER BY id DESC LIMIT 1").get() as { n_done: number } | undefined)?.n_done ?? 0;
    } finally {
      conn.close();
    }
  } catch {
    return 0; // not created yet
  }
}

test("SIGKILL at 20 different moments: resumed each time, nothing lost, nothing duplicated", async (t) => {
  const site = await startPracticeSite({ pages: 300 });
  t.after(() => site.close());
  const dir = tempDir(t);
  const spec = join(dir, "p.json");
  writeFileSync(spec, JSON.stringify(practiceSpec(site.url, { politeness: { perHost: { rate: "300/s", concurrency: 4 } } })));
  const db = join(dir, "g.db");
  const total = site.manifest.pages.length;
  let kills = 0;
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 1000) / 1000;
  for (let i = 0; i < 20; i++) {
    const threshold = Math.floor((i * total) / 22);
    // Alternate the two ways of continuing: --resume on the spec, and resume by job id.
    const args = i === 0 ? ["run", spec, "--db", db, "--quiet"] : i % 2 ? ["run", spec, "--db", db, "--resume", "--quiet"] : ["resume", "1", "--db", db, "--quiet"];
    const r = await runCli(args, {
      onSpawn: (child) =>
        void (async () => {
          while (child.exitCode === null && pagesDone(db) < threshold) await sleep(5);
          await sleep(random() * 40); // land at different points of the fetch/commit cycle
          if (child.kill("SIGKILL")) kills++;
        })(),
    });
    assert.ok(r.signal === "SIGKILL" || r.code === 0, `run ${i}: ${r.stderr}`);
  }
  assert.ok(kills >= 18, `${kills} of 20 runs were killed mid-crawl`);
  const last = await runCli(["run", spec, "--db", db, "--resume", "--json", "--quiet"]);
  assert.equal(last.code, 0, last.stderr);
  const store = new SqliteStore(db);
  t.after(() => store.close());
  assert.equal(store.listJobs().length, 1, "every resume continued the same job");
  assert.equal(store.getJob(1)?.state, "done");
  verifyCrawl(store, 1, site.url, site.manifest);
});
