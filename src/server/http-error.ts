/**
 * Errors the API answers with, and the one place that turns any thrown error into
 * `{ error: { code, message, issues? } }` with the right status. Unknown errors answer 500
 * with a generic message: internals (paths, SQL, secrets) never reach a response.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { GleanerError, SpecError } from "../shared/errors.js";
import type { Logger } from "../shared/log.js";
import { AuthError } from "./auth/index.js";

export class HttpError extends GleanerError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    opts: { issues?: { path: string; message: string }[]; retryAfterSeconds?: number; context?: Record<string, unknown> } = {},
  ) {
    super(code, message, { action: "stop", ...(opts.context ? { context: opts.context } : {}) });
    this.name = "HttpError";
    this.issues = opts.issues;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
  readonly issues: { path: string; message: string }[] | undefined;
  readonly retryAfterSeconds: number | undefined;
}

export const unauthorized = () => new HttpError(401, "GLEANER_ERR_UNAUTHORIZED", "authentication required: send an API key (Authorization: Bearer gl_… or X-API-Key) or log in (POST /api/login)");
export const forbidden = (what: string) => new HttpError(403, "GLEANER_ERR_FORBIDDEN", `not allowed: ${what}`);
export const notFound = (what: string) => new HttpError(404, "GLEANER_ERR_NOT_FOUND", `${what} not found`);
export const badRequest = (message: string) => new HttpError(400, "GLEANER_ERR_BAD_REQUEST", message);
export const conflict = (message: string) => new HttpError(409, "GLEANER_ERR_CONFLICT", message);

interface Body {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

/** Status and body for any error. */
export function toHttp(err: unknown): { status: number; body: Body; retryAfter?: number } {
  if (err instanceof HttpError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } }, ...(err.retryAfterSeconds !== undefined ? { retryAfter: err.retryAfterSeconds } : {}) };
  }
  if (err instanceof SpecError) {
    return { status: 400, body: { error: { code: err.code, message: "invalid spec: " + err.issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; "), issues: err.issues } } };
  }
  if (err instanceof AuthError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message } }, ...(err.retryAfterSeconds !== undefined ? { retryAfter: err.retryAfterSeconds } : {}) };
  }
  const fe = err as Partial<FastifyError>;
  if (typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors (body too large, bad JSON, unsupported media type).
    return { status: fe.statusCode, body: { error: { code: fe.code ?? "GLEANER_ERR_BAD_REQUEST", message: fe.message ?? "bad request" } } };
  }
  return { status: 500, body: { error: { code: "GLEANER_ERR_INTERNAL", message: "internal error; see the server log" } } };
}

export function errorHandler(log: Logger) {
  return (err: unknown, req: FastifyRequest, reply: FastifyReply): void => {
    const { status, body, retryAfter } = toHttp(err);
    if (status >= 500) log.error("http.error", { method: req.method, path: req.routeOptions.url ?? "?", error: err instanceof GleanerError ? err.code : (err as Error)?.name, message: (err as Error)?.message });
    if (retryAfter !== undefined) void reply.header("retry-after", String(Math.max(1, Math.ceil(retryAfter))));
    void reply.code(status).send(body);
  };
}
