/** `gleaner check <spec>`: validate, then a dry run of one page (nothing is stored). */
import { dryRun } from "../../engine/index.js";
import { UsageError } from "../../shared/errors.js";
import { loadSpecFile } from "../../spec/index.js";
import { parse } from "../args.js";
import type { Io } from "../output.js";

export const CHECK_USAGE = `Usage: gleaner check <spec.yaml> [--url <url>] [--offline] [--json]

Validate a spec, then fetch one page (the first start URL, or --url) and show what
would be extracted and which links would be followed. Nothing is stored.

Options:
  --url <url>   dry-run this page instead of the first start URL
  --offline     only validate; fetch nothing
  --json        machine-readable result
  --limit <n>   items and links to show (default 5)

Example:
  gleaner check examples/practice.yaml --url http://127.0.0.1:8080/author/albert-einstein/`;

export async function checkCommand(args: string[], io: Io): Promise<number> {
  const p = parse("check", args, { url: { type: "string" }, offline: { type: "boolean" }, json: { type: "boolean" }, limit: { type: "string" } }, CHECK_USAGE);
  if (p === "help") return io.out.write(CHECK_USAGE + "\n"), 0;
  if (p.positionals.length !== 1) throw new UsageError(`gleaner check: give exactly one spec file\n\n${CHECK_USAGE}`);
  const spec = loadSpecFile(p.positionals[0]!);
  if (p.values.offline) {
    io.out.write(p.values.json ? JSON.stringify({ valid: true, name: spec.name }) + "\n" : `spec ${spec.name} is valid\n`);
    return 0;
  }
  const url = typeof p.values.url === "string" ? p.values.url : undefined;
  const r = await dryRun(spec, url);
  if (p.values.json) {
    io.out.write(JSON.stringify({ valid: true, ...r }) + "\n");
    return r.status >= 400 ? 1 : 0;
  }
  const limit = Number(p.values.limit ?? 5) || 5;
  const w = (s: string) => io.out.write(s + "\n");
  w(`spec ${spec.name} is valid`);
  w(`GET ${r.url} -> ${r.status} ${r.contentType}${r.redirects ? ` after ${r.redirects} redirect(s) to ${r.finalUrl}` : ""}${r.fetcher === "browser" ? " (rendered in the browser)" : ""}`);
  const byType = new Map<string, Record<string, unknown>[]>();
  for (const it of r.items) byType.set(it.type, [...(byType.get(it.type) ?? []), it.data]);
  for (const [type, list] of byType) {
    w(`\n${type}: ${list.length} item(s)`);
    for (const d of list.slice(0, limit)) w(`  ${JSON.stringify(d)}`);
    if (list.length > limit) w(`  … ${list.length - limit} more`);
  }
  if (r.emptyTypes.length) w(`\nno items on this page for: ${r.emptyTypes.join(", ")} (fine if they live on other pages; try --url)`);
  w(`\nwould follow ${r.follow.length} link(s)${r.outOfScope.length ? `; ${r.outOfScope.length} out of scope` : ""}`);
  for (const u of r.follow.slice(0, limit)) w(`  ${u}`);
  if (r.follow.length > limit) w(`  … ${r.follow.length - limit} more`);
  return r.status >= 400 ? 1 : 0;
}
