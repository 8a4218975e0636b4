/** `gleaner serve`: the REST API and live events on the same SQLite store as the CLI. */
import { buildServer } from "../../server/app.js";
import { UsageError } from "../../shared/errors.js";
import { createLogger, isLogLevel } from "../../shared/log.js";
import { DEFAULT_DB_FILE } from "../../store/index.js";
import { dbOption, intFlag, parse } from "../args.js";
import type { Io } from "../output.js";

export const SERVE_USAGE = `Usage: gleaner serve [options]

Serve the jobs API (docs/server.md, GET /api/openapi.json) and live events (WebSocket
/api/events). Crawls submitted over the API run in this process; jobs left running by a
previous server are resumed. Crawl targets on loopback, private, link-local and metadata
addresses are refused unless allowed.

Options:
  --host <addr>             interface to bind (default 127.0.0.1; 0.0.0.0 exposes it to the network)
  --port <n>                port (default 7070; 0 = any free port)
  --db <file>               SQLite database (default ${DEFAULT_DB_FILE})
  --allow-private-targets   let specs crawl private/loopback/link-local addresses
  --allow-host <host>       exempt one host from that check (repeatable)
  --max-jobs <n>            running jobs per user (default 3)
  --log-level <level>       debug|info|warn|error|silent (default info)
  -h, --help

Example:
  gleaner serve --db crawl.db --port 7070
  curl -H "Authorization: Bearer gl_…" http://127.0.0.1:7070/api/jobs`;

export async function serveCommand(args: string[], io: Io): Promise<number> {
  const p = parse("serve", args, {
    ...dbOption,
    host: { type: "string" },
    port: { type: "string" },
    "allow-private-targets": { type: "boolean" },
    "allow-host": { type: "string", multiple: true },
    "max-jobs": { type: "string" },
    "log-level": { type: "string" },
  }, SERVE_USAGE);
  if (p === "help") return io.out.write(SERVE_USAGE + "\n"), 0;
  if (p.positionals.length > 0) throw new UsageError(`gleaner serve takes no arguments\n\n${SERVE_USAGE}`);
  const v = p.values as Record<string, string | boolean | string[] | undefined>;
  const level = typeof v["log-level"] === "string" ? v["log-level"] : "info";
  if (!isLogLevel(level)) throw new UsageError(`--log-level must be one of debug, info, warn, error, silent; got ${JSON.stringify(level)}`);
  const host = typeof v.host === "string" ? v.host : "127.0.0.1";
  const port = intFlag(v.port as string | undefined, "--port", 0) ?? 7070;
  if (port > 65535) throw new UsageError("--port must be at most 65535");
  const db = typeof v.db === "string" ? v.db : DEFAULT_DB_FILE;
  const maxJobs = intFlag(v["max-jobs"] as string | undefined, "--max-jobs", 1);
  const app = await buildServer({
    db,
    allowPrivateTargets: v["allow-private-targets"] === true,
    allowHosts: Array.isArray(v["allow-host"]) ? v["allow-host"] : [],
    ...(maxJobs !== undefined ? { maxConcurrentJobsPerUser: maxJobs } : {}),
    log: createLogger(level, io.err),
  });
  const address = await app.listen({ host, port });
  io.err.write(`gleaner serve: listening on ${address} (db ${db})\n`);
  if (app.gleaner.resumed.length > 0) io.err.write(`resumed jobs: ${app.gleaner.resumed.join(", ")}\n`);
  if (!app.gleaner.auth.hasAdmin()) {
    const token = app.gleaner.auth.issueSetupToken();
    // Printed once, to the operator's terminal only; it is stored as a hash.
    io.err.write(
      `\nNo admin yet. Create one with this one-time setup token (valid until used or the server restarts):\n\n  ${token}\n\n` +
        `  curl -X POST ${address}/api/setup -H 'content-type: application/json' \\\n` +
        `       -d '{"token":"${token}","username":"admin","password":"<12+ characters>"}'\n\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = (s: NodeJS.Signals) => {
      io.err.write(`\n${s}: stopping; running jobs finish their pages in flight and resume at the next start…\n`);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void app.close().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}
