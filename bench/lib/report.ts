/**
 * Results: one record per run, medians per tool, the printed table and the machine facts
 * that go into bench/results/latest.json.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { ItemCheck, PageCheck } from "./verify.js";

export interface RunRecord {
  tool: string;
  repeat: number;
  /** Position in the alternating order (0 = first run of the whole benchmark). */
  seq: number;
  ok: boolean;
  problems: string[];
  argv: string[];
  exitCode: number | null;
  wallS: number;
  toolSeconds: number | null;
  pagesPerS: number;
  cpuS: number | null;
  userS: number | null;
  sysS: number | null;
  cpuMsPerPage: number | null;
  peakRssMB: number | null;
  timeMaxRssMB: number | null;
  treePeakRssMB: number;
  maxProcs: number;
  /** 1-minute load average when the run started (other work on the machine shows here). */
  load1AtStart: number;
  /** CPU seconds the practice-site process used during this run. */
  siteCpuS: number | null;
  pages: PageCheck;
  items: ItemCheck | null;
  summary: Record<string, unknown> | null;
  stderrTail?: string;
}

export interface ToolSummary {
  tool: string;
  runs: number;
  failedRuns: number;
  status: string;
  wallS: number;
  pagesPerS: number;
  cpuS: number | null;
  cpuMsPerPage: number | null;
  peakRssMB: number | null;
  siteCpuS: number | null;
  /** gleaner's median pages/s divided by this tool's. */
  gleanerRatio: number | null;
  pagesFound: string;
  itemsFound: string;
  itemsExact: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function medianOrNull(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === xs.length && v.length > 0 ? median(v) : null;
}

/** One value when every run agrees, else each run's, slash-separated. */
function perRun(values: string[]): string {
  return values.every((v) => v === values[0]) ? (values[0] ?? "-") : values.join("/");
}

export function summarize(runs: RunRecord[], tools: string[]): ToolSummary[] {
  const out: ToolSummary[] = tools.map((tool) => {
    const rs = runs.filter((r) => r.tool === tool);
    const failed = rs.filter((r) => !r.ok).length;
    const last = rs[rs.length - 1];
    const pagesFound = perRun(rs.map((r) => `${r.pages.found}`));
    const itemsFound = perRun(rs.map((r) => (r.items ? `${r.items.foundTotal}` : "-")));
    const itemsExact = perRun(rs.map((r) => (r.items ? `${r.items.exact}` : "-")));
    return {
      tool,
      runs: rs.length,
      failedRuns: failed,
      status: rs.length === 0 ? "not run" : failed === 0 ? "ok" : `FAILED (${failed}/${rs.length})`,
      wallS: median(rs.map((r) => r.wallS)),
      pagesPerS: median(rs.map((r) => r.pagesPerS)),
      cpuS: medianOrNull(rs.map((r) => r.cpuS)),
      cpuMsPerPage: medianOrNull(rs.map((r) => r.cpuMsPerPage)),
      peakRssMB: medianOrNull(rs.map((r) => r.peakRssMB)),
      siteCpuS: medianOrNull(rs.map((r) => r.siteCpuS)),
      gleanerRatio: null,
      pagesFound: last ? `${pagesFound} of ${last.pages.expected}` : "-",
      itemsFound: last?.items ? `${itemsFound} of ${last.items.expectedTotal}` : "-",
      itemsExact,
    };
  });
  const g = out.find((s) => s.tool === "gleaner");
  for (const s of out) {
    if (g && g.runs > 0 && s.runs > 0 && s.pagesPerS > 0) s.gleanerRatio = g.pagesPerS / s.pagesPerS;
  }
  return out;
}

/** gleaner's pages/s over another tool's, repetition by repetition (runs next to each other share the machine's state). */
export interface PairedRatio {
  tool: string;
  /** One per repetition both tools ran in, in order; null where either run failed. */
  ratios: (number | null)[];
  median: number | null;
}

export function pairedRatios(runs: RunRecord[], tools: string[]): PairedRatio[] {
  const byRepeat = (tool: string): Map<number, RunRecord> => new Map(runs.filter((r) => r.tool === tool).map((r) => [r.repeat, r]));
  const g = byRepeat("gleaner");
  return tools.filter((t) => t !== "gleaner").map((tool) => {
    const other = byRepeat(tool);
    const ratios = [...g.keys()].filter((k) => other.has(k)).sort((a, b) => a - b).map((k) => {
      const a = g.get(k)!;
      const b = other.get(k)!;
      return a.ok && b.ok && b.pagesPerS > 0 ? a.pagesPerS / b.pagesPerS : null;
    });
    const known = ratios.filter((r): r is number => r !== null);
    return { tool, ratios, median: known.length > 0 ? median(known) : null };
  });
}

/**
 * Each tool's CPU seconds, highest over lowest run: the same work should cost the same CPU, so a
 * spread well past ~1.1 means the machine changed state during the benchmark (medians then mix states).
 */
export function cpuSpread(runs: RunRecord[], tools: string[]): { tool: string; spread: number | null }[] {
  return tools.map((tool) => {
    const cpu = runs.filter((r) => r.tool === tool && r.ok && r.cpuS !== null && r.cpuS > 0).map((r) => r.cpuS!);
    return { tool, spread: cpu.length > 1 ? Math.max(...cpu) / Math.min(...cpu) : null };
  });
}

/** Lines printed under the table: ratios against the ceilings by repetition, and CPU spreads past 1.2×. */
export function formatPaired(paired: PairedRatio[], spread: { tool: string; spread: number | null }[]): string {
  const lines: string[] = [];
  for (const p of paired) {
    if (!p.tool.startsWith("raw") || p.ratios.length === 0) continue;
    const each = p.ratios.map((r) => (r === null ? "-" : `${(r * 100).toFixed(1)}%`)).join(", ");
    lines.push(`gleaner ÷ ${p.tool} by repetition: ${each} (median ${p.median === null ? "-" : `${(p.median * 100).toFixed(1)}%`})`);
  }
  const wide = spread.filter((s) => s.spread !== null && s.spread > 1.2);
  if (wide.length > 0) {
    lines.push(`CPU seconds for the same work varied across runs (highest ÷ lowest): ${wide.map((s) => `${s.tool} ${s.spread!.toFixed(2)}×`).join(", ")} — the machine changed state; compare runs by repetition, not only the medians`);
  }
  return lines.join("\n");
}

const f = (v: number | null, digits: number): string => (v === null || !Number.isFinite(v) ? "-" : v.toFixed(digits));

export function formatTable(rows: ToolSummary[]): string {
  const head = ["tool", "status", "wall s", "pages/s", "CPU s", "CPU ms/page", "peak RSS MB", "site CPU s", "gleaner ÷ tool (pages/s)", "pages found", "items found", "items exact"];
  const body = rows.map((r) => [
    r.tool, r.status, f(r.wallS, 2), f(r.pagesPerS, 0), f(r.cpuS, 2), f(r.cpuMsPerPage, 3), f(r.peakRssMB, 0), f(r.siteCpuS, 2),
    r.gleanerRatio === null ? "-" : `${r.gleanerRatio.toFixed(2)}×`, r.pagesFound, r.itemsFound, r.itemsExact,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

function sh(cmd: string, args: string[], cwd?: string): string | null {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd, timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

function pkgVersion(root: string, name: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return null;
  }
}

export function machineFacts(root: string, scrapy: { python: string; scrapy: string; version: string } | null): Record<string, unknown> {
  const osRelease = (() => {
    try {
      return /PRETTY_NAME="([^"]*)"/.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? null;
    } catch {
      return null;
    }
  })();
  const gleanerPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  const dirty = sh("git", ["status", "--porcelain", "--", "src", "bin"], root);
  return {
    nproc: Number(sh("nproc", [])) || os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: osRelease,
    kernel: os.release(),
    node: process.version,
    versions: {
      gleaner: gleanerPkg.version,
      gleanerCommit: sh("git", ["rev-parse", "HEAD"], root),
      gleanerSrcModified: dirty === null ? null : dirty.length > 0,
      crawlee: pkgVersion(root, "crawlee"),
      cheerio: pkgVersion(root, "cheerio"),
      undici: pkgVersion(root, "undici"),
      "better-sqlite3": pkgVersion(root, "better-sqlite3"),
      scrapy: scrapy?.scrapy ?? null,
      python: scrapy ? `${scrapy.python} ${scrapy.version}` : null,
    },
  };
}

/**
 * A fingerprint of the compiled gleaner (dist/src and the bundle the executable runs, dist/bundle:
 * names, sizes, mtimes). Taken before and after the runs: others may rebuild dist/ meanwhile, and
 * then gleaner's runs did not all run the same code.
 */
export function distFingerprint(root: string): string {
  const h = createHash("sha1");
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (n.endsWith(".js")) h.update(`${p}:${st.size}:${st.mtimeMs}\n`);
    }
  };
  walk(join(root, "dist/src"));
  walk(join(root, "dist/bundle"));
  return h.digest("hex").slice(0, 16);
}
