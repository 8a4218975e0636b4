/**
 * The peers: Crawlee's CheerioCrawler (bench/peers/crawlee-quotes.mjs) and Scrapy
 * (bench/peers/scrapy_quotes.py), each reading back its own storage after it exits:
 * Crawlee's Dataset (one JSON file per item) and Scrapy's JSONL feed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lastJsonLine } from "./measure.js";
import { exitProblems, readUrlList, type Tool } from "./tools.js";
import { checkPages, ItemTally } from "./verify.js";

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function split(item: Record<string, unknown>): [string, Record<string, unknown>] {
  const { _type, ...fields } = item;
  return [String(_type), fields];
}

export const crawlee: Tool = {
  name: "crawlee",
  describe: "Crawlee CheerioCrawler (default on-disk storage, Dataset per item)",
  command(ctx) {
    return {
      argv: [process.execPath, join(ctx.root, "bench/peers/crawlee-quotes.mjs"), "--url", `${ctx.siteUrl}/`, "--concurrency", String(ctx.concurrency), "--out", join(ctx.dir, "pages.json")],
      env: { ...process.env, CRAWLEE_STORAGE_DIR: join(ctx.dir, "storage") },
    };
  },
  collect(ctx, m) {
    const summary = lastJsonLine(m.stdout);
    const problems = exitProblems(m, summary);
    const urls = readUrlList(join(ctx.dir, "pages.json"), problems);
    const tally = new ItemTally(ctx.manifest);
    const dataset = join(ctx.dir, "storage/datasets/default");
    if (existsSync(dataset)) {
      for (const f of readdirSync(dataset)) {
        if (!f.endsWith(".json") || f.startsWith("__")) continue; // __metadata__.json
        tally.add(...split(JSON.parse(readFileSync(join(dataset, f), "utf8")) as Record<string, unknown>));
      }
    } else {
      problems.push(`no dataset at ${dataset}`);
    }
    return { summary, toolSeconds: num(summary?.seconds), pages: checkPages(ctx.manifest, urls, num(summary?.fetches)), items: tally.result(), problems };
  },
};

export const SCRAPY_SETTINGS = (concurrency: number): Record<string, string> => ({
  CONCURRENT_REQUESTS: String(concurrency),
  CONCURRENT_REQUESTS_PER_DOMAIN: String(concurrency),
  DOWNLOAD_DELAY: "0",
  ROBOTSTXT_OBEY: "False",
  AUTOTHROTTLE_ENABLED: "False",
  RETRY_TIMES: "1",
  LOG_LEVEL: "WARNING",
  TELNETCONSOLE_ENABLED: "False",
  REQUEST_FINGERPRINTER_IMPLEMENTATION: "2.7",
});

export const scrapy: Tool = {
  name: "scrapy",
  describe: "Scrapy runspider (JSONL feed)",
  command(ctx) {
    if (ctx.python === null) throw new Error("no Python with Scrapy");
    const settings = Object.entries(SCRAPY_SETTINGS(ctx.concurrency)).flatMap(([k, v]) => ["-s", `${k}=${v}`]);
    return {
      argv: [
        ctx.python, "-m", "scrapy", "runspider", join(ctx.root, "bench/peers/scrapy_quotes.py"),
        "-a", `start_url=${ctx.siteUrl}/`, "-a", `pages_out=${join(ctx.dir, "pages.json")}`, ...(ctx.scrapySeen ? ["-a", "seen=1"] : []),
        "-O", join(ctx.dir, "items.jsonl"), ...settings,
      ],
    };
  },
  collect(ctx, m) {
    const summary = lastJsonLine(m.stdout);
    const problems = exitProblems(m, summary);
    if (summary && summary.reason !== "finished") problems.push(`spider closed: ${String(summary.reason)}`);
    const urls = readUrlList(join(ctx.dir, "pages.json"), problems);
    const tally = new ItemTally(ctx.manifest);
    const feed = join(ctx.dir, "items.jsonl");
    if (existsSync(feed)) {
      for (const line of readFileSync(feed, "utf8").split("\n")) {
        if (line.trim() !== "") tally.add(...split(JSON.parse(line) as Record<string, unknown>));
      }
    } else {
      problems.push(`no feed at ${feed}`);
    }
    return { summary, toolSeconds: num(summary?.seconds), pages: checkPages(ctx.manifest, urls, num(summary?.fetches)), items: tally.result(), problems };
  },
};

/** `python -c` answering Scrapy's and Python's versions, or null. */
function probe(python: string): { python: string; scrapy: string; version: string } | null {
  const r = spawnSync(python, ["-c", "import scrapy, sys; print(scrapy.__version__, sys.version.split()[0])"], { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) return null;
  const [scrapyVersion, version] = r.stdout.trim().split(" ");
  return scrapyVersion && version ? { python, scrapy: scrapyVersion, version } : null;
}

/**
 * A Python that imports Scrapy: $BENCH_PYTHON, python3 on PATH, then Debian's /usr/bin/python3
 * (where python3-scrapy lands; PATH may hold a pyenv one). When none does, runs
 * scripts/bench-setup.sh (apt-get install python3-scrapy) once and looks again.
 */
export function findScrapy(root: string, log: (s: string) => void): { python: string; scrapy: string; version: string } | null {
  const candidates = [process.env.BENCH_PYTHON, "python3", "/usr/bin/python3"].filter((c): c is string => !!c);
  const look = (): ReturnType<typeof probe> => {
    for (const c of candidates) {
      const found = probe(c);
      if (found) return found;
    }
    return null;
  };
  const found = look();
  if (found) return found;
  log("Scrapy not found: running scripts/bench-setup.sh");
  runSetup(root);
  return look();
}

/** scripts/bench-setup.sh (Scrapy and GNU time from Debian); its output goes to stderr. */
export function runSetup(root: string): void {
  spawnSync("bash", [join(root, "scripts/bench-setup.sh")], { stdio: ["ignore", 2, 2], timeout: 15 * 60_000 });
}
