/**
 * Runs one benchmarked command under GNU time and measures it: wall time (spawn to exit),
 * user/system CPU seconds of the whole process tree (time's rusage of waited children),
 * peak RSS (time's maxrss = the largest single process; a 4 Hz /proc sampler sums the tree,
 * and the larger of the two is reported), with a hard timeout that kills the process group.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export const GNU_TIME = "/usr/bin/time";

export interface Measured {
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Spawn to exit, measured here. */
  wallS: number;
  userS: number | null;
  sysS: number | null;
  /** GNU time's maxrss (KB): the largest process of the tree. */
  timeMaxRssKB: number | null;
  /** Largest sum of VmRSS over the tree seen by the sampler (KB). */
  treePeakRssKB: number;
  /** Most processes seen at once in the tree (GNU time itself excluded). */
  maxProcs: number;
  stdout: string;
  stderrTail: string;
}

export interface MeasureOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** File GNU time writes its figures to. */
  timeFile: string;
}

const PAGE_KB = (() => {
  const r = spawnSync("getconf", ["PAGESIZE"], { encoding: "utf8" });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n / 1024 : 4;
})();

const STDERR_TAIL = 4096;
/** Process groups still running, so an interrupted harness can kill them. */
const activeGroups = new Set<ReturnType<typeof spawn>>();
const STDOUT_CAP = 1 << 20;

/** Pids below `pid` (children of every thread, recursively). */
function descendants(pid: number, out: number[]): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    let list = "";
    try {
      list = readFileSync(`/proc/${pid}/task/${t}/children`, "utf8");
    } catch {
      continue;
    }
    for (const c of list.split(" ")) {
      if (c === "" || c === "\n") continue;
      const child = Number(c);
      out.push(child);
      descendants(child, out);
    }
  }
  return out;
}

function rssKB(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE_KB;
  } catch {
    return 0; // exited between listing and reading
  }
}

/** "%e %U %S %M" as written by GNU time (the last line; earlier lines may hold a status note). */
function parseTimeFile(file: string): { userS: number; sysS: number; maxRssKB: number } | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const last = text.trim().split("\n").pop() ?? "";
  const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(last.trim());
  return m ? { userS: Number(m[2]), sysS: Number(m[3]), maxRssKB: Number(m[4]) } : null;
}

export function measure(argv: string[], opts: MeasureOptions): Promise<Measured> {
  const timed = ["-o", opts.timeFile, "-f", "%e %U %S %M", ...argv];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // Its own process group, so a timeout can kill the tool and everything it started.
    const child = spawn(GNU_TIME, timed, { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      if (stdout.length < STDOUT_CAP) stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr = (stderr + d).slice(-STDERR_TAIL);
    });

    let treePeak = 0;
    let maxProcs = 0;
    const sample = (): void => {
      if (child.pid === undefined) return;
      const pids = descendants(child.pid, []);
      let sum = 0;
      for (const p of pids) sum += rssKB(p);
      if (sum > treePeak) treePeak = sum;
      if (pids.length > maxProcs) maxProcs = pids.length;
    };
    const sampler = setInterval(sample, 250);

    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    const kill = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill("SIGTERM");
      killer = setTimeout(() => kill("SIGKILL"), 5000);
    }, opts.timeoutMs);
    activeGroups.add(child);

    child.on("error", (err) => {
      clearInterval(sampler);
      clearTimeout(timer);
      activeGroups.delete(child);
      reject(err);
    });
    child.on("close", (code, signal) => {
      const wallS = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      clearTimeout(timer);
      if (killer) clearTimeout(killer);
      activeGroups.delete(child);
      const t = parseTimeFile(opts.timeFile);
      resolve({
        argv,
        exitCode: code,
        signal,
        timedOut,
        wallS,
        userS: t?.userS ?? null,
        sysS: t?.sysS ?? null,
        timeMaxRssKB: t?.maxRssKB ?? null,
        treePeakRssKB: Math.round(treePeak),
        maxProcs,
        stdout,
        stderrTail: stderr,
      });
    });
  });
}

/** Kills every measured process group still running (the harness is being interrupted). */
export function killActive(): void {
  for (const c of activeGroups) {
    try {
      if (c.pid !== undefined) process.kill(-c.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

/** The last line of `stdout` that parses as a JSON object, or null. */
export function lastJsonLine(stdout: string): Record<string, unknown> | null {
  const lines = stdout.trim().split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!.trim();
    if (!l.startsWith("{")) continue;
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      /* not JSON after all */
    }
  }
  return null;
}
