/**
 * Fetch errors: a stable code decides the action (retry / skip), and transport errors
 * from undici or the OS are translated into a message a user can act on.
 */
import { GleanerError, type ErrorAction } from "../shared/errors.js";

export const FetchErrorCode = {
  TIMEOUT: "GLEANER_ERR_FETCH_TIMEOUT",
  NETWORK: "GLEANER_ERR_FETCH_NETWORK",
  ABORTED: "GLEANER_ERR_FETCH_ABORTED",
  TLS: "GLEANER_ERR_FETCH_TLS",
  PROTOCOL: "GLEANER_ERR_FETCH_PROTOCOL",
  BAD_REQUEST: "GLEANER_ERR_FETCH_BAD_REQUEST",
  BAD_URL: "GLEANER_ERR_BAD_URL",
  REDIRECT_LOOP: "GLEANER_ERR_REDIRECT_LOOP",
  TOO_MANY_REDIRECTS: "GLEANER_ERR_TOO_MANY_REDIRECTS",
  BODY_TOO_LARGE: "GLEANER_ERR_BODY_TOO_LARGE",
  DECODE: "GLEANER_ERR_DECODE",
  /** The browser (or a page's renderer) died mid-fetch; the next fetch relaunches it. */
  BROWSER_CRASHED: "GLEANER_ERR_BROWSER_CRASHED",
  /** Chromium did not come up; transient (resources, races). */
  BROWSER_LAUNCH: "GLEANER_ERR_BROWSER_LAUNCH",
  /** No Chromium at the configured path: nothing to retry until it is installed. */
  BROWSER_MISSING: "GLEANER_ERR_BROWSER_MISSING",
} as const;
export type FetchErrorCode = (typeof FetchErrorCode)[keyof typeof FetchErrorCode];

// Transient conditions are retried; anything the same request would hit again is skipped.
// An abort from the caller (shutdown) is "retry": the page itself is not at fault.
const ACTIONS: Record<FetchErrorCode, ErrorAction> = {
  GLEANER_ERR_FETCH_TIMEOUT: "retry",
  GLEANER_ERR_FETCH_NETWORK: "retry",
  GLEANER_ERR_FETCH_ABORTED: "retry",
  GLEANER_ERR_FETCH_TLS: "skip",
  GLEANER_ERR_FETCH_PROTOCOL: "skip",
  GLEANER_ERR_FETCH_BAD_REQUEST: "skip",
  GLEANER_ERR_BAD_URL: "skip",
  GLEANER_ERR_REDIRECT_LOOP: "skip",
  GLEANER_ERR_TOO_MANY_REDIRECTS: "skip",
  GLEANER_ERR_BODY_TOO_LARGE: "skip",
  GLEANER_ERR_DECODE: "skip",
  GLEANER_ERR_BROWSER_CRASHED: "retry",
  GLEANER_ERR_BROWSER_LAUNCH: "retry",
  GLEANER_ERR_BROWSER_MISSING: "stop",
};

export class FetchError extends GleanerError {
  declare readonly code: FetchErrorCode;
  constructor(code: FetchErrorCode, message: string, opts: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(code, message, { action: ACTIONS[code], ...opts });
    this.name = "FetchError";
  }
}

type Kind = "timeout" | "network" | "tls" | "protocol" | "request";

// Phrases for the system / undici codes we meet in practice. The code itself is kept in
// context.systemCode (not context.code: GleanerError.toJSON spreads context over `code`).
const KNOWN: ReadonlyMap<string, [Kind, string]> = new Map<string, [Kind, string]>([
  ["ECONNREFUSED", ["network", "connection refused"]],
  ["ECONNRESET", ["network", "connection reset by peer"]],
  ["ECONNABORTED", ["network", "connection aborted"]],
  ["EPIPE", ["network", "connection closed while sending the request"]],
  ["ENOTFOUND", ["network", "host not found (DNS)"]],
  ["EAI_AGAIN", ["network", "temporary DNS failure"]],
  ["EHOSTUNREACH", ["network", "host unreachable"]],
  ["ENETUNREACH", ["network", "network unreachable"]],
  ["EHOSTDOWN", ["network", "host is down"]],
  ["UND_ERR_SOCKET", ["network", "connection closed by the server"]],
  ["UND_ERR_CLOSED", ["network", "fetcher closed"]],
  ["UND_ERR_DESTROYED", ["network", "fetcher closed"]],
  ["UND_ERR_RES_CONTENT_LENGTH_MISMATCH", ["network", "body shorter or longer than its content-length"]],
  ["ETIMEDOUT", ["timeout", "connection timed out"]],
  ["UND_ERR_CONNECT_TIMEOUT", ["timeout", "connect timed out"]],
  ["UND_ERR_HEADERS_TIMEOUT", ["timeout", "no response headers in time"]],
  ["UND_ERR_BODY_TIMEOUT", ["timeout", "body stalled"]],
  ["UND_ERR_HEADERS_OVERFLOW", ["protocol", "response headers too large"]],
  ["UND_ERR_INVALID_ARG", ["request", "invalid request (check the spec's headers)"]],
]);

/** Finds the system / undici code, also inside causes and AggregateErrors (happy eyeballs). */
function systemCode(err: unknown, depth = 0): string | undefined {
  if (err === null || typeof err !== "object" || depth > 4) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === "string" && e.code !== "") return e.code;
  if (Array.isArray(e.errors) && e.errors.length > 0) return systemCode(e.errors[0], depth + 1);
  return systemCode(e.cause, depth + 1);
}

function classify(code: string | undefined): [Kind, string] {
  if (code === undefined) return ["network", "network error"];
  const known = KNOWN.get(code);
  if (known) return known;
  if (code.startsWith("HPE_")) return ["protocol", "malformed HTTP response"];
  if (code.startsWith("CERT_") || code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_") ||
      code.includes("SELF_SIGNED") || code.startsWith("UNABLE_TO_")) return ["tls", "TLS/certificate error"];
  return ["network", "network error"];
}

/** Turns whatever undici / the OS threw into a FetchError naming the URL. */
export function toFetchError(err: unknown, url: string, timeoutMs: number): FetchError {
  if (err instanceof FetchError) return err;
  const code = systemCode(err);
  const [kind, phrase] = classify(code);
  const detail = err instanceof Error && err.message && kind !== "timeout" ? `: ${err.message}` : "";
  const suffix = code ? ` (${code})` : "";
  const context = { url, systemCode: code };
  switch (kind) {
    case "timeout":
      return new FetchError(FetchErrorCode.TIMEOUT,
        `GET ${url} timed out: ${phrase} (limit ${timeoutMs} ms)${suffix}`, { cause: err, context });
    case "tls":
      return new FetchError(FetchErrorCode.TLS, `GET ${url} failed: ${phrase}${suffix}${detail}`, { cause: err, context });
    case "protocol":
      return new FetchError(FetchErrorCode.PROTOCOL, `GET ${url} failed: ${phrase}${suffix}`, { cause: err, context });
    case "request":
      return new FetchError(FetchErrorCode.BAD_REQUEST, `GET ${url} could not be sent: ${phrase}${detail}`, { cause: err, context });
    default: {
      // Unknown errors keep their own message so nothing is hidden.
      const text = code && KNOWN.has(code) ? `${phrase}${suffix}` : `${phrase}${suffix}${detail}`;
      return new FetchError(FetchErrorCode.NETWORK, `GET ${url} failed: ${text}`, { cause: err, context });
    }
  }
}
