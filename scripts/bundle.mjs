#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/src/cli/main.js) and the extraction worker into dist/bundle/,
 * which `bin/gleaner.js` runs when it is there. Why: Node 20 loads ESM file by file, and a
 * `gleaner run` loads ~300 of them (zod alone is 95) before its first request; as a few files it
 * starts ~0.1 s sooner (BENCHMARKS.md, "What changed"). The library (`dist/src`) is not bundled.
 *
 * - Commands stay separate chunks (`main.ts` imports them on demand), so `gleaner export` still
 *   loads no crawler, and the worker loads only its own code.
 * - Native addons and big lazily loaded packages stay external (resolved from node_modules at run time).
 * - Whitespace and comments are dropped: V8 keeps every script's source, and a source holding
 *   one non-ASCII character (a "—" in a comment) is kept two bytes per character.
 *
 * Without esbuild (`npm install --omit=dev`) nothing is bundled and the launcher uses dist/src.
 */
import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}dist/bundle`;

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  rmSync(out, { recursive: true, force: true });
  process.stderr.write("bundle: esbuild is not installed (dev dependency); bin/gleaner.js will run dist/src\n");
  process.exit(0);
}

const entries = ["dist/src/cli/main.js", "dist/src/engine/extract-pool/worker.js"].map((e) => `${root}${e}`);
for (const e of entries) {
  if (!existsSync(e)) {
    process.stderr.write(`bundle: ${e} is missing; run tsc first (npm run build does both)\n`);
    process.exit(1);
  }
}
rmSync(out, { recursive: true, force: true });
await esbuild.build({
  entryPoints: entries,
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // main.js and worker.js next to their chunks: spare-workers.ts finds "./worker.js" from any of them.
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
  external: ["better-sqlite3", "@node-rs/*", "playwright-core", "fastify", "@fastify/*", "ws", "yaml", "tough-cookie", "undici"],
  minifyWhitespace: true,
  legalComments: "none",
  charset: "ascii",
  logLevel: "warning",
});
