/** Auth failures carry the HTTP status the server should answer with. Messages never hold secrets. */
import { GleanerError } from "../../shared/errors.js";

export type AuthStatus = 400 | 401 | 403 | 404 | 409 | 429;

export class AuthError extends GleanerError {
  readonly status: AuthStatus;
  readonly retryAfterSeconds?: number;
  constructor(code: string, status: AuthStatus, message: string, opts: { retryAfterSeconds?: number; context?: Record<string, unknown> } = {}) {
    super(code, message, { action: status === 429 ? "retry" : "stop", context: opts.context });
    this.name = "AuthError";
    this.status = status;
    if (opts.retryAfterSeconds !== undefined) this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

// One constructor per refusal, so identical failures are identical (no oracle in the wording).
export const invalidCredentials = () => new AuthError("GLEANER_ERR_AUTH_INVALID_CREDENTIALS", 401, "wrong username or password");
export const throttled = (retryAfterSeconds: number) =>
  new AuthError("GLEANER_ERR_AUTH_THROTTLED", 429, `too many failed logins; try again in ${retryAfterSeconds}s`, { retryAfterSeconds });
export const invalidInvitation = () => new AuthError("GLEANER_ERR_AUTH_INVITATION_INVALID", 403, "invitation code is invalid, expired or used up");
export const invalidSetupToken = () => new AuthError("GLEANER_ERR_AUTH_SETUP_TOKEN", 403, "setup token is invalid or already used; restart `gleaner serve` for a new one");
export const adminExists = () => new AuthError("GLEANER_ERR_AUTH_ADMIN_EXISTS", 409, "an admin already exists; ask an admin for an invitation");
export const forbidden = (what: string) => new AuthError("GLEANER_ERR_AUTH_FORBIDDEN", 403, `not allowed: ${what}`);
export const notFound = (what: string, id: number) => new AuthError("GLEANER_ERR_AUTH_NOT_FOUND", 404, `no such ${what}: ${id}`, { context: { id } });
export const badRequest = (message: string) => new AuthError("GLEANER_ERR_AUTH_BAD_REQUEST", 400, message);
