/**
 * Browser fetcher: the Fetcher interface over one headless Chromium (playwright-core, the
 * system's /usr/bin/chromium). Pages are bounded by a semaphore and pooled per session;
 * the browser is launched lazily, recycled after N navigations or above a memory ceiling,
 * and relaunched after a crash (in-flight fetches fail with GLEANER_ERR_BROWSER_CRASHED).
 */
import { FetchError, FetchErrorCode } from "../errors.js";
import { BrowserErrorCode, BrowserFetchError, classifyBrowserError } from "./browser-errors.js";
import { BrowserInstance, type InstanceConfig, type PooledPage } from "./browser-instance.js";
import { renderPage } from "./render-page.js";
import { Semaphore } from "./semaphore.js";
import { StepDeadline } from "./step-deadline.js";
import type { BlockableResource, BrowserFetcher, BrowserFetcherOptions, BrowserFetchRequest, BrowserFetchedPage } from "./types.js";

export const DEFAULT_CHROMIUM = "/usr/bin/chromium";
const DEFAULT_BLOCKED: BlockableResource[] = ["image", "font", "media"];
/** Playwright's messages when the page, context or browser went away under a call. */
const TARGET_CLOSED = /has been closed|Target closed|Browser closed/i;
const noop = (): void => {};

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`BrowserFetcherOptions.${name} must be a positive integer, got ${value}`);
  return value;
}

function checkUrl(input: string): void {
  let url: URL;
  try {
    url = new URL(input);
  } catch (err) {
    throw new FetchError(FetchErrorCode.BAD_URL, `URL "${input}" is not a valid URL`, { cause: err, context: { url: input } });
  }
  // A browser would also open file:, data: or javascript: URLs: never from a crawl.
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new FetchError(FetchErrorCode.BAD_URL, `URL "${input}" uses unsupported scheme ${url.protocol} (only http and https)`,
      { context: { url: input } });
  }
}

export function createBrowserFetcher(opts: BrowserFetcherOptions = {}): BrowserFetcher {
  const cfg: InstanceConfig = {
    executablePath: opts.executablePath ?? DEFAULT_CHROMIUM,
    maxPages: positiveInt(opts.maxPages, 4, "maxPages"),
    blockResources: new Set(opts.blockResources ?? DEFAULT_BLOCKED),
  };
  const recycleAfter = positiveInt(opts.recycleAfter, 500, "recycleAfter");
  const memoryCeilingBytes = positiveInt(opts.memoryCeilingMB, 1500, "memoryCeilingMB") * 1024 * 1024;
  const permits = new Semaphore(cfg.maxPages);
  /** Browsers not yet gone: the current one and any retiring one still draining. */
  const instances = new Set<BrowserInstance>();
  let current: BrowserInstance | null = null;
  let launching: Promise<BrowserInstance> | null = null;
  let launches = 0;
  let navigations = 0;
  let closing: Promise<void> | null = null;

  const closedError = (url: string): FetchError => new FetchError(FetchErrorCode.ABORTED,
    `browser GET ${url} aborted: the browser fetcher was closed`, { context: { url } });

  async function launchNext(): Promise<BrowserInstance> {
    // A retiring or crashed browser is fully gone before the next starts (memory ceiling, profile dirs).
    if (current) await current.closed;
    if (closing) throw closedError("(launch)");
    const inst = await BrowserInstance.launch(cfg);
    if (closing) {
      await inst.close();
      throw closedError("(launch)");
    }
    launches++;
    instances.add(inst);
    void inst.closed.then(() => instances.delete(inst));
    current = inst;
    return inst;
  }

  function instance(): Promise<BrowserInstance> {
    if (current && current.state === "live") return Promise.resolve(current);
    if (!launching) {
      const p = launchNext();
      launching = p;
      p.then(() => { launching = null; }, () => { launching = null; });
    }
    return launching;
  }

  /** Names the real reason a fetch failed: deadline, our close(), a crash, else what Playwright said. */
  function explain(err: unknown, req: BrowserFetchRequest, inst: BrowserInstance | null, dl: StepDeadline | null): FetchError {
    if (dl?.reason) return dl.reason;
    if (err instanceof FetchError) return err;
    if (closing) return closedError(req.url);
    const step = dl?.step ?? "opening a page";
    const message = err instanceof Error ? err.message : String(err);
    if (inst && (inst.crashed || !inst.browser.isConnected() || TARGET_CLOSED.test(message))) {
      const what = inst.crashed || !inst.browser.isConnected() ? "the browser process died" : "its page or context was closed";
      return new BrowserFetchError(BrowserErrorCode.CRASHED, `browser GET ${req.url} failed during ${step}: ${what}`,
        { cause: err, context: { url: req.url, step, browserPid: inst.pid } });
    }
    return classifyBrowserError(err, req.url, step, req.timeoutMs);
  }

  async function fetch(req: BrowserFetchRequest): Promise<BrowserFetchedPage> {
    if (closing) throw closedError(req.url);
    checkUrl(req.url);
    await permits.acquire(req.signal, () => new FetchError(FetchErrorCode.ABORTED,
      `browser GET ${req.url} aborted by the caller while waiting for a page`, { cause: req.signal?.reason, context: { url: req.url } }))
      .catch((err: unknown) => { throw closing ? closedError(req.url) : err; });
    let inst: BrowserInstance | null = null;
    let pp: PooledPage | null = null;
    let dl: StepDeadline | null = null;
    try {
      inst = await instance();
      const leased = await inst.lease(req.session ?? "default", req.userAgent);
      pp = leased;
      // On timeout or abort the page is closed: whatever Playwright call is pending rejects at once.
      const owner = inst;
      dl = new StepDeadline(req.url, req.timeoutMs, req.signal, () => void owner.closePage(leased));
      navigations++;
      inst.noteNavigation(recycleAfter, memoryCeilingBytes);
      opts.onNavigation?.(req.url);
      return await renderPage(leased, req, dl);
    } catch (err) {
      throw explain(err, req, inst, dl);
    } finally {
      dl?.dispose();
      if (inst && pp) inst.release(pp);
      permits.release();
    }
  }

  return {
    fetch,
    stats() {
      let pagesOpen = 0;
      for (const i of instances) pagesOpen += i.pagesOpen;
      return {
        navigations,
        restarts: Math.max(0, launches - 1),
        pagesOpen,
        browserPid: current && current.state !== "dead" ? current.pid : null,
      };
    },
    close() {
      closing ??= (async () => {
        permits.rejectAll(closedError("(queued)")); // renamed per request in fetch()
        await launching?.catch(noop);
        await Promise.all([...instances].map((i) => i.close()));
      })();
      return closing;
    },
  };
}
