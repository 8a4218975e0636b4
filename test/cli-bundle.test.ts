/**
 * The bundled CLI (dist/bundle, made by scripts/bundle.mjs in the build; bin/gleaner.js runs it)
 * does what the compiled modules do: a crawl through its own extraction worker stores exactly the
 * practice site's items, and `demo` finds the bundled spec from the bundle's directory.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { startPracticeSite } from "../src/practice/index.js";
import { SqliteStore } from "../src/store/index.js";
import { practiceSpec } from "./support/practice-spec.js";
import { tempDir } from "./support/tmp.js";
import { verifyCrawl } from "./support/verify-crawl.js";

const BUNDLE = new URL("../bundle/", import.meta.url);

type Main = (argv: string[], io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }) => Promise<number>;

async function bundledMain(): Promise<Main> {
  return ((await import(new URL("main.js", BUNDLE).href)) as { main: Main }).main;
}

function capture(): { io: { out: PassThrough; err: PassThrough }; out: () => string; err: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = "";
  let e = "";
  out.on("data", (d) => (o += d));
  err.on("data", (d) => (e += d));
  return { io: { out, err }, out: () => o, err: () => e };
}

test("the build bundles the CLI and its worker, newer than dist/src, and the launcher prefers it", async () => {
  for (const f of ["main.js", "worker.js"]) assert.ok(existsSync(fileURLToPath(new URL(f, BUNDLE))), `dist/bundle/${f} (npm run build)`);
  const launcher = readFileSync(fileURLToPath(new URL("../../bin/gleaner.js", import.meta.url)), "utf8");
  assert.match(launcher, /dist\/bundle\/main\.js/);
  // The launcher runs the bundle only when it is at least as new as dist/src (a bare `tsc` since
  // would make it stale): the build must leave it so.
  const mtime = (u: URL): number => statSync(fileURLToPath(u)).mtimeMs;
  assert.ok(mtime(new URL("main.js", BUNDLE)) >= mtime(new URL("../src/cli/main.js", import.meta.url)), "dist/bundle is newer than dist/src");
});

test("a crawl run by the bundled CLI stores exactly the practice site's items", async (t) => {
  const site = await startPracticeSite({ pages: 150 });
  t.after(() => site.close());
  const dir = tempDir(t);
  const spec = join(dir, "practice.json");
  writeFileSync(spec, JSON.stringify(practiceSpec(site.url)));
  const db = join(dir, "g.db");
  const c = capture();
  // The crawl's structured logs go to process.stderr: a bundle whose worker cannot start still
  // crawls (on the main thread) but says so there, and that must not happen.
  let logs = "";
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logs += String(chunk);
    return (write as (...a: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
  }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await (await bundledMain())(["run", spec, "--db", db, "--json", "--quiet", "--extract-workers", "1", "--log-level", "warn"], c.io);
  } finally {
    process.stderr.write = write;
  }
  assert.equal(code, 0, c.err());
  assert.doesNotMatch(logs, /extract\.(pool-broken|worker-died)/, "the bundled extraction worker ran");
  const summary = JSON.parse(c.out().trim().split("\n").at(-1)!);
  assert.equal(summary.state, "done");
  const store = new SqliteStore(db);
  t.after(() => store.close());
  verifyCrawl(store, summary.job, site.url, site.manifest);
});

test("the bundled demo finds examples/practice.yaml and crawls it", async (t) => {
  const dir = tempDir(t);
  const c = capture();
  const code = await (await bundledMain())(["demo", "--pages", "40", "--db", join(dir, "demo.db"), "--json", "--quiet"], c.io);
  assert.equal(code, 0, c.err());
  const summary = JSON.parse(c.out().trim().split("\n").at(-1)!);
  assert.equal(summary.state, "done");
  assert.ok(summary.items > 0, `items: ${summary.items}`);
});
