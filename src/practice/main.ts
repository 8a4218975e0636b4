/**
 * Runs the practice site in its own process (benchmarks keep it off the crawler's CPU):
 *   node dist/src/practice/main.js --port 0 --pages 10000 [--seed 1] [--modes robots,trap]
 * Prints one JSON line {"url":"http://127.0.0.1:PORT","pages":N} once listening;
 * exits 0 on SIGTERM / SIGINT.
 */
import { parseArgs } from "node:util";
import { errorMessage, UsageError } from "../shared/errors.js";
import { parseModes, PRACTICE_MODES } from "./modes.js";
import { startPracticeSite } from "./server.js";
import type { PracticeSite, PracticeSiteOptions } from "./types.js";

const HELP = `usage: node dist/src/practice/main.js [--port 0] [--pages 200] [--seed 1] [--host 127.0.0.1] [--cold] [--modes a,b]

Serves the deterministic practice site and prints {"url":...,"pages":N} when listening.
  --port   port to listen on (0 = any free port)     --pages  approx. number of HTML pages
  --seed   content seed (same seed, same site)       --host   interface to bind
  --cold   skip pre-rendering every page (and its gzip form) before printing the URL
  --modes  opt-in areas, comma-separated: ${PRACTICE_MODES.join(", ")}
example: node dist/src/practice/main.js --port 0 --pages 10000 --seed 1
         node dist/src/practice/main.js --port 8080 --modes robots,ratelimit,js
`;

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** Site options from argv, or null for --help. Throws UsageError on bad flags. */
function parseMainArgs(args: string[]): PracticeSiteOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string", default: "0" },
        pages: { type: "string", default: "200" },
        seed: { type: "string", default: "1" },
        host: { type: "string", default: "127.0.0.1" },
        cold: { type: "boolean", default: false },
        modes: { type: "string", default: "" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return null;
  const modes = parseModes(values.modes);
  return {
    port: integer("port", values.port, 0, 65535),
    pages: integer("pages", values.pages, 1, 10_000_000),
    seed: integer("seed", values.seed, 0, 0xffffffff),
    host: values.host,
    warm: !values.cold,
    modes,
    log: false, // a long-running server must not grow a log nobody reads
  };
}

async function main(): Promise<void> {
  let opts: PracticeSiteOptions | null;
  try {
    opts = parseMainArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`practice site: ${errorMessage(err)}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (opts === null) {
    process.stdout.write(HELP);
    return;
  }

  // Handlers first: a signal during start-up (warming takes seconds) still exits cleanly.
  let site: PracticeSite | undefined;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (site === undefined) process.exit(0);
    setTimeout(() => process.exit(0), 5000).unref(); // never hang a benchmark harness
    site.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`practice site: close failed: ${errorMessage(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);

  site = await startPracticeSite(opts);
  process.stdout.write(JSON.stringify({ url: site.url, pages: site.manifest.pages.length }) + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`practice site: ${errorMessage(err)}\n`);
  process.exit(1);
});
