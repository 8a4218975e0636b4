/**
 * Scenario (d): a browser crawl. gleaner renders N pages of the practice site in Debian's
 * Chromium (fetch.mode: browser); then Crawlee's PlaywrightCrawler does the same on the same
 * Chromium (bench/peers/crawlee-playwright.mjs). We report pages/s, CPU and the peak RSS of each
 * whole process tree, browser included, sampled from /proc.
 *
 *   npm run build && node dist/bench/browser.js [--pages 1000] [--concurrency 4] [--max-pages 4] [--no-crawlee]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { lastJsonLine, measure } from "./lib/measure.js";
import { startSite } from "./lib/site.js";
import { gleanerSpec } from "./lib/tools.js";

const { values } = parseArgs({
  options: { pages: { type: "string", default: "1000" }, concurrency: { type: "string", default: "4" }, "max-pages": { type: "string", default: "4" }, timeout: { type: "string", default: "900" }, "no-crawlee": { type: "boolean" } },
  strict: true,
});
const root = fileURLToPath(new URL("../..", import.meta.url));
const pages = Number(values.pages);
const concurrency = Number(values.concurrency);
const dir = mkdtempSync(join(tmpdir(), "gleaner-bench-browser-"));
const site = await startSite(root, { pages, seed: 1, timeoutMs: 120_000 });
try {
  const spec = gleanerSpec(root, site.url, concurrency);
  spec.scope = { maxPages: pages };
  spec.fetch = { mode: "browser", timeout: "30s", browser: { maxPages: Number(values["max-pages"]) } };
  const file = join(dir, "spec.json");
  writeFileSync(file, JSON.stringify(spec));
  const db = join(dir, "g.db");
  const m = await measure([join(root, "bin/gleaner.js"), "run", file, "--db", db, "--json", "--quiet"], {
    cwd: root,
    timeoutMs: Number(values.timeout) * 1000,
    timeFile: join(dir, "time.txt"),
  });
  const summary = lastJsonLine(m.stdout) as { pages?: number; items?: number; state?: string } | null;
  const conn = new Database(db, { readonly: true });
  const browserPages = (conn.prepare("SELECT COUNT(*) AS n FROM requests WHERE fetcher = 'browser' AND state = 'done'").get() as { n: number }).n;
  conn.close();
  const result = {
    bench: "browser",
    date: new Date().toISOString(),
    pages: summary?.pages ?? null,
    browserPages,
    items: summary?.items ?? null,
    state: summary?.state ?? null,
    wallS: Math.round(m.wallS * 100) / 100,
    pagesPerSecond: summary?.pages ? Math.round((summary.pages / m.wallS) * 10) / 10 : null,
    cpuS: m.userS !== null && m.sysS !== null ? Math.round((m.userS + m.sysS) * 100) / 100 : null,
    treePeakRssMB: Math.round(m.treePeakRssKB / 1024),
    maxProcesses: m.maxProcs,
    concurrency,
    browserMaxPages: Number(values["max-pages"]),
    command: `node dist/bench/browser.js --pages ${pages} --concurrency ${concurrency} --max-pages ${values["max-pages"]}`,
  };
  let crawlee: Record<string, unknown> | null = null;
  if (!values["no-crawlee"]) {
    const storage = join(dir, "crawlee");
    const c = await measure([process.execPath, join(root, "bench/peers/crawlee-playwright.mjs"), "--url", site.url + "/", "--max", String(pages), "--concurrency", String(concurrency)], {
      cwd: root,
      env: { ...process.env, CRAWLEE_STORAGE_DIR: storage },
      timeoutMs: Number(values.timeout) * 1000,
      timeFile: join(dir, "time-crawlee.txt"),
    });
    const cs = lastJsonLine(c.stdout) as { pages?: number; items?: number } | null;
    crawlee = {
      tool: "crawlee PlaywrightCrawler 3.18.1 (quotes only)",
      pages: cs?.pages ?? null,
      items: cs?.items ?? null,
      wallS: Math.round(c.wallS * 100) / 100,
      pagesPerSecond: cs?.pages ? Math.round((cs.pages / c.wallS) * 10) / 10 : null,
      cpuS: c.userS !== null && c.sysS !== null ? Math.round((c.userS + c.sysS) * 100) / 100 : null,
      treePeakRssMB: Math.round(c.treePeakRssKB / 1024),
      exitCode: c.exitCode,
    };
  }
  const out = { ...result, crawlee, gleanerOverCrawlee: crawlee?.pagesPerSecond ? Math.round(((result.pagesPerSecond ?? 0) / (crawlee.pagesPerSecond as number)) * 100) / 100 : null };
  console.log(JSON.stringify(out));
  writeFileSync(join(root, "bench/results/browser.json"), JSON.stringify(out, null, 2) + "\n");
  if (summary?.state !== "done" || browserPages < pages) process.exitCode = 1;
} finally {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
}
