/**
 * `buildServer`: the Fastify app of `gleaner serve` on one SQLite file — the crawl store,
 * users and keys (auth/), job ownership — with the jobs API, live events and the SSRF guard.
 * docs/server.md describes the API; openapi.ts is its machine-readable form.
 */
import fastify, { type FastifyInstance } from "fastify";
import websocket from "@fastify/websocket";
import { silentLogger, type Logger } from "../shared/log.js";
import { SqliteStore } from "../store/index.js";
import { AuthService, principalFrom, type AuthServiceOptions, type Principal } from "./auth/index.js";
import { EventHub } from "./event-hub.js";
import { errorHandler, HttpError, unauthorized } from "./http-error.js";
import { JobOwners } from "./job-owners.js";
import { JobRunner } from "./job-runner.js";
import { OPENAPI } from "./openapi.js";
import { RateLimiter } from "./rate-limit.js";
import { BODY_CREDENTIAL_ROUTES, registerAuthRoutes } from "./routes/auth-routes.js";
import { canSee, registerJobRoutes } from "./routes/job-routes.js";
import { fetchGuard, type TargetPolicy } from "./ssrf.js";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface ServerOptions {
  /** SQLite file shared by crawls, users and keys. */
  db: string;
  /** Let API-submitted specs crawl loopback/private/link-local addresses (default false). */
  allowPrivateTargets?: boolean;
  /** Hosts exempt from the SSRF guard (e.g. an intranet site you mean to crawl). */
  allowHosts?: string[];
  /** Running jobs per user (default 3; more answers 429). */
  maxConcurrentJobsPerUser?: number;
  /** API requests per minute per key or session user (default 600; more answers 429). */
  rateLimitPerMinute?: number;
  /** Largest request body (default 256 KiB; larger answers 413). */
  bodyLimitBytes?: number;
  /** WebSocket: time to authenticate after connecting (default 5 000 ms). */
  wsAuthTimeoutMs?: number;
  /** WebSocket ping interval (default 30 000 ms). */
  wsHeartbeatMs?: number;
  /** WebSocket send buffer per client before it is dropped (default 1 MiB). */
  wsMaxBufferedBytes?: number;
  /** How often running jobs publish progress (default 1 000 ms). */
  progressIntervalMs?: number;
  /** Resume jobs a previous server left running (default true). */
  resumeJobs?: boolean;
  auth?: AuthServiceOptions;
  log?: Logger;
}

export interface ServerContext {
  store: SqliteStore;
  auth: AuthService;
  runner: JobRunner;
  events: EventHub;
  owners: JobOwners;
  /** Jobs resumed at start. */
  resumed: number[];
}

export type GleanerServer = FastifyInstance & { gleaner: ServerContext };

export async function buildServer(opts: ServerOptions): Promise<GleanerServer> {
  const log = opts.log ?? silentLogger;
  const store = new SqliteStore(opts.db);
  const auth = new AuthService(store.db, opts.auth);
  const owners = new JobOwners(store.db);
  const policy: TargetPolicy = { allowPrivateTargets: opts.allowPrivateTargets === true, allowHosts: new Set((opts.allowHosts ?? []).map((h) => h.toLowerCase().replace(/^\[|\]$/g, ""))) };
  const events = new EventHub({
    authTimeoutMs: opts.wsAuthTimeoutMs ?? 5_000,
    heartbeatMs: opts.wsHeartbeatMs ?? 30_000,
    maxBufferedBytes: opts.wsMaxBufferedBytes ?? 1024 * 1024,
    closeGraceMs: 5_000,
    authenticateKey: (key) => auth.authenticateKey(key),
    canSee: (p, job) => canSee(owners, p, job),
  });
  const runner = new JobRunner({
    store,
    owners,
    guard: fetchGuard(policy),
    maxConcurrentJobsPerUser: opts.maxConcurrentJobsPerUser ?? 3,
    progressIntervalMs: opts.progressIntervalMs ?? 1_000,
    log,
    listener: { state: (job, state, owner, error) => events.publishState(job, state, owner, error), progress: (p, owner) => events.publishProgress(p, owner), error: (e, owner) => events.publishError(e, owner) },
  });
  const limiter = new RateLimiter(opts.rateLimitPerMinute ?? 600);

  // Fastify's logger stays off: it would log URLs and headers; we log our own events without secrets.
  const app = fastify({ logger: false, bodyLimit: opts.bodyLimitBytes ?? 256 * 1024 });
  app.decorateRequest("principal", null);
  app.setErrorHandler(errorHandler(log));
  app.setNotFoundHandler((req) => {
    throw req.principal ? new HttpError(404, "GLEANER_ERR_NOT_FOUND", "no such route; see GET /api/openapi.json") : unauthorized();
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  app.addHook("onRequest", async (req, reply) => {
    const route = req.routeOptions.url;
    if (route === "/api/health") return;
    req.principal = principalFrom(auth, req.headers);
    if (route !== undefined && BODY_CREDENTIAL_ROUTES.has(route)) return; // they check the body's credentials
    const upgrade = req.headers.upgrade?.toLowerCase() === "websocket";
    if (route === "/api/events" && upgrade) return; // may authenticate with its first message
    if (!req.principal) throw unauthorized();
    if (route === "/api/events") throw new HttpError(426, "GLEANER_ERR_UPGRADE_REQUIRED", "/api/events is a WebSocket endpoint; connect with a WebSocket client");
    const p = req.principal;
    const wait = limiter.hit(p.via === "key" ? `k:${p.keyPrefix}` : `u:${p.userId}`);
    if (wait > 0) {
      void reply.header("retry-after", String(wait));
      throw new HttpError(429, "GLEANER_ERR_RATE_LIMIT", `too many requests: the limit is ${opts.rateLimitPerMinute ?? 600} per minute; retry in ${wait} s`, { retryAfterSeconds: wait });
    }
  });

  app.get("/api/health", async () => ({ ok: true, version: "0.1.0", setupNeeded: !auth.hasAdmin() }));
  app.get("/api/openapi.json", async () => OPENAPI);
  app.get("/api/events", { websocket: true }, (socket, req) => events.accept(socket, req.principal));
  registerAuthRoutes(app, auth);
  registerJobRoutes(app, { store, owners, runner, policy, log });

  const ctx: ServerContext = { store, auth, runner, events, owners, resumed: [] };
  app.decorate("gleaner", ctx);
  app.addHook("preClose", async () => {
    events.close();
    await runner.shutdown();
  });
  app.addHook("onClose", async () => store.close());
  if (opts.resumeJobs !== false) ctx.resumed = runner.resumeInterrupted();
  return app as unknown as GleanerServer;
}
