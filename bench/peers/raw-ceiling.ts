/**
 * The raw ceiling for bench/run.ts: GETs every page of the practice site's manifest with one
 * undici Pool at the given concurrency and reads each body to the end. No parsing, no link
 * discovery, no storage: what fetching alone costs against this server on this machine.
 * With --gzip it asks for gzip, as the crawlers do, and inflates each body (the work any crawler
 * must do before it can parse a page): an informational second ceiling.
 *
 *   node dist/bench/peers/raw-ceiling.js --url http://127.0.0.1:8080 --pages 10000 --concurrency 16 --out pages.json [--gzip]
 *
 * Writes the 200 text/html URLs to --out (JSON list); prints one JSON summary line.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { Pool } from "undici";
import { buildManifest } from "../../src/practice/index.js";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    pages: { type: "string", default: "10000" },
    seed: { type: "string", default: "1" },
    concurrency: { type: "string", default: "16" },
    out: { type: "string" },
    gzip: { type: "boolean", default: false },
  },
  strict: true,
});
if (!values.url || !values.out) {
  process.stderr.write("usage: raw-ceiling.js --url <origin> --out <pages.json> [--pages 10000] [--seed 1] [--concurrency 16]\n");
  process.exit(2);
}
const origin = values.url.replace(/\/+$/, "");
const concurrency = Number(values.concurrency);
const t0 = performance.now();
const paths = buildManifest({ pages: Number(values.pages), seed: Number(values.seed) }).pages;
const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
const gzip = values.gzip === true;
const requestHeaders = gzip ? { "accept-encoding": "gzip" } : {};

const fetched: string[] = [];
let fetches = 0;
let bytes = 0;
let errors = 0;
let firstError = "";
let next = 0;

async function worker(): Promise<void> {
  for (let i = next++; i < paths.length; i = next++) {
    const path = paths[i]!;
    try {
      const { statusCode, headers, body } = await pool.request({ path, method: "GET", headers: requestHeaders });
      if (gzip && headers["content-encoding"] === "gzip") {
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(chunk as Buffer);
        bytes += gunzipSync(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).length;
      } else {
        for await (const chunk of body) bytes += (chunk as Buffer).length;
      }
      const ctype = String(headers["content-type"] ?? "");
      if (statusCode === 200 && ctype.startsWith("text/html")) {
        fetches++;
        fetched.push(origin + path);
      }
    } catch (err) {
      errors++;
      if (!firstError) firstError = `${path}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - t0) / 1000;
await pool.close();
writeFileSync(values.out, JSON.stringify(fetched));
process.stdout.write(JSON.stringify({ tool: gzip ? "raw-gzip" : "raw", pages: fetched.length, fetches, bytes, errors, firstError: firstError || undefined, seconds }) + "\n");
