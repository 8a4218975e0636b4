/**
 * Fetching one page with the right fetcher: HTTP, the browser, or HTTP then the browser (auto).
 * Every request it makes is paced by the host's politeness (the slot's own request is already
 * accounted for; a second request for the same page, or a redirect hop, takes another turn),
 * and every answer feeds the session pool and the host's health.
 */
import type { Fetcher, FetchedPage, Session, SessionPool } from "../fetch/index.js";
import type { BrowserFetcher, BrowserFetchRequest } from "../fetch/browser/index.js";
import { FetchError } from "../fetch/index.js";
import type { HostScheduler } from "../politeness/index.js";
import type { Spec } from "../spec/types.js";
import type { LeasedRequest } from "../store/index.js";
import type { FetchRouter } from "./fetch-router.js";
import { extractPage, itemCount, type Extracted, type ProcessorDeps } from "./page-processor.js";
import { join } from "node:path";

export interface FetchedForPage {
  page: FetchedPage;
  fetcher: "http" | "browser";
  /** Extraction already done while deciding (auto mode), to be reused. */
  extracted?: Extracted;
}

export interface PageFetchDeps {
  spec: Spec;
  jobId: number;
  http: Fetcher;
  /** Created on first use. */
  browser: () => BrowserFetcher;
  router: FetchRouter;
  sessions: SessionPool;
  sched: HostScheduler;
  deps: ProcessorDeps;
  /** Waits for the host's next turn (redirect hops, second fetches). */
  paceHop: (url: string) => Promise<void>;
}

export async function fetchForPage(req: LeasedRequest, d: PageFetchDeps): Promise<FetchedForPage> {
  const render = d.router.renderFor(req.url);
  const session = d.sessions.pick();
  if (d.router.browserFirst(req.url, render)) {
    return { page: await viaBrowser(req, d, session, render), fetcher: "browser" };
  }
  const page = await viaHttp(req, d, session);
  if (render.mode !== "auto" || page.status >= 400) return { page, fetcher: "http" };
  // Auto mode: a render may replace this extraction, so its links are not final.
  const extracted = await extractPage(page, d.deps, req.depth + 1, false);
  const probeAt = render.waitFor ? d.router.probes.indexOf(render.waitFor) : -1;
  const waitForFound = probeAt < 0 ? undefined : extracted.probes[probeAt] === true;
  const signals = { items: itemCount(extracted), applicableItems: extracted.applicableItems, waitForFound };
  if (!d.router.shouldRender(req.url, render, page, signals)) return { page, fetcher: "http", extracted };

  await d.paceHop(req.url); // the render is a second request to the host
  const rendered = await viaBrowser(req, d, session, render);
  const renderedExtract = await extractPage(rendered, d.deps, req.depth + 1, false);
  const renderedFound = probeAt < 0 ? undefined : renderedExtract.probes[probeAt] === true;
  d.router.learn(req.url, itemCount(extracted), itemCount(renderedExtract), renderedFound);
  return { page: rendered, fetcher: "browser", extracted: renderedExtract };
}

/** What both fetchers take from the spec and the session (one cookie jar, shared by both). */
function baseRequest(req: LeasedRequest, d: PageFetchDeps, session: Session) {
  const f = d.spec.fetch;
  return {
    url: req.url,
    headers: f.headers,
    userAgent: f.userAgent,
    timeoutMs: f.timeoutMs,
    maxRedirects: f.maxRedirects,
    maxBodyBytes: f.maxBodyBytes,
    cookies: session.cookies,
  };
}

async function viaHttp(req: LeasedRequest, d: PageFetchDeps, session: Session): Promise<FetchedPage> {
  return report(req, d, session, () => d.http.fetch({ ...baseRequest(req, d, session), beforeRedirect: d.paceHop }));
}

async function viaBrowser(req: LeasedRequest, d: PageFetchDeps, session: Session, render: ReturnType<FetchRouter["renderFor"]>): Promise<FetchedPage> {
  const f = d.spec.fetch;
  const request: BrowserFetchRequest = {
    ...baseRequest(req, d, session),
    session: session.id,
    waitUntil: render.waitUntil,
    actions: render.actions,
    ...(render.waitFor ? { waitFor: render.waitFor } : {}),
    ...(f.screenshots ? { screenshotPath: join(f.screenshots, `job${d.jobId}-req${req.id}.png`) } : {}),
  };
  return report(req, d, session, () => d.browser().fetch(request));
}

/** Feeds the outcome to the session pool and the host's health, and passes it on. */
async function report(req: LeasedRequest, d: PageFetchDeps, session: Session, run: () => Promise<FetchedPage>): Promise<FetchedPage> {
  const started = Date.now();
  try {
    const page = await run();
    const status = page.status;
    d.sessions.report(session, req.host, status);
    d.sched.record(req.host, status === 429 || status === 503 ? "throttled" : status >= 500 ? "failed" : "ok", page.elapsedMs, Date.now());
    return page;
  } catch (err) {
    if (err instanceof FetchError && err.action === "retry") d.sched.record(req.host, "failed", Date.now() - started, Date.now());
    throw err;
  }
}
