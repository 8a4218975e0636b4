/**
 * One browser fetch on a leased page: navigate, wait, act, then read the final main-frame
 * response and the rendered DOM into a FetchedPage (plus the session's cookies).
 */
import type { Page, Response as PwResponse } from "playwright-core";
import { FetchError, FetchErrorCode } from "../errors.js";
import { decodeBody, isHtmlMime, isTextMime, mimeType } from "../decode.js";
import type { RedirectHop } from "../types.js";
import { runActions } from "./actions.js";
import { isJar, seedFromJar, storeToJar, toBrowserCookie, type Seeded } from "./cookie-sync.js";
import type { PooledPage } from "./browser-instance.js";
import type { StepDeadline } from "./step-deadline.js";
import type { BrowserFetchedPage, BrowserFetchRequest } from "./types.js";

/** Read in the page: [characterSet, contentType] (the browser's, after sniffing). */
const DOC_META = "[document.characterSet, document.contentType]";
const NAVIGATION_RACE = /Execution context was destroyed|navigat/i;

export async function renderPage(pp: PooledPage, req: BrowserFetchRequest, dl: StepDeadline): Promise<BrowserFetchedPage> {
  const { page, session } = pp;
  const started = performance.now();
  const waitUntil = req.waitUntil ?? "load";
  pp.lastNav = null;
  await applyHeaders(pp, req, dl);
  const given = req.cookies;
  const jar = given && isJar(given) ? given : null;
  let seeded: Seeded | null = null;
  if (jar) seeded = await dl.run("seeding cookies", () => seedFromJar(session.context, jar, req.url));
  else if (Array.isArray(given) && given.length > 0) await dl.run("seeding cookies", () => session.context.addCookies(given));

  const first = await dl.run("navigation", () => page.goto(req.url, { waitUntil, timeout: dl.remaining() }));
  if (first === null) {
    throw new FetchError(FetchErrorCode.NETWORK, `browser GET ${req.url} failed: no response for the navigation`, { context: { url: req.url } });
  }
  let redirects = await redirectChain(first, req, dl); // checked before spending time on the page
  const firstType = mimeType(first.headers()["content-type"]);
  // waitFor and actions only make sense on a document (a PDF or image would time out).
  if (isHtmlMime(firstType) || firstType === "") {
    const waitFor = req.waitFor;
    if (waitFor) {
      await dl.run(`waitFor ${waitFor}`, () => page.locator(waitFor).first().waitFor({ state: "attached", timeout: dl.remaining() }));
    }
    if (req.actions && req.actions.length > 0) await runActions(page, req.actions, dl, waitUntil);
  }

  const response = await finalResponse(pp, first, dl);
  if (response !== first) redirects = await redirectChain(response, req, dl);
  const headers = await dl.run("reading headers", () => response.allHeaders());

  const content = await readContent(page, response, headers, req, dl, waitUntil);
  if (req.screenshotPath) {
    const path = req.screenshotPath;
    await dl.run("screenshot", () => page.screenshot({ path, fullPage: true, timeout: dl.remaining() }));
  }
  const cookies = await dl.run("reading cookies", () => session.context.cookies());
  if (jar) storeToJar(jar, cookies, seeded!);
  const finalUrl = new URL(response.url());
  finalUrl.hash = "";
  return {
    url: req.url,
    finalUrl: finalUrl.href,
    status: response.status(),
    headers,
    redirects,
    ...content,
    elapsedMs: Math.round((performance.now() - started) * 100) / 100,
    cookies: cookies.map(toBrowserCookie),
  };
}

interface Content {
  contentType: string;
  charset: string | null;
  isHtml: boolean;
  text: string | null;
  bodyBytes: number;
  body?: Buffer;
}

/**
 * HTML: the rendered DOM. JSON / XML / plain text: the bytes as served (not the browser's
 * viewer markup). Other types (PDF, images): recorded only; their bytes stay in the browser,
 * which shows its own viewer page for them, so `keepBody` cannot return them either.
 */
async function readContent(page: Page, response: PwResponse, headers: Record<string, string>, req: BrowserFetchRequest,
                           dl: StepDeadline, waitUntil: "load" | "domcontentloaded" | "networkidle"): Promise<Content> {
  const contentType = mimeType(headers["content-type"]);
  const docLike = isHtmlMime(contentType) || contentType === "";
  const textual = !docLike && isTextMime(contentType);
  const served = textual || (req.keepBody && docLike) ? await dl.run("reading the body", () => response.body()) : undefined;
  const keep = req.keepBody && served ? { body: served } : {};
  if (docLike) {
    const snap = await snapshot(page, dl, waitUntil);
    if (isHtmlMime(snap.docType)) {
      const bodyBytes = checkSize(Buffer.byteLength(snap.html), req);
      return { contentType: contentType || snap.docType, charset: snap.charset, isHtml: true, text: snap.html, bodyBytes, ...keep };
    }
    return { contentType, charset: null, isHtml: false, text: null, bodyBytes: checkSize(served?.length ?? contentLength(headers), req), ...keep };
  }
  if (textual) {
    const bodyBytes = checkSize(served!.length, req);
    const { text, charset } = decodeBody(served!, headers["content-type"], false);
    return { contentType, charset, isHtml: false, text, bodyBytes, ...keep };
  }
  return { contentType, charset: null, isHtml: false, text: null, bodyBytes: checkSize(contentLength(headers), req) };
}

function checkSize(bodyBytes: number, req: BrowserFetchRequest): number {
  if (bodyBytes > req.maxBodyBytes) {
    throw new FetchError(FetchErrorCode.BODY_TOO_LARGE,
      `browser GET ${req.url}: body of ${bodyBytes} bytes exceeds maxBodyBytes (${req.maxBodyBytes})`,
      { context: { url: req.url, bodyBytes, maxBodyBytes: req.maxBodyBytes } });
  }
  return bodyBytes;
}

/** User agent and extra headers: applied to the page only when they differ from its last fetch. */
async function applyHeaders(pp: PooledPage, req: BrowserFetchRequest, dl: StepDeadline): Promise<void> {
  let ua = req.userAgent;
  const extra: Record<string, string> = {};
  if (req.headers) {
    for (const name in req.headers) {
      const lower = name.toLowerCase();
      // Chromium ignores User-Agent among extra headers: it goes through the override below.
      if (lower === "user-agent") ua = req.headers[name]!;
      else extra[lower] = req.headers[name]!;
    }
  }
  if (ua !== pp.userAgent) {
    // The context's user agent is its session's first; a page can still override it (navigator too).
    await dl.run("setting the user agent", async () => {
      pp.cdp ??= await pp.session.context.newCDPSession(pp.page);
      await pp.cdp.send("Emulation.setUserAgentOverride", { userAgent: ua });
    });
    pp.userAgent = ua;
  }
  const key = req.headers ? JSON.stringify(extra) : "{}";
  if (key === pp.headersKey) return;
  pp.headersKey = key;
  await dl.run("setting headers", () => pp.page.setExtraHTTPHeaders(extra));
}

/** The last main-frame navigation's response (a form submit or JS redirect may follow goto's). */
async function finalResponse(pp: PooledPage, first: PwResponse, dl: StepDeadline): Promise<PwResponse> {
  const last = pp.lastNav;
  if (last === null || last === first.request()) return first;
  const res = await dl.run("final response", () => last.response());
  return res ?? first; // a navigation that failed or was cancelled leaves the previous document
}

/**
 * The hops Chromium followed to `response`. It follows them itself, so maxRedirects can only
 * reject a longer chain afterwards (0 rejects any redirect rather than returning the 3xx).
 */
async function redirectChain(response: PwResponse, req: BrowserFetchRequest, dl: StepDeadline): Promise<RedirectHop[]> {
  const hops: RedirectHop[] = [];
  for (let r = response.request().redirectedFrom(); r !== null; r = r.redirectedFrom()) {
    const hop = r;
    const res = await dl.run("reading redirects", () => hop.response());
    hops.push({ url: hop.url(), status: res?.status() ?? 0, location: res?.headers()["location"] ?? "" });
  }
  hops.reverse();
  if (hops.length > req.maxRedirects) {
    throw new FetchError(FetchErrorCode.TOO_MANY_REDIRECTS,
      `browser GET ${req.url}: more than ${req.maxRedirects} redirects (maxRedirects)`, { context: { url: req.url, redirects: hops } });
  }
  return hops;
}

/** Serialized DOM, retried when a late navigation (meta refresh, JS redirect) replaces the document. */
async function snapshot(page: Page, dl: StepDeadline, waitUntil: "load" | "domcontentloaded" | "networkidle"):
    Promise<{ html: string; charset: string; docType: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const [html, meta] = await dl.run("reading the DOM", () =>
        Promise.all([page.content(), page.evaluate(DOC_META) as Promise<[string, string]>]));
      return { html, charset: meta[0].toLowerCase(), docType: meta[1].toLowerCase() };
    } catch (err) {
      if (attempt >= 2 || !(err instanceof Error) || !NAVIGATION_RACE.test(err.message)) throw err;
      await dl.run("load after a late navigation", () => page.waitForLoadState(waitUntil, { timeout: dl.remaining() }));
    }
  }
}

function contentLength(headers: Record<string, string>): number {
  const n = Number(headers["content-length"]);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}
