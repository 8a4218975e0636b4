/**
 * HTTP fetcher on one shared undici Agent (keep-alive pool per origin). Redirects are
 * followed here, not by undici, so every hop is recorded and loops are caught.
 */
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import type { Agent as AgentClass, Dispatcher } from "undici";
import type { IncomingHttpHeaders } from "node:http";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import { FetchError, FetchErrorCode, toFetchError } from "./errors.js";
import { chooseDecoding, decodeAs, isHtmlMime, isTextMime, isUtf8Decoding, looksLikeText, mimeType, sniffHtml } from "./decode.js";
import { PAGE_TEXT, PageText } from "./lazy-text.js";
import { checkContentLength, parseCoding, readBody, type Coding } from "./read-body.js";
import { ResponseBody } from "./response-body.js";
import type { FetchedPage, FetchRequest, Fetcher, HttpFetcherOptions, RedirectHop } from "./types.js";

/**
 * undici's package entry also loads fetch, WebSocket, caches, mocks and the request/stream
 * APIs: ~50 ms of start-up and ~9 MB that a crawl never uses. The fetcher needs the Agent and
 * its dispatch(), with a handler of its own (see send()). undici is pinned; if its layout ever
 * differs, the package entry is used.
 */
const undiciRequire = createRequire(import.meta.url);
const Agent: typeof AgentClass = (() => {
  try {
    const agent = undiciRequire("undici/lib/dispatcher/agent.js") as typeof AgentClass;
    if (typeof agent === "function" && typeof agent.prototype.dispatch === "function") return agent;
  } catch {
    // layout changed: below
  }
  return (undiciRequire("undici") as typeof import("undici")).Agent;
})();
type Agent = AgentClass;

/** Raw header pairs to an object, as undici's own request API makes it (lower-case names, arrays for repeats). */
const parseHeaders: (raw: Buffer[]) => IncomingHttpHeaders = (() => {
  type Util = { parseHeaders: (raw: Buffer[]) => IncomingHttpHeaders };
  try {
    const util = undiciRequire("undici/lib/core/util.js") as Partial<Util>;
    if (typeof util.parseHeaders === "function") return util.parseHeaders;
  } catch {
    // layout changed: below
  }
  return (undiciRequire("undici") as { util: Util }).util.parseHeaders; // the same function, public
})();

interface Response {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: ResponseBody;
}

/**
 * One request through the agent's dispatcher with a plain handler: the response's head
 * resolves the promise, its body streams into a ResponseBody. The deadline aborts it at any
 * point (connecting, waiting for the head, reading the body).
 */
function send(agent: Agent, opts: Dispatcher.DispatchOptions, signal: DeadlineSignal): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    let body: ResponseBody | null = null;
    let abort: ((reason: Error) => void) | null = null;
    const onAbort = (): void => abort?.(signal.reason as Error);
    signal.once("abort", onAbort);
    const settle = (): void => void signal.off("abort", onAbort);
    const handler: Dispatcher.DispatchHandler = {
      onConnect(a: (reason?: Error) => void) {
        abort = a;
        if (signal.aborted) a(signal.reason as Error);
      },
      onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void) {
        body = new ResponseBody(resume, (reason) => abort?.(reason));
        resolve({ statusCode, headers: parseHeaders(rawHeaders), body });
        return true;
      },
      onData(chunk: Buffer) {
        return body!.push(chunk);
      },
      onComplete() {
        settle();
        body?.finish();
      },
      onError(err: Error) {
        settle();
        if (body) body.fail(err);
        else reject(err);
      },
    };
    try {
      agent.dispatch(opts, handler);
    } catch (err) {
      settle();
      reject(err);
    }
  });
}

const ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const ACCEPT_ENCODING = "gzip, deflate, br";
const ACCEPT_LANGUAGE = "en";
/** Redirect bodies are read (to keep the socket) up to this size, else the socket is dropped. */
const REDIRECT_DRAIN_LIMIT = 64 * 1024;

export function createHttpFetcher(opts: HttpFetcherOptions = {}): Fetcher {
  const agent = new Agent({
    connections: opts.connections ?? 32,
    pipelining: 1,
    keepAliveTimeout: opts.keepAliveTimeoutMs ?? 4_000,
    connect: { timeout: opts.connectTimeoutMs ?? 10_000, ...(opts.guard ? { lookup: guardedLookup(opts.guard) } : {}) },
  });
  const guard = opts.guard;
  let closing: Promise<void> | null = null;
  return {
    fetch: (req) => fetchPage(agent, req, guard),
    close: () => (closing ??= agent.close()),
  };
}

type Guard = NonNullable<HttpFetcherOptions["guard"]>;
type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * DNS lookup for the connect step that refuses hosts resolving to a guarded address: the check
 * runs on the address the socket will use, so DNS rebinding cannot slip past a URL check.
 * Any guarded address among the answers refuses the host (no retrying with another record).
 */
function guardedLookup(guard: Guard) {
  return (host: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(host, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      for (const a of addresses) {
        const rule = guard(a.address, host);
        if (rule !== null) return callback(refusal(host, a.address, rule), "");
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function refusal(host: string, address: string, rule: string): FetchError {
  const what = host === address ? address : `${host} (resolves to ${address})`;
  return new FetchError(FetchErrorCode.BAD_URL, `${what} is a ${rule} address; crawling it is not allowed here`, { context: { refused: rule, address } });
}

function badUrl(message: string, context: Record<string, unknown>, cause?: unknown): FetchError {
  return new FetchError(FetchErrorCode.BAD_URL, message, { cause, context });
}

/** Parses an absolute http(s) URL (or one relative to `base`), dropping the fragment. */
function httpUrl(input: string, base: URL | undefined, what: string): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch (err) {
    throw badUrl(`${what} "${input}" is not a valid URL`, { url: input }, err);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badUrl(`${what} "${input}" uses unsupported scheme ${url.protocol} (only http and https)`, { url: input });
  }
  if (url.hash) url.hash = "";
  return url;
}

function buildHeaders(req: FetchRequest): Record<string, string> {
  const h: Record<string, string> = {
    "user-agent": req.userAgent,
    accept: ACCEPT,
    "accept-encoding": ACCEPT_ENCODING,
    "accept-language": ACCEPT_LANGUAGE,
  };
  if (req.headers) for (const name in req.headers) h[name.toLowerCase()] = req.headers[name]!;
  return h;
}

/** Flattens undici's header object in place: arrays joined (set-cookie with "\n", others ", "). */
function flattenHeaders(raw: IncomingHttpHeaders): Record<string, string> {
  for (const name in raw) {
    const v = raw[name];
    if (Array.isArray(v)) (raw as Record<string, string>)[name] = v.join(name === "set-cookie" ? "\n" : ", ");
    else if (v === undefined) delete raw[name];
  }
  return raw as Record<string, string>;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * The request deadline as send() listens to it: creating an AbortController per request
 * showed in profiles; an emitter is a plain object.
 */
class DeadlineSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit("abort");
  }
}

/**
 * One deadline for the whole request (all hops, headers and body), also tripped by the
 * caller's signal. A plain controller + timer (cleared in dispose) rather than
 * AbortSignal.any, which keeps listeners on long-lived caller signals in Node 20.
 */
class Deadline {
  readonly controller = new DeadlineSignal();
  private readonly timer: NodeJS.Timeout;
  private readonly onCallerAbort: (() => void) | undefined;
  url: string;

  constructor(private readonly req: FetchRequest, url: string) {
    this.url = url;
    this.timer = setTimeout(() => {
      this.controller.abort(new FetchError(FetchErrorCode.TIMEOUT,
        `GET ${this.url} timed out after ${req.timeoutMs} ms`, { context: { url: this.url, timeoutMs: req.timeoutMs } }));
    }, req.timeoutMs);
    const caller = req.signal;
    if (caller) {
      this.onCallerAbort = () => this.controller.abort(new FetchError(FetchErrorCode.ABORTED,
        `GET ${this.url} aborted by the caller`, { cause: caller.reason, context: { url: this.url } }));
      if (caller.aborted) this.onCallerAbort();
      else caller.addEventListener("abort", this.onCallerAbort, { once: true });
    }
  }

  /** The error to report: ours as is, else the deadline's reason over whatever undici threw after it. */
  error(err: unknown): FetchError {
    if (err instanceof FetchError) return err;
    const reason: unknown = this.controller.reason;
    if (reason instanceof FetchError) return reason;
    return toFetchError(err, this.url, this.req.timeoutMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (this.onCallerAbort) this.req.signal!.removeEventListener("abort", this.onCallerAbort);
  }
}

async function fetchPage(agent: Agent, req: FetchRequest, guard: Guard | undefined): Promise<FetchedPage> {
  const started = performance.now();
  let url = httpUrl(req.url, undefined, "URL");
  let headers = buildHeaders(req);
  const deadline = new Deadline(req, url.href);
  const signal = deadline.controller;
  const redirects: RedirectHop[] = [];
  let seen: Map<string, number> | null = null; // visits per URL, allocated on the first redirect only

  try {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      if (guard) checkLiteral(guard, url); // IP literals skip the lookup
      const res = await send(agent, {
        origin: url.origin,
        path: url.pathname + url.search,
        method: "GET",
        headers: req.cookies ? withCookies(headers, req.cookies.header(url.href)) : headers,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      }, signal);
      const status = res.statusCode;
      const location = res.headers.location;
      const setCookie = res.headers["set-cookie"];
      if (req.cookies && setCookie !== undefined) req.cookies.store(url.href, Array.isArray(setCookie) ? setCookie : [setCookie]);
      if (!isRedirect(status) || req.maxRedirects <= 0 || typeof location !== "string") {
        return await toPage(res, req, url, redirects, started);
      }

      // Read a small body so the socket goes back to the pool; dump() destroys a big one.
      await res.body.dump(REDIRECT_DRAIN_LIMIT);
      const next = httpUrl(location, url, `redirect from ${url.href} to`);
      redirects.push({ url: url.href, status, location });
      // A URL may come back once (a login that sets a cookie and redirects back); a third visit is a loop.
      seen ??= new Map([[url.href, 1]]);
      const context = { url: req.url, redirects };
      const visits = (seen.get(next.href) ?? 0) + 1;
      if (visits > 2 || (visits === 2 && !req.cookies)) {
        throw new FetchError(FetchErrorCode.REDIRECT_LOOP,
          `GET ${req.url}: redirect loop (${next.href} reached ${visits} times after ${redirects.length} redirects)`, { context });
      }
      if (redirects.length > req.maxRedirects) {
        throw new FetchError(FetchErrorCode.TOO_MANY_REDIRECTS,
          `GET ${req.url}: more than ${req.maxRedirects} redirects (maxRedirects)`, { context });
      }
      seen.set(next.href, visits);
      if (req.beforeRedirect) await req.beforeRedirect(next.href);
      if (next.origin !== url.origin) headers = withoutCredentials(headers);
      url = next;
      deadline.url = url.href;
      // 301/302/303/307/308 all continue as a GET: we only send GETs.
    }
  } catch (err) {
    const e = deadline.error(err);
    if (e.context.refused !== undefined && e.context.url === undefined) {
      throw new FetchError(e.code, `GET ${url.href} refused: ${e.message}`, { context: { ...e.context, url: url.href } });
    }
    throw e;
  } finally {
    deadline.dispose();
  }
}

function checkLiteral(guard: Guard, url: URL): void {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) === 0) return;
  const rule = guard(host, host);
  if (rule !== null) throw refusal(host, host, rule);
}

/** The session's cookies for this hop, after any Cookie header the spec set. */
function withCookies(headers: Record<string, string>, jar: string): Record<string, string> {
  if (jar === "") return headers;
  const own = headers.cookie;
  return { ...headers, cookie: own ? `${own}; ${jar}` : jar };
}

/** Like browsers: credentials from the spec are not forwarded to another origin on redirect. */
function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  if (!("authorization" in headers || "cookie" in headers || "proxy-authorization" in headers)) return headers;
  const { authorization: _a, cookie: _c, "proxy-authorization": _p, ...rest } = headers;
  return rest;
}

/** Reads the final response's body and interprets it. */
async function toPage(res: Response, req: FetchRequest, url: URL, redirects: RedirectHop[], started: number): Promise<FetchedPage> {
  const headers = flattenHeaders(res.headers);
  const contentTypeHeader = headers["content-type"];
  const contentType = mimeType(contentTypeHeader);
  let coding: Coding;
  try {
    coding = parseCoding(headers["content-encoding"], url.href);
    checkContentLength(headers["content-length"], coding, req.maxBodyBytes, url.href);
  } catch (err) {
    res.body.destroy(); // unread: drop the connection rather than leave it stalled
    throw err;
  }
  // Binary types are only counted; without a content-type the bytes are kept for sniffing.
  let textual = contentType === "" || isTextMime(contentType);
  const body = await readBody(res.body, coding, req.maxBodyBytes, textual || req.keepBody === true, url.href);

  let isHtml = isHtmlMime(contentType);
  if (contentType === "" && body.buf !== null) {
    isHtml = sniffHtml(body.buf);
    textual = isHtml || looksLikeText(body.buf);
  }
  let pageText = new PageText(null);
  let charset: string | null = null;
  if (textual && body.buf !== null) {
    const decoding = chooseDecoding(body.buf, contentTypeHeader, isHtml);
    if (isHtml && isUtf8Decoding(decoding)) {
      // Decoded on first read of `text`; an extraction worker gets the bytes (lazy-text.ts).
      pageText = new PageText(null, body.buf, decoding.start);
      charset = "utf-8";
    } else {
      const decoded = decodeAs(body.buf, decoding);
      pageText = new PageText(decoded.text);
      charset = decoded.charset;
    }
  }
  const page: FetchedPage & { [PAGE_TEXT]: PageText } = {
    url: req.url,
    finalUrl: url.href,
    status: res.statusCode,
    headers,
    redirects,
    contentType,
    charset,
    isHtml,
    get text() {
      return pageText.get();
    },
    set text(v: string | null) {
      pageText.set(v);
    },
    [PAGE_TEXT]: pageText,
    bodyBytes: body.bytes,
    ...(req.keepBody && body.buf !== null ? { body: body.buf } : {}),
    elapsedMs: Math.round((performance.now() - started) * 100) / 100,
  };
  return page;
}
