/** `gleaner keys create|list|revoke`: API keys for `gleaner serve`, shown once at creation. */
import type { Principal } from "../../server/auth/index.js";
import { GleanerError, UsageError } from "../../shared/errors.js";
import { DEFAULT_DB_FILE } from "../../store/index.js";
import { dbOption, intFlag, parse } from "../args.js";
import type { Io } from "../output.js";
import { isoMinute, table, withAuth } from "./users.js";

export const KEYS_USAGE = `Usage: gleaner keys create --user <name> [--name <label>] [--db <file>]
       gleaner keys list [--user <name>] [--db <file>] [--json]
       gleaner keys revoke <id> [--db <file>]

Manage API keys (send one as "Authorization: Bearer gl_…" or "X-API-Key: gl_…").
The full key is printed once, at creation; only its hash is stored, listings show the prefix.

Options:
  --user <name>   the key's owner (create), or whose keys to list (default: everyone's)
  --name <label>  what the key is for (create)
  --db <file>     SQLite database (default ${DEFAULT_DB_FILE})
  --json          machine-readable output (list)

Examples:
  gleaner keys create --user alice --name ci --db crawl.db
  gleaner keys list --user alice --db crawl.db
  gleaner keys revoke 3 --db crawl.db`;

// Whoever can open the database file administers it; revocations from the CLI act as an admin.
const OPERATOR: Principal = { userId: 0, username: "(cli operator)", role: "admin", via: "key" };

export async function keysCommand(args: string[], io: Io): Promise<number> {
  const p = parse("keys", args, { ...dbOption, user: { type: "string" }, name: { type: "string" }, json: { type: "boolean" } }, KEYS_USAGE);
  if (p === "help") return io.out.write(KEYS_USAGE + "\n"), 0;
  const [sub, ...rest] = p.positionals;
  const v = p.values;
  const usage = (msg: string) => new UsageError(`gleaner keys ${sub}: ${msg}\n\n${KEYS_USAGE}`);

  if (sub === "create") {
    if (rest.length > 0 || v.json) throw usage("takes only --user, --name and --db");
    if (typeof v.user !== "string") throw usage("--user <name> is required");
    const userName = v.user;
    return withAuth(v.db, async (auth) => {
      const created = auth.createApiKey(userIdOf(auth.listUsers(), userName), typeof v.name === "string" ? v.name : "");
      io.out.write(created.key + "\n");
      io.err.write(`created key ${created.id} (prefix ${created.prefix}) for ${userName}; copy it now, it will not be shown again\n`);
      return 0;
    });
  }
  if (sub === "list") {
    if (rest.length > 0 || v.name !== undefined) throw usage("takes only --user, --db and --json");
    return withAuth(v.db, async (auth) => {
      const users = auth.listUsers();
      const names = new Map(users.map((u) => [u.id, u.username]));
      const keys = auth.listApiKeys(typeof v.user === "string" ? userIdOf(users, v.user) : "all");
      if (v.json) {
        io.out.write(JSON.stringify(keys.map((k) => ({ ...k, user: names.get(k.userId) ?? null }))) + "\n");
      } else if (keys.length === 0) {
        io.out.write("no API keys; create one with: gleaner keys create --user <name>\n");
      } else {
        const rows = keys.map((k) => [String(k.id), `gl_${k.prefix}_…`, k.name || "-", names.get(k.userId) ?? `#${k.userId}`, isoMinute(k.createdAt), k.lastUsedAt ? isoMinute(k.lastUsedAt) : "never", k.revokedAt ? `revoked ${isoMinute(k.revokedAt)}` : "active"]);
        table(io, [["ID", "KEY", "NAME", "USER", "CREATED", "LAST USED", "STATE"], ...rows]);
      }
      return 0;
    });
  }
  if (sub === "revoke") {
    if (rest.length !== 1 || v.user !== undefined || v.name !== undefined || v.json) throw usage("give one key id (see gleaner keys list)");
    const id = intFlag(rest[0], "key id", 1)!;
    return withAuth(v.db, async (auth) => {
      auth.revokeApiKey(id, OPERATOR);
      io.out.write(`revoked key ${id}\n`);
      return 0;
    });
  }
  throw new UsageError(`gleaner keys: expected "create", "list" or "revoke"${sub ? `, got ${JSON.stringify(sub)}` : ""}\n\n${KEYS_USAGE}`);
}

function userIdOf(users: { id: number; username: string }[], name: string): number {
  const lower = name.toLowerCase();
  const u = users.find((x) => x.username.toLowerCase() === lower);
  if (!u) throw new GleanerError("GLEANER_ERR_AUTH_NOT_FOUND", `no user named ${JSON.stringify(name)}; see gleaner users list`, { context: { user: name } });
  return u.id;
}
