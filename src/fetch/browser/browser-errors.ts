/**
 * Browser-specific errors, and the translation of Playwright / Chromium failures into the
 * same FetchError codes the HTTP fetcher uses (so retry decisions do not depend on the mode).
 */
import { FetchError, FetchErrorCode } from "../errors.js";

export const BrowserErrorCode = {
  CRASHED: FetchErrorCode.BROWSER_CRASHED,
  LAUNCH: FetchErrorCode.BROWSER_LAUNCH,
  MISSING: FetchErrorCode.BROWSER_MISSING,
} as const;
export type BrowserErrorCode = (typeof BrowserErrorCode)[keyof typeof BrowserErrorCode];

/** A FetchError (so callers handling fetch failures handle these too) with a browser code. */
export class BrowserFetchError extends FetchError {
  constructor(code: BrowserErrorCode, message: string, opts: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(code, message, opts);
    this.name = "BrowserFetchError";
  }
}

type Mapped = [FetchErrorCode, string];

// Chromium net error names (https://source.chromium.org/chromium/chromium/src/+/main:net/base/net_error_list.h).
const NET_ERRORS: ReadonlyMap<string, Mapped> = new Map<string, Mapped>([
  ["ERR_TIMED_OUT", [FetchErrorCode.TIMEOUT, "timed out"]],
  ["ERR_CONNECTION_TIMED_OUT", [FetchErrorCode.TIMEOUT, "connection timed out"]],
  ["ERR_CONNECTION_REFUSED", [FetchErrorCode.NETWORK, "connection refused"]],
  ["ERR_CONNECTION_RESET", [FetchErrorCode.NETWORK, "connection reset by peer"]],
  ["ERR_CONNECTION_CLOSED", [FetchErrorCode.NETWORK, "connection closed by the server"]],
  ["ERR_EMPTY_RESPONSE", [FetchErrorCode.NETWORK, "connection closed by the server without a response"]],
  ["ERR_NAME_NOT_RESOLVED", [FetchErrorCode.NETWORK, "host not found (DNS)"]],
  ["ERR_ADDRESS_UNREACHABLE", [FetchErrorCode.NETWORK, "host unreachable"]],
  ["ERR_INTERNET_DISCONNECTED", [FetchErrorCode.NETWORK, "network unreachable"]],
  ["ERR_CONTENT_LENGTH_MISMATCH", [FetchErrorCode.NETWORK, "body shorter or longer than its content-length"]],
  ["ERR_INCOMPLETE_CHUNKED_ENCODING", [FetchErrorCode.NETWORK, "body cut short"]],
  ["ERR_INVALID_HTTP_RESPONSE", [FetchErrorCode.PROTOCOL, "malformed HTTP response"]],
  ["ERR_INVALID_CHUNKED_ENCODING", [FetchErrorCode.PROTOCOL, "malformed HTTP response"]],
  ["ERR_RESPONSE_HEADERS_TOO_BIG", [FetchErrorCode.PROTOCOL, "response headers too large"]],
  ["ERR_TOO_MANY_REDIRECTS", [FetchErrorCode.TOO_MANY_REDIRECTS, "too many redirects (Chromium's limit)"]],
  ["ERR_INVALID_URL", [FetchErrorCode.BAD_URL, "invalid URL"]],
  ["ERR_UNSAFE_REDIRECT", [FetchErrorCode.BAD_URL, "redirect to a URL the browser refuses"]],
  ["ERR_UNSAFE_PORT", [FetchErrorCode.BAD_URL, "port the browser refuses to connect to"]],
  ["ERR_DISALLOWED_URL_SCHEME", [FetchErrorCode.BAD_URL, "unsupported URL scheme"]],
]);

const NET_ERROR = /net::(ERR_[A-Z0-9_]+)/;
const BAD_SELECTOR = /is not a valid selector|Unexpected token|SyntaxError|Unknown engine/;

/**
 * Translates what Playwright threw for one fetch. The caller decides first whether the
 * deadline, the caller's signal, our own close() or a dead browser explain the failure.
 */
export function classifyBrowserError(err: unknown, url: string, step: string, timeoutMs: number): FetchError {
  if (err instanceof FetchError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const firstLine = message.split("\n", 1)[0]!;
  if (err instanceof Error && err.name === "TimeoutError") {
    return new FetchError(FetchErrorCode.TIMEOUT, `browser GET ${url} timed out during ${step} (limit ${timeoutMs} ms)`,
      { cause: err, context: { url, step, timeoutMs } });
  }
  const net = NET_ERROR.exec(message);
  if (net) {
    const name = net[1]!;
    const [code, phrase] = NET_ERRORS.get(name) ??
      (name.startsWith("ERR_CERT_") || name.startsWith("ERR_SSL_") ? [FetchErrorCode.TLS, "TLS/certificate error"] as Mapped
        : [FetchErrorCode.NETWORK, "network error"] as Mapped);
    return new FetchError(code, `browser GET ${url} failed: ${phrase} (net::${name})`,
      { cause: err, context: { url, step, systemCode: name } });
  }
  if (/Target crashed|Page crashed/i.test(message)) {
    return new BrowserFetchError(BrowserErrorCode.CRASHED, `browser GET ${url} failed: the page's renderer crashed during ${step}`,
      { cause: err, context: { url, step, target: "page" } });
  }
  if (BAD_SELECTOR.test(message) && step !== "navigation") {
    return new FetchError(FetchErrorCode.BAD_REQUEST, `browser GET ${url}: ${step} uses an invalid selector: ${firstLine}`,
      { cause: err, context: { url, step } });
  }
  return new FetchError(FetchErrorCode.NETWORK, `browser GET ${url} failed during ${step}: ${firstLine}`,
    { cause: err, context: { url, step } });
}
