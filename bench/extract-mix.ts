/**
 * The extraction stage on the crawl's own mix of pages: every 33rd HTML page of the 10,000-page
 * practice site (quotes, authors with 7 KB biographies, jobs, products), run through the
 * ExtractPreparer exactly as an extraction worker runs it (UTF-8 bytes one per char, links
 * canonicalized and scoped, items serialized), with examples/practice.yaml's rules. Where
 * bench/extract-micro.ts times one quotes page, this shows what the benchmark's worker does.
 *
 *   npm run build && node dist/bench/extract-mix.js [--rounds 12] [--every 33]
 *
 * To compare two builds, run it in each checkout, alternating, and compare the minima.
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { ExtractPreparer, scopedResolver } from "../src/engine/extract-pool/prepare.js";
import { compileExtractor, matchUrlGlob } from "../src/extract/index.js";
import { compileScope } from "../src/frontier/index.js";
import { startPracticeSite } from "../src/practice/index.js";
import { readSpecFile, validateSpec } from "../src/spec/index.js";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "12" }, every: { type: "string", default: "33" } },
  strict: true,
});
const rounds = Number(values.rounds);
const every = Number(values.every);
if (!Number.isInteger(rounds) || rounds < 3 || !Number.isInteger(every) || every < 1) {
  process.stderr.write("usage: extract-mix.js [--rounds n>=3] [--every n>=1]\n");
  process.exit(2);
}

const site = await startPracticeSite({ pages: 10_000 });
const pages: { url: string; html: string; utf8Bytes: boolean }[] = [];
try {
  for (const path of site.manifest.pages.filter((_, i) => i % every === 0)) {
    const res = await fetch(site.url + path);
    if (!(res.headers.get("content-type") ?? "").startsWith("text/html")) continue;
    const bytes = Buffer.from(await res.arrayBuffer());
    pages.push({ url: res.url, html: bytes.toString("latin1"), utf8Bytes: !bytes.every((b) => b < 128) });
  }
} finally {
  await site.close();
}

const spec = validateSpec(readSpecFile(fileURLToPath(new URL("../../examples/practice.yaml", import.meta.url))), "examples/practice.yaml");
const preparer = new ExtractPreparer(
  compileExtractor(spec.extract, spec.follow, { matchUrl: matchUrlGlob, resolveLink: scopedResolver(compileScope(spec.scope)) }),
  null,
);
const kinds = new Map<string, number>();
for (const p of pages) {
  const kind = new URL(p.url).pathname.split("/")[1] || "/";
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
}

const perPage: number[] = [];
let items = 0;
for (let r = 0; r < rounds; r++) {
  // Fresh copies each round: a worker receives a new string per page.
  const copies = pages.map((p) => ({ ...p, html: (" " + p.html).slice(1) }));
  const t = performance.now();
  items = 0;
  for (let k = 0; k < 4; k++) for (const p of copies) items += preparer.prepare(p.html, p.url, 1, false, p.utf8Bytes).items.length;
  perPage.push(((performance.now() - t) * 1000) / (4 * copies.length));
}
const warm = perPage.slice(2).sort((a, b) => a - b);
console.log(
  JSON.stringify({
    bench: "extract-mix",
    pages: pages.length,
    kinds: Object.fromEntries(kinds),
    itemsPerPass: items / 4,
    minUsPerPage: +warm[0]!.toFixed(1),
    medianUsPerPage: +warm[warm.length >> 1]!.toFixed(1),
  }),
);
