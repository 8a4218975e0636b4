/**
 * Linux /proc helpers: find the browser process Playwright spawned (its pid is not exposed
 * by `chromium.launch()`), and measure the memory of its whole process tree (renderers,
 * GPU and utility processes are children of it).
 */
import { readdir, readFile } from "node:fs/promises";

interface ProcEntry { pid: number; ppid: number }

/** pid and parent pid of every process we can read (processes vanish mid-scan: skipped). */
async function listProcesses(): Promise<ProcEntry[]> {
  let names: string[];
  try {
    names = await readdir("/proc");
  } catch {
    return []; // not Linux: no pid, no memory ceiling
  }
  const out: ProcEntry[] = [];
  await Promise.all(names.map(async (name) => {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) return;
    try {
      const stat = await readFile(`/proc/${name}/stat`, "latin1");
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
      const rest = stat.slice(stat.lastIndexOf(")") + 2);
      const sp1 = rest.indexOf(" ");
      const ppid = Number.parseInt(rest.slice(sp1 + 1, rest.indexOf(" ", sp1 + 1)), 10);
      out.push({ pid: Number(name), ppid });
    } catch {
      // gone
    }
  }));
  return out;
}

async function cmdline(pid: number): Promise<string[]> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return raw.split("\0");
  } catch {
    return [];
  }
}

/** The direct child of this process whose command line holds `marker` (an argument we passed). */
export async function findChildByArg(marker: string): Promise<{ pid: number; args: string[] } | null> {
  const self = process.pid;
  for (const p of await listProcesses()) {
    if (p.ppid !== self) continue;
    const args = await cmdline(p.pid);
    if (args.includes(marker)) return { pid: p.pid, args };
  }
  return null;
}

/** Value of `--name=value` in an argument list. */
export function argValue(args: readonly string[], name: string): string | null {
  const prefix = `${name}=`;
  for (const a of args) if (a.startsWith(prefix)) return a.slice(prefix.length);
  return null;
}

async function rssBytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "latin1");
    const i = status.indexOf("VmRSS:");
    if (i < 0) return 0; // zombie / kernel thread
    return Number.parseInt(status.slice(i + 6, status.indexOf("\n", i)).trim(), 10) * 1024; // "123 kB"
  } catch {
    return 0;
  }
}

/**
 * Sum of the RSS of `root` and all its descendants. Shared pages are counted once per
 * process, so this overstates real use: fine for a ceiling that triggers a restart.
 */
export async function treeRssBytes(root: number): Promise<number> {
  const children = new Map<number, number[]>();
  for (const p of await listProcesses()) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  const pids: number[] = [root];
  for (let i = 0; i < pids.length; i++) {
    const kids = children.get(pids[i]!);
    if (kids) pids.push(...kids);
  }
  const sizes = await Promise.all(pids.map(rssBytes));
  let total = 0;
  for (const s of sizes) total += s;
  return total;
}
