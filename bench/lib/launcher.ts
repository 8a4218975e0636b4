/**
 * The V8 flags the `gleaner` executable starts Node with (its `#!/usr/bin/env -S node ...`
 * line), for benchmarks that run a CLI command in a process of their own making: they measure
 * what `npx gleaner` runs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function launcherFlags(root: string): string[] {
  const first = readFileSync(join(root, "bin/gleaner.js"), "utf8").split("\n", 1)[0]!;
  const m = /^#!\/usr\/bin\/env -S node((?: --[\w-]+(?:=\S+)?)*)\s*$/.exec(first);
  if (!m) throw new Error(`bin/gleaner.js: unexpected first line ${JSON.stringify(first)}`);
  return m[1]!.trim().split(/\s+/).filter((f) => f !== "");
}
