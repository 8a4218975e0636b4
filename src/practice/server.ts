/**
 * The HTTP server: plain node:http, one Map lookup per request for static pages, with
 * gzip / br forms computed once per reply and kept with it.
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { GleanerError } from "../shared/errors.js";
import { acceptedEncoding, encodedBody, type Encoding } from "./compress.js";
import { buildModel } from "./model.js";
import { resolveModes } from "./modes.js";
import { METHOD_NOT_ALLOWED, ReplyCache } from "./reply.js";
import { createSections, Router } from "./router.js";
import type { PracticeSite, PracticeSiteOptions, Reply, RequestLogEntry } from "./types.js";

const ignore = (): void => {};

export async function startPracticeSite(opts: PracticeSiteOptions = {}): Promise<PracticeSite> {
  const host = opts.host ?? "127.0.0.1";
  const modes = resolveModes(opts);
  const model = buildModel(opts);
  const requestLog: RequestLogEntry[] = [];
  // Modes exist to be checked against the log, so they turn it on unless told otherwise.
  const log = opts.log ?? modes.enabled.size > 0;
  /** Replies held back by `delayMs` (slow pages): cleared on close so it is prompt. */
  const timers = new Set<NodeJS.Timeout>();
  let router: Router | undefined;

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const at = performance.timeOrigin + performance.now();
    if (router === undefined) {
      // Listening but not built yet (only reachable with a fixed port): ask to come back.
      res.writeHead(503, { "retry-after": "1", "content-length": 0 }).end();
      return;
    }
    serve(router, req, res, timers, log ? (reply) => {
      const entry: RequestLogEntry = { at, method: req.method ?? "GET", path: req.url ?? "/", userAgent: req.headers["user-agent"] ?? "", status: reply.status };
      if (reply.retryUntil !== undefined) entry.retryUntil = reply.retryUntil;
      requestLog.push(entry);
    } : ignore);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) =>
      reject(new GleanerError("GLEANER_ERR_PRACTICE_LISTEN", `practice site cannot listen on ${host}:${opts.port ?? 0}: ${err.message}`, {
        action: "stop", cause: err, context: { host, port: opts.port ?? 0 },
      })));
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  const cache = new ReplyCache();
  router = new Router(createSections({ model, cache, origin: url, modes }));
  const manifest = router.manifest();
  if (opts.warm) await warm(router, cache);

  return {
    url,
    port,
    manifest,
    requestLog,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Answers one request; calls `done` with the reply once the response is written. */
function serve(router: Router, req: IncomingMessage, res: ServerResponse, timers: Set<NodeJS.Timeout>, done: (reply: Reply) => void): void {
  const method = req.method ?? "GET";
  let reply: Reply;
  try {
    if (method !== "GET" && method !== "HEAD") {
      reply = METHOD_NOT_ALLOWED;
    } else {
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      reply = router.handle({
        method,
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? "" : url.slice(q + 1),
        headers: req.headers,
      });
    }
  } catch (err) {
    // A section bug must show up in the test that hit it, not hang the client.
    const message = err instanceof Error ? err.stack ?? err.message : String(err);
    reply = { status: 500, contentType: "text/plain; charset=utf-8", body: Buffer.from(`500 practice site error\n${message}\n`), compressible: false };
  }
  if (reply.delayMs) {
    const r = reply;
    later(timers, r.delayMs!, () => {
      if (!res.destroyed) respond(req, res, method, r, done);
    });
  } else {
    respond(req, res, method, reply, done);
  }
}

/**
 * Runs `fn` no sooner than `ms` from now: a timer can fire a little early against the
 * monotonic clock, so it re-arms for what is left (tests assert lower bounds).
 */
function later(timers: Set<NodeJS.Timeout>, ms: number, fn: () => void): void {
  const due = performance.now() + ms;
  const arm = (wait: number): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      const left = due - performance.now();
      if (left > 0) arm(Math.ceil(left));
      else fn();
    }, wait);
    timers.add(t);
  };
  arm(ms);
}

function respond(req: IncomingMessage, res: ServerResponse, method: string, reply: Reply, done: (reply: Reply) => void): void {
  const encoding = reply.compressible ? acceptedEncoding(req.headers["accept-encoding"]) : null;
  if (encoding === null) return done(send(res, method, reply, reply.body, null));
  const body = encodedBody(reply, encoding);
  if (Buffer.isBuffer(body)) return done(send(res, method, reply, body, encoding));
  body.then(
    (b) => done(send(res, method, reply, b, encoding)),
    () => done(send(res, method, reply, reply.body, null)), // identity is always acceptable
  );
}

function send(res: ServerResponse, method: string, reply: Reply, body: Buffer, encoding: Encoding | null): Reply {
  const headers: OutgoingHttpHeaders = {
    "content-type": reply.contentType,
    "content-length": body.length,
  };
  if (reply.compressible) headers["vary"] = "Accept-Encoding";
  if (encoding) headers["content-encoding"] = encoding;
  if (reply.headers) Object.assign(headers, reply.headers);
  res.writeHead(reply.status, headers);
  res.end(method === "HEAD" ? undefined : body);
  return reply;
}

/**
 * Renders static pages and their gzip forms up front (for benchmarks), until the cache
 * is full: past that, warming would only evict what it just rendered.
 */
async function warm(router: Router, cache: ReplyCache): Promise<void> {
  // Render on this thread while the pool compresses; a bounded window caps memory.
  const window = new Set<Promise<unknown>>();
  for (const path of router.warmPaths()) {
    if (cache.full) break;
    const q = path.indexOf("?");
    const reply = router.dispatch({ method: "GET", path: q < 0 ? path : path.slice(0, q), query: q < 0 ? "" : path.slice(q + 1), headers: {} });
    if (!reply.compressible) continue;
    const body = encodedBody(reply, "gzip");
    if (Buffer.isBuffer(body)) continue;
    const p = body.finally(() => window.delete(p));
    window.add(p);
    if (window.size >= 8) await Promise.race(window);
  }
  await Promise.all(window);
}
