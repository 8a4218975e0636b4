/** `gleaner users add|list`: accounts for `gleaner serve`, managed by whoever holds the database file. */
import { AuthService } from "../../server/auth/index.js";
import { GleanerError, UsageError } from "../../shared/errors.js";
import { DEFAULT_DB_FILE, openStore, SqliteStore } from "../../store/index.js";
import { dbOption, parse } from "../args.js";
import type { Io } from "../output.js";

export const USERS_USAGE = `Usage: gleaner users add <name> [--admin] [--db <file>]
       gleaner users list [--db <file>] [--json]

Manage the accounts that can sign in to \`gleaner serve\`.
The password is read from the GLEANER_PASSWORD environment variable or, when stdin is not a
terminal, from the first line of stdin (never from the command line, where \`ps\` would show it).
It needs 12+ characters, not a common password, not containing the user name.

Options:
  --admin        make the user an admin (default: member)
  --db <file>    SQLite database (default ${DEFAULT_DB_FILE})
  --json         machine-readable output (list)

Examples:
  GLEANER_PASSWORD='long unguessable phrase' gleaner users add alice --admin --db crawl.db
  pass show gleaner/bob | gleaner users add bob --db crawl.db
  gleaner users list --db crawl.db`;

export interface PasswordSource {
  env?: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export async function usersCommand(args: string[], io: Io, src: PasswordSource = {}): Promise<number> {
  const p = parse("users", args, { ...dbOption, admin: { type: "boolean" }, json: { type: "boolean" } }, USERS_USAGE);
  if (p === "help") return io.out.write(USERS_USAGE + "\n"), 0;
  const [sub, ...rest] = p.positionals;
  if (sub === "add") {
    if (rest.length !== 1) throw new UsageError(`gleaner users add: give exactly one user name\n\n${USERS_USAGE}`);
    if (p.values.json) throw new UsageError(`gleaner users add: --json applies to list only\n\n${USERS_USAGE}`);
    const password = await readPassword(src);
    return withAuth(p.values.db, async (auth) => {
      const user = await auth.createUser({ username: rest[0]!, password, role: p.values.admin ? "admin" : "member" });
      io.out.write(`created ${user.role} ${user.username} (id ${user.id})\n`);
      return 0;
    });
  }
  if (sub === "list") {
    if (rest.length > 0 || p.values.admin) throw new UsageError(`gleaner users list takes only --db and --json\n\n${USERS_USAGE}`);
    return withAuth(p.values.db, async (auth) => {
      const users = auth.listUsers();
      if (p.values.json) {
        io.out.write(JSON.stringify(users.map((u) => ({ ...u, createdAt: new Date(u.createdAt).toISOString() }))) + "\n");
      } else if (users.length === 0) {
        io.out.write("no users yet; add one with: GLEANER_PASSWORD=… gleaner users add <name> --admin\n");
      } else {
        table(io, [["ID", "USERNAME", "ROLE", "CREATED"], ...users.map((u) => [String(u.id), u.username, u.role, isoMinute(u.createdAt)])]);
      }
      return 0;
    });
  }
  throw new UsageError(`gleaner users: expected "add" or "list"${sub ? `, got ${JSON.stringify(sub)}` : ""}\n\n${USERS_USAGE}`);
}

/** Opens the store, hands an AuthService to `fn`, closes the store whatever happens. */
export async function withAuth<T>(db: string | boolean | undefined, fn: (auth: AuthService) => Promise<T>): Promise<T> {
  const store = openStore(typeof db === "string" ? db : DEFAULT_DB_FILE);
  try {
    if (!(store instanceof SqliteStore)) throw new GleanerError("GLEANER_ERR_STORE_UNSUPPORTED", "user accounts need a SQLite store (--db <file>)");
    return await fn(new AuthService(store.db));
  } finally {
    store.close();
  }
}

async function readPassword(src: PasswordSource): Promise<string> {
  const env = src.env ?? process.env;
  const fromEnv = env.GLEANER_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const stdin = src.stdin ?? process.stdin;
  if (stdin.isTTY) throw new UsageError("gleaner users add: set GLEANER_PASSWORD or pipe the password on stdin (it is never taken from the command line)");
  let text = "";
  for await (const chunk of stdin) {
    text += typeof chunk === "string" ? chunk : (chunk as Buffer).toString("utf8");
    if (text.includes("\n") || text.length > 4096) break; // first line only
  }
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  if (line === "") throw new UsageError("gleaner users add: no password given (GLEANER_PASSWORD is unset and stdin was empty)");
  return line;
}

export function table(io: Io, rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) io.out.write(r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd() + "\n");
}

export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}
