/**
 * Side-by-side crawl benchmark on this machine: gleaner, Crawlee (CheerioCrawler), Scrapy and
 * a raw-fetch ceiling crawl the same practice site (its own process, 127.0.0.1 only) at the same
 * concurrency, no delays, robots.txt ignored; runs alternate between tools; every run is
 * checked against the site's manifest (pages and items). See BENCHMARKS.md.
 *
 *   npm run build && npm run bench -- --pages 10000 --repeat 3 [--concurrency 16] [--timeout 600]
 *       [--tools gleaner,gleaner-1t,crawlee,scrapy,raw,raw-gzip] [--seed 1] [--out bench/results/latest.json] [--keep]
 *       [--scrapy-seen]   (Scrapy variant that skips links it already yielded, as gleaner does)
 *
 * Prints a table of medians and writes every raw run plus machine facts to --out.
 * Exits 1 when any gleaner run missed a page or an item (or failed), 2 on bad usage.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildManifest } from "../src/practice/index.js";
import { GNU_TIME, killActive, measure } from "./lib/measure.js";
import { crawlee, findScrapy, runSetup, scrapy, SCRAPY_SETTINGS } from "./lib/peers.js";
import { cpuSpread, distFingerprint, formatPaired, formatTable, machineFacts, pairedRatios, summarize, type RunRecord } from "./lib/report.js";
import { startSite, type SiteProcess } from "./lib/site.js";
import { gleaner, gleanerOneThread, raw, rawGzip, type RunContext, type Tool } from "./lib/tools.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ALL: Record<string, Tool> = { gleaner, "gleaner-1t": gleanerOneThread, crawlee, scrapy, raw, "raw-gzip": rawGzip };
const log = (s: string): void => void process.stderr.write(`bench: ${s}\n`);

function usage(msg: string): never {
  process.stderr.write(`bench: ${msg}\nusage: node dist/bench/run.js [--pages 10000] [--repeat 3] [--concurrency 16] [--timeout 600] [--tools gleaner,gleaner-1t,crawlee,scrapy,raw,raw-gzip] [--seed 1] [--out bench/results/latest.json] [--keep] [--scrapy-seen]\n`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        pages: { type: "string", default: "10000" },
        repeat: { type: "string", default: "3" },
        concurrency: { type: "string", default: "16" },
        timeout: { type: "string", default: "600" },
        tools: { type: "string", default: "gleaner,gleaner-1t,crawlee,scrapy,raw,raw-gzip" },
        seed: { type: "string", default: "1" },
        out: { type: "string", default: join(ROOT, "bench/results/latest.json") },
        keep: { type: "boolean", default: false },
        "scrapy-seen": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    });
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err));
  }
})();
if (values.help) usage("side-by-side crawl benchmark");
const int = (name: string, v: string, min: number): number => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min) usage(`--${name} must be an integer >= ${min}, got "${v}"`);
  return n;
};
const pages = int("pages", values.pages, 1);
const repeat = int("repeat", values.repeat, 1);
const concurrency = int("concurrency", values.concurrency, 1);
const timeoutMs = int("timeout", values.timeout, 1) * 1000;
const seed = int("seed", values.seed, 0);
const toolNames = values.tools.split(",").map((s) => s.trim()).filter(Boolean);
for (const t of toolNames) if (!ALL[t]) usage(`unknown tool "${t}" (known: ${Object.keys(ALL).join(", ")})`);
for (const f of ["dist/src/practice/main.js", "dist/bench/peers/raw-ceiling.js", "dist/src/cli/main.js"]) {
  if (!existsSync(join(ROOT, f))) usage(`${f} is missing: run \`npm run build\` first`);
}

if (!existsSync(GNU_TIME)) {
  log(`${GNU_TIME} not found: running scripts/bench-setup.sh`);
  runSetup(ROOT);
  if (!existsSync(GNU_TIME)) usage(`${GNU_TIME} is needed (apt-get install time)`);
}
const scrapyInfo = toolNames.includes("scrapy") ? findScrapy(ROOT, log) : null;
const notes: string[] = [];
const tools = toolNames.filter((t) => {
  if (t === "scrapy" && scrapyInfo === null) {
    notes.push("scrapy: no Python with Scrapy even after scripts/bench-setup.sh; not run");
    log(notes[notes.length - 1]!);
    return false;
  }
  return true;
}).map((t) => ALL[t]!);

const manifest = buildManifest({ pages, seed });
let site: SiteProcess | undefined;
const interrupt = (sig: NodeJS.Signals): void => {
  log(`${sig}: stopping`);
  killActive();
  void (site?.close() ?? Promise.resolve()).finally(() => process.exit(130));
};
process.once("SIGINT", interrupt);
process.once("SIGTERM", interrupt);

log(`starting the practice site (${pages} pages, seed ${seed})`);
site = await startSite(ROOT, { pages, seed, timeoutMs: 300_000 });
log(`site ${site.url} ready in ${site.startS.toFixed(1)} s: ${site.pages} pages`);
const runs: RunRecord[] = [];
const startedAt = new Date();
const machine = machineFacts(ROOT, scrapyInfo);
const distBefore = distFingerprint(ROOT);
try {
  if (site.pages !== manifest.pages.length) throw new Error(`site serves ${site.pages} pages, manifest lists ${manifest.pages.length}`);
  const total = repeat * tools.length;
  for (let rep = 0; rep < repeat; rep++) {
    // Alternate, and rotate who goes first, so no tool always gets the coldest or warmest slot.
    const order = tools.map((_, i) => tools[(i + rep) % tools.length]!);
    for (const tool of order) {
      const dir = mkdtempSync(join(tmpdir(), `gleaner-bench-${tool.name}-`));
      const ctx: RunContext = {
        root: ROOT, dir, siteUrl: site.url, concurrency, pages, seed, manifest, python: scrapyInfo?.python ?? null, scrapySeen: values["scrapy-seen"],
      };
      try {
        const { argv, env } = tool.command(ctx);
        const load1 = loadavg()[0]!;
        const cpu0 = site.cpuSeconds();
        const m = await measure(argv, { cwd: ROOT, env, timeoutMs, timeFile: join(dir, "time.txt") });
        const cpu1 = site.cpuSeconds();
        const c = tool.collect(ctx, m);
        const problems = [...c.problems];
        if (!c.pages.ok) problems.push(`found ${c.pages.found} of ${c.pages.expected} pages (missing e.g. ${c.pages.missing.slice(0, 3).join(", ")})`);
        if (c.items && !c.items.ok) problems.push(`items per type ${JSON.stringify(c.items.found)}, expected ${JSON.stringify(c.items.expected)}`);
        const cpuS = m.userS !== null && m.sysS !== null ? m.userS + m.sysS : null;
        const rssKB = Math.max(m.timeMaxRssKB ?? 0, m.treePeakRssKB);
        const rec: RunRecord = {
          tool: tool.name, repeat: rep + 1, seq: runs.length, ok: problems.length === 0, problems,
          argv: argv.map((a) => (a.startsWith(ROOT) ? relative(ROOT, a) || "." : a)),
          exitCode: m.exitCode, wallS: m.wallS, toolSeconds: c.toolSeconds,
          pagesPerS: c.pages.found / m.wallS,
          cpuS, userS: m.userS, sysS: m.sysS,
          cpuMsPerPage: cpuS === null || c.pages.found === 0 ? null : (cpuS * 1000) / c.pages.found,
          peakRssMB: rssKB > 0 ? rssKB / 1024 : null,
          timeMaxRssMB: m.timeMaxRssKB === null ? null : m.timeMaxRssKB / 1024,
          treePeakRssMB: m.treePeakRssKB / 1024, maxProcs: m.maxProcs,
          load1AtStart: load1,
          siteCpuS: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
          pages: c.pages, items: c.items, summary: c.summary,
          ...(problems.length > 0 ? { stderrTail: m.stderrTail } : {}),
        };
        runs.push(rec);
        const items = c.items ? `, ${c.items.foundTotal}/${c.items.expectedTotal} items (${c.items.exact} exact)` : "";
        log(
          `[${runs.length}/${total}] ${tool.name} #${rep + 1}: ${rec.ok ? "ok" : "FAILED"}, ${c.pages.found}/${c.pages.expected} pages${items}, ` +
            `${m.wallS.toFixed(2)} s, ${rec.pagesPerS.toFixed(0)} pages/s, CPU ${cpuS?.toFixed(2) ?? "?"} s, RSS ${rec.peakRssMB?.toFixed(0) ?? "?"} MB` +
            (rec.ok ? "" : `\n  ${problems.join("\n  ")}`),
        );
      } finally {
        if (values.keep) log(`kept ${dir}`);
        else rmSync(dir, { recursive: true, force: true });
      }
    }
  }
} finally {
  await site.close();
}

const distAfter = distFingerprint(ROOT);
if (distAfter !== distBefore) {
  notes.push("dist/src changed during the benchmark (rebuilt by someone else): gleaner's runs may not all have run the same code");
  log(notes[notes.length - 1]!);
}
const names = tools.map((t) => t.name);
const summary = summarize(runs, names);
const table = formatTable(summary);
const paired = pairedRatios(runs, names);
const spread = cpuSpread(runs, names);
const pairedText = formatPaired(paired, spread);
process.stdout.write(`\n${table}\n\n${pairedText ? `${pairedText}\n\n` : ""}`);
process.stdout.write(
  `medians of ${repeat} run(s) per tool; ${pages} pages, concurrency ${concurrency}; pages/s = distinct manifest pages fetched ÷ wall time (process start to exit);\n` +
    `CPU = user+sys of the tool's process tree (GNU time); site CPU = the practice site's own CPU during the run.\n`,
);

const out = resolve(values.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      command: `node ${relative(ROOT, process.argv[1]!)} ${process.argv.slice(2).join(" ")}`.trim(),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      options: { pages, repeat, concurrency, timeoutS: timeoutMs / 1000, seed, tools: names, scrapySeen: values["scrapy-seen"] },
      site: { pagesInManifest: manifest.pages.length, itemsInManifest: Object.fromEntries(Object.entries(manifest.items).map(([k, v]) => [k, v.length])), warmUpS: site.startS },
      machine,
      gleanerBuild: { distSrcBefore: distBefore, distSrcAfter: distAfter, changedDuringRun: distBefore !== distAfter },
      tools: Object.fromEntries(tools.map((t) => [t.name, t.describe])),
      scrapySettings: SCRAPY_SETTINGS(concurrency),
      notes,
      summary,
      table,
      paired,
      cpuSpread: spread,
      runs,
    },
    null,
    2,
  ) + "\n",
);
log(`wrote ${relative(process.cwd(), out) || out}`);

const gleanerRuns = runs.filter((r) => r.tool === "gleaner" || r.tool === "gleaner-1t");
if (gleanerRuns.some((r) => !r.ok)) {
  log("gleaner FAILED the count check (see problems above)");
  process.exitCode = 1;
}
