/** A real `gleaner serve` app on 127.0.0.1:0 with an admin and a member, for the server tests. */
import { join } from "node:path";
import { buildServer, type GleanerServer, type ServerOptions } from "../../src/server/app.js";
import { tempDir } from "./tmp.js";

export interface Harness {
  app: GleanerServer;
  url: string;
  db: string;
  adminKey: string;
  memberKey: string;
  /** fetch against the server with a key (or none), JSON body when given. */
  req(method: string, path: string, opts?: { key?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** Polls GET /api/jobs/:id until the job is in one of `states`. */
  waitForState(id: number, states: string[], key?: string): Promise<Record<string, unknown>>;
}

type T = { after(fn: () => unknown): void };

export const PASSWORD = "correct horse battery staple";
// Cheap argon2 for tests; production uses the library's defaults.
const FAST_HASH = { passwordHashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } };

export async function startServer(t: T, opts: Partial<ServerOptions> = {}): Promise<Harness> {
  const db = opts.db ?? join(tempDir(t, "gleaner-server-"), "g.db");
  const app = await buildServer({ auth: FAST_HASH, ...opts, db });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  t.after(() => app.close());
  const req: Harness["req"] = (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.key) headers.authorization = `Bearer ${o.key}`;
    if (o.body !== undefined) headers["content-type"] = "application/json";
    return fetch(url + path, { method, headers, ...(o.body !== undefined ? { body: typeof o.body === "string" ? o.body : JSON.stringify(o.body) } : {}) });
  };
  const auth = app.gleaner.auth;
  let adminId: number;
  if (!auth.hasAdmin()) {
    const token = auth.issueSetupToken();
    const setup = await req("POST", "/api/setup", { body: { token, username: "admin", password: PASSWORD } });
    if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${await setup.text()}`);
    adminId = ((await setup.json()) as { user: { id: number } }).user.id;
  } else {
    adminId = auth.listUsers().find((u) => u.role === "admin")!.id;
  }
  const adminKey = auth.createApiKey(adminId, "test admin").key;
  const member = auth.listUsers().find((u) => u.username === "member") ?? (await auth.createUser({ username: "member", password: PASSWORD, role: "member" }));
  const memberKey = auth.createApiKey(member.id, "test member").key;
  const h: Harness = {
    app, url, db, adminKey, memberKey, req,
    async waitForState(id, states, key = adminKey) {
      for (;;) {
        const r = await req("GET", `/api/jobs/${id}`, { key });
        const body = (await r.json()) as { job: Record<string, unknown> };
        if (r.status !== 200) throw new Error(`GET job ${id}: ${r.status} ${JSON.stringify(body)}`);
        if (states.includes(body.job.state as string)) return body.job;
        await new Promise((res) => setTimeout(res, 20));
      }
    },
  };
  return h;
}
