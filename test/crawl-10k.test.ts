import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { crawl } from "../src/index.js";
import { startPracticeSite } from "../src/practice/index.js";
import { SqliteStore } from "../src/store/index.js";
import { practiceSpec } from "./support/practice-spec.js";
import { tempDir } from "./support/tmp.js";
import { verifyCrawl } from "./support/verify-crawl.js";

test("a 10,000-page site: every page reached, every item extracted exactly once", async (t) => {
  const site = await startPracticeSite({ pages: 10_000 });
  t.after(() => site.close());
  assert.ok(site.manifest.pages.length >= 9_900, `site has ${site.manifest.pages.length} pages`);
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl(practiceSpec(site.url, { politeness: { robots: "obey", perHost: { rate: "unlimited", concurrency: 16 }, concurrency: 16 } }), { db: store });
  assert.equal(summary.state, "done");
  verifyCrawl(store, summary.job, site.url, site.manifest);
});
