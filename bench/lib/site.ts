/**
 * The practice site in its own process (dist/src/practice/main.js), so the server's CPU is
 * not charged to the tool under test. Also reads the server's CPU seconds from /proc, so
 * each run can say how much of the machine the site itself took.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface SiteProcess {
  url: string;
  pages: number;
  pid: number;
  /** Warm-up time (spawn to the JSON line). */
  startS: number;
  /** user + system CPU seconds the site process has used so far. */
  cpuSeconds(): number | null;
  close(): Promise<void>;
}

const CLK_TCK = (() => {
  const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** utime + stime from /proc/<pid>/stat, in seconds (fields 14 and 15; comm may hold spaces). */
export function procCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

export function startSite(root: string, opts: { pages: number; seed: number; timeoutMs: number }): Promise<SiteProcess> {
  const args = [join(root, "dist/src/practice/main.js"), "--port", "0", "--host", "127.0.0.1", "--pages", String(opts.pages), "--seed", String(opts.seed)];
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    stderr = (stderr + d).slice(-4096);
  });

  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill("SIGKILL"), 8000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    });

  return new Promise((resolve, reject) => {
    let buf = "";
    const fail = (why: string): void => {
      clearTimeout(timer);
      void close().then(() => reject(new Error(`practice site: ${why}${stderr ? `\n${stderr}` : ""}`)));
    };
    const timer = setTimeout(() => fail(`no URL line within ${opts.timeoutMs} ms`), opts.timeoutMs);
    child.once("exit", (code, sig) => fail(`exited early (code ${code}, signal ${sig})`));
    child.stdout!.setEncoding("utf8").on("data", function onData(d: string) {
      buf += d;
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      child.stdout!.off("data", onData);
      child.stdout!.resume();
      clearTimeout(timer);
      child.removeAllListeners("exit");
      let info: { url: string; pages: number };
      try {
        info = JSON.parse(buf.slice(0, nl)) as { url: string; pages: number };
      } catch {
        return fail(`unexpected first line ${JSON.stringify(buf.slice(0, nl))}`);
      }
      resolve({
        url: info.url,
        pages: info.pages,
        pid: child.pid!,
        startS: (performance.now() - t0) / 1000,
        cpuSeconds: () => procCpuSeconds(child.pid!),
        close,
      });
    });
  });
}
