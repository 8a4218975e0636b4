/**
 * Export throughput and memory: streams N synthetic items to a temp file in each format.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/export-memory.js [--items 1000000] [--format jsonl]
 *
 * Without --format, each format runs in its own child process so that peak RSS
 * (process.resourceUsage().maxRSS is a lifetime peak) belongs to that format alone.
 * Prints one JSON line per format, after a "source-only" line (the cost of producing the rows). The row source is `rowSource` below: swap it for the
 * real store (e.g. `() => store.iterateItems(jobId)`) to measure SQLite end to end.
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { finished } from "node:stream/promises";
import { EXPORT_FORMATS, writeExport, type ExportFormat, type ExportRow } from "../src/export/index.js";

/** A lazy row source plus the CSV column union the store would report. */
export interface RowSource {
  fields: string[];
  rows(n: number): Iterable<ExportRow>;
}

const WORDS = (
  "the world as we have created it is a process of our thinking it cannot be changed without " +
  "changing life is like riding bicycle to keep your balance you must moving “quoted” naïve — café"
).split(" ");
const AUTHORS = ["Albert Einstein", "J.K. Rowling", "Jane Austen", "Marilyn Monroe", "André Gide", "Thomas A. Edison"];
const TAGS = ["life", "love", "inspirational", "humor", "books", "truth", "change", "deep-thoughts", "world"];

/**
 * Quote-like items, ~200 bytes of JSON each, made on demand. Texts, authors and tag lists are
 * drawn from a pre-built pool (deterministic PRNG) and concatenated into a fresh json string per
 * row, like a SQLite driver returning a new string per row, without the generator dominating.
 */
export const syntheticSource: RowSource = {
  fields: ["text", "author", "tags", "page"],
  *rows(n: number): Iterable<ExportRow> {
    let seed = 42;
    const rand = (k: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % k;
    };
    const POOL = 1024;
    const texts: string[] = [];
    const tagLists: string[] = [];
    for (let p = 0; p < POOL; p++) {
      let text = "";
      const words = 14 + rand(14);
      for (let w = 0; w < words; w++) text += (w ? " " : "") + WORDS[rand(WORDS.length)];
      texts.push(JSON.stringify(text));
      const tags: string[] = [];
      for (let t = 1 + rand(3); t > 0; t--) tags.push(TAGS[rand(TAGS.length)]!);
      tagLists.push(JSON.stringify(tags));
    }
    const authors = AUTHORS.map((a) => JSON.stringify(a));
    for (let i = 0; i < n; i++) {
      const page = 1 + (i % 10);
      yield {
        type: "quote",
        url: `https://quotes.toscrape.com/page/${page}/#q${i}`,
        json: `{"text":${texts[rand(POOL)]},"author":${authors[rand(authors.length)]},"tags":${tagLists[rand(POOL)]},"page":${page}}`,
      };
    }
  },
};

/** Time to pull every row from the source alone, so the export's own cost can be read off. */
function sourceOnly(items: number): Record<string, unknown> {
  const t0 = process.hrtime.bigint();
  let count = 0;
  let chars = 0;
  for (const row of rowSource.rows(items)) {
    count++;
    chars += row.json.length;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    bench: "export-memory",
    format: "source-only",
    items: count,
    seconds: +seconds.toFixed(3),
    itemsPerSec: Math.round(count / seconds),
    avgJsonChars: Math.round(chars / Math.max(count, 1)),
  };
}

const rowSource: RowSource = syntheticSource;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const MB = 1024 * 1024;

async function runOne(format: ExportFormat, items: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "gleaner-bench-export-"));
  const file = join(dir, `items.${format}`);
  try {
    const rssStart = process.memoryUsage().rss;
    let rssPeak = rssStart;
    const timer = setInterval(() => {
      const rss = process.memoryUsage().rss;
      if (rss > rssPeak) rssPeak = rss;
    }, 20);
    const out = createWriteStream(file);
    const t0 = process.hrtime.bigint();
    const { count, bytes } = await writeExport(rowSource.rows(items), { format, fields: rowSource.fields, out });
    out.end();
    await finished(out);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(timer);
    if (statSync(file).size !== bytes) throw new Error(`file size ${statSync(file).size} != reported ${bytes}`);
    return {
      bench: "export-memory",
      format,
      items: count,
      seconds: +seconds.toFixed(3),
      itemsPerSec: Math.round(count / seconds),
      MBPerSec: +(bytes / MB / seconds).toFixed(1),
      bytes,
      rssStartMB: +(rssStart / MB).toFixed(1),
      rssPeakSampledMB: +(rssPeak / MB).toFixed(1),
      maxRssMB: +(process.resourceUsage().maxRSS / 1024).toFixed(1), // maxRSS is in KiB
      node: process.version,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const items = Number(arg("--items") ?? 1_000_000);
  if (!Number.isInteger(items) || items < 0) throw new Error("--items must be a non-negative integer");
  const format = arg("--format");
  if (format !== undefined) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new Error(`--format: one of ${EXPORT_FORMATS.join(", ")}`);
    console.log(JSON.stringify(await runOne(format as ExportFormat, items)));
    return;
  }
  console.log(JSON.stringify(sourceOnly(items)));
  const self = fileURLToPath(import.meta.url);
  for (const f of EXPORT_FORMATS) {
    const child = spawnSync(process.execPath, [self, "--format", f, "--items", String(items)], { stdio: "inherit" });
    if (child.status !== 0) process.exitCode = 1;
  }
}

// Run only as a script, so other benches can import syntheticSource.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
