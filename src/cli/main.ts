/** The `gleaner` command: dispatches to a command module and maps errors to exit codes. */
import { GleanerError, SpecError, UsageError } from "../shared/errors.js";
import { extractWorkersFromArgs, startSpareWorkers } from "../engine/extract-pool/spare-workers.js";
import { processIo, type Io } from "./output.js";

const USAGE = `gleaner — polite, crash-safe, fast web scraping

Usage: gleaner <command> [options]

Commands:
  run <spec>        crawl what a spec describes into the database
  resume <job>      continue an interrupted job
  jobs              list jobs and their counts
  export <job>      write a job's items as csv, json or jsonl
  check <spec>      validate a spec and dry-run one page
  schema            print the spec's JSON Schema
  demo              crawl the bundled practice site
  serve             run the crawl service (REST API, live events, users, keys)
  users             add and list users of the server
  keys              create, list and revoke API keys

Run \`gleaner <command> --help\` for a command's options and an example.
Exit codes: 0 done, 1 crawl failed, 2 bad usage or spec, 130/143 interrupted (resumable).`;

type Command = (args: string[], io: Io) => Promise<number>;

// Loaded on demand: `gleaner export` need not load the server (fastify, argon2) or the browser.
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import("./commands/run.js")).runCommand,
  resume: async () => (await import("./commands/run.js")).resumeCommand,
  jobs: async () => (await import("./commands/jobs.js")).jobsCommand,
  export: async () => (await import("./commands/export.js")).exportCommand,
  check: async () => (await import("./commands/check.js")).checkCommand,
  schema: async () => (await import("./commands/schema.js")).schemaCommand,
  demo: async () => (await import("./commands/demo.js")).demoCommand,
  users: async () => {
    const { usersCommand } = await import("./commands/users.js");
    return (args, io) => usersCommand(args, io);
  },
  keys: async () => (await import("./commands/keys.js")).keysCommand,
  serve: async () => (await import("./commands/serve.js")).serveCommand,
};

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    io.out.write(USAGE + "\n");
    return command ? 0 : 2;
  }
  if (command === "--version" || command === "-v") {
    io.out.write("gleaner 0.1.0\n");
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    io.err.write(`gleaner: unknown command ${JSON.stringify(command)}\n\n${USAGE}\n`);
    return 2;
  }
  if ((command === "run" || command === "resume") && !rest.includes("--help") && !rest.includes("-h")) {
    // The extraction workers load their modules while this thread loads its own.
    startSpareWorkers(extractWorkersFromArgs(rest));
  }
  try {
    const run = await load();
    return await run(rest, io);
  } catch (err) {
    if (err instanceof SpecError || err instanceof UsageError) {
      io.err.write(`gleaner ${command}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof GleanerError) {
      io.err.write(`gleaner ${command}: ${err.message} [${err.code}]\n`);
      return 1;
    }
    io.err.write(`gleaner ${command}: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  }
}
