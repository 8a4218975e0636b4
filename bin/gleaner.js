#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ after `npm install` (which runs `tsc` via `prepare`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
const entry = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("gleaner: not built yet. Run `npm install` (or `npm run build`) in the gleaner checkout first.\n");
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
