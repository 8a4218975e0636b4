#!/usr/bin/env -S node --max-semi-space-size=2 --heap-growing-percent=25 --liftoff-only --no-parallel-scavenge
// Thin launcher: the CLI lives in dist/ after `npm install` (which runs `tsc` and scripts/bundle.mjs
// via `prepare`): the bundle in dist/bundle when esbuild made one from the current build (it starts
// ~0.1 s sooner), else the compiled modules in dist/src (also when a bare `tsc` has rebuilt them
// since the bundle was made: a stale bundle would run old code).
//
// V8 settings for a small, steady heap (a crawl keeps little alive: pages go to the store as
// they come; see BENCHMARKS.md, "peak RSS"): a 2 MB young generation instead of growing to 16
// (32 MB of RSS), an old generation allowed 25% above its live size after each full GC instead
// of up to 4x, undici's WebAssembly HTTP parser kept on V8's baseline compiler (its optimizing
// compile of that parser leaves ~20-35 MB in a malloc arena), and scavenges of a 2 MB young
// generation done by their own thread. Measured on the 10,000-page benchmark: peak RSS ~150 ->
// 108-112 MB. `node bin/gleaner.js` skips the line above and runs with Node's defaults.
import { existsSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
const modules = fileURLToPath(new URL("../dist/src/cli/main.js", import.meta.url));
const bundle = fileURLToPath(new URL("../dist/bundle/main.js", import.meta.url));
const mtime = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const entry = mtime(bundle) >= mtime(modules) ? bundle : modules;
if (!existsSync(entry)) {
  process.stderr.write("gleaner: not built yet. Run `npm install` (or `npm run build`) in the gleaner checkout first.\n");
  process.exit(2);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
