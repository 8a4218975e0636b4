import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { startPracticeSite } from "../src/practice/index.js";
import { SqliteStore } from "../src/store/index.js";
import { runCli } from "./support/cli.js";
import { practiceSpec } from "./support/practice-spec.js";
import { tempDir } from "./support/tmp.js";
import { verifyCrawl } from "./support/verify-crawl.js";

async function waitForPages(db: string, n: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    try {
      const conn = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const row = conn.prepare("SELECT n_done FROM jobs ORDER BY id DESC LIMIT 1").get() as { n_done: number } | undefined;
        if (row && row.n_done >= n) return;
      } finally {
        conn.close();
      }
    } catch {
      // the database may not exist yet
    }
    await sleep(20);
  }
  throw new Error(`crawl never reached ${n} pages`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  test(`${signal} stops gracefully (exit ${signal === "SIGINT" ? 130 : 143}) and resume completes the job exactly`, async (t) => {
    const site = await startPracticeSite({ pages: 200 });
    t.after(() => site.close());
    const dir = tempDir(t);
    const spec = join(dir, "p.json");
    // A polite rate keeps the crawl running long enough to be interrupted midway.
    writeFileSync(spec, JSON.stringify(practiceSpec(site.url, { politeness: { perHost: { rate: "150/s", concurrency: 4 } } })));
    const db = join(dir, "g.db");
    let argv: string[] = [];
    const first = await runCli(["run", spec, "--db", db], {
      onSpawn: (child) =>
        void waitForPages(db, 40).then(() => {
          argv = readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0");
          child.kill(signal);
        }),
    });
    assert.equal(first.code, signal === "SIGINT" ? 130 : 143, first.stderr);
    // The executable's #! line started Node with the launcher's V8 settings.
    assert.deepEqual(argv.slice(1, 5), ["--max-semi-space-size=2", "--heap-growing-percent=25", "--liftoff-only", "--no-parallel-scavenge"], argv.join(" "));
    assert.match(first.stderr, /resume with: gleaner resume 1 --db /);

    const store = new SqliteStore(db);
    t.after(() => store.close());
    const mid = store.stats(1);
    assert.equal(store.getJob(1)?.state, "paused");
    assert.equal(mid.leased, 0, "in-flight pages were committed, buffered leases returned");
    assert.ok(mid.done >= 40 && mid.queued > 0, `stopped midway: ${JSON.stringify(mid)}`);

    const second = await runCli(["resume", "1", "--db", db, "--json"]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(store.getJob(1)?.state, "done");
    verifyCrawl(store, 1, site.url, site.manifest);
  });
}
