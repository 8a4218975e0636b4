/**
 * One launched Chromium: its browser contexts (one per session id), the pool of reusable
 * pages in each, and its life cycle (live -> retiring -> dead). A crash is a "dead" reached
 * without close(); the fetcher then launches a new instance.
 */
import { randomBytes } from "node:crypto";
import { access, constants, rm } from "node:fs/promises";
import type { Browser, BrowserContext, CDPSession, Page, Request as PwRequest, Route } from "playwright-core";
import { BrowserErrorCode, BrowserFetchError } from "./browser-errors.js";
import { argValue, findChildByArg, treeRssBytes } from "./process-tree.js";

// Required on this machine's Debian Chromium (sandbox-less container, no GPU, no QUIC).
const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const LAUNCH_TIMEOUT_MS = 30_000;
/** Navigating a returned page to about:blank stops its scripts and timers before reuse. */
const BLANK_TIMEOUT_MS = 5_000;
const MEMORY_CHECK_INTERVAL_MS = 1_000;
/**
 * page.close() can wait forever when it races a navigation commit (crbug.com/536385539,
 * microsoft/playwright#42068): past this, the page is written off and the browser retired.
 */
const PAGE_CLOSE_TIMEOUT_MS = 3_000;
/** browser.close() waits for Chromium to exit; past this the process group is killed. */
const BROWSER_CLOSE_TIMEOUT_MS = 10_000;
const noop = (): void => {};

export interface InstanceConfig {
  executablePath: string;
  maxPages: number;
  blockResources: ReadonlySet<string>;
}

export interface SessionContext {
  readonly id: string;
  readonly context: BrowserContext;
  readonly userAgent: string;
  readonly idle: PooledPage[];
}

export interface PooledPage {
  readonly page: Page;
  readonly session: SessionContext;
  /** User agent and extra headers (serialized) last applied to the page. */
  userAgent: string;
  headersKey: string;
  /** Opened on the first user-agent override. */
  cdp: CDPSession | null;
  /** Latest main-frame navigation request: the final response after redirects, submits, JS redirects. */
  lastNav: PwRequest | null;
  /** Closed or crashed: never pooled again. */
  broken: boolean;
  /** Counted out of pagesOpen. */
  discarded: boolean;
  /** The trip to about:blank after the last fetch, while pooled. */
  blanking: Promise<void> | null;
  /** The one close of this page (see BrowserInstance.closePage). */
  closing: Promise<void> | null;
}

let launchSeq = 0;

/** True if `p` settled (either way) within `ms`. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([p.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

export class BrowserInstance {
  state: "live" | "retiring" | "dead" = "live";
  /** The browser went away without close(): fetches on it fail with GLEANER_ERR_BROWSER_CRASHED. */
  crashed = false;
  navigations = 0;
  pagesOpen = 0;
  /** Pages handed out and not yet back. */
  private leased = 0;
  private readonly sessions = new Map<string, Promise<SessionContext>>();
  /** The same sessions once created (synchronous access for eviction). */
  private readonly ready = new Map<string, SessionContext>();
  private closing: Promise<void> | null = null;
  private finished = false;
  private resolveClosed!: () => void;
  /** Resolves once the browser is gone and its profile directory removed. */
  readonly closed = new Promise<void>((resolve) => { this.resolveClosed = resolve; });
  private lastMemoryCheck = Number.NEGATIVE_INFINITY;
  private checkingMemory = false;

  private constructor(readonly browser: Browser, readonly pid: number | null,
                      readonly profileDir: string | null, private readonly cfg: InstanceConfig) {
    browser.on("disconnected", () => {
      if (!this.closing) this.crashed = true;
      this.finish();
    });
  }

  static async launch(cfg: InstanceConfig): Promise<BrowserInstance> {
    try {
      await access(cfg.executablePath, constants.X_OK);
    } catch (err) {
      throw new BrowserFetchError(BrowserErrorCode.MISSING,
        `Chromium not found at ${cfg.executablePath}: run scripts/ensure-chromium.sh (installs Debian's chromium)`,
        { cause: err, context: { executablePath: cfg.executablePath } });
    }
    // Loaded on first use: the HTTP-only path never pays for Playwright's bundle.
    const { chromium } = await import("playwright-core");
    // Playwright owns --user-data-dir (a fresh temp profile per launch, removed when the process
    // exits); this marker lets us find the process in /proc for its pid and memory.
    const marker = `--gleaner-browser=${process.pid}-${++launchSeq}-${randomBytes(4).toString("hex")}`;
    let browser: Browser;
    try {
      browser = await chromium.launch({
        executablePath: cfg.executablePath,
        args: [...LAUNCH_ARGS, marker],
        handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, // the engine owns signals
        timeout: LAUNCH_TIMEOUT_MS,
      });
    } catch (err) {
      throw new BrowserFetchError(BrowserErrorCode.LAUNCH,
        `Chromium (${cfg.executablePath}) failed to start: ${err instanceof Error ? err.message.split("\n", 1)[0] : String(err)}`,
        { cause: err, context: { executablePath: cfg.executablePath } });
    }
    const found = await findChildByArg(marker);
    return new BrowserInstance(browser, found?.pid ?? null, found ? argValue(found.args, "--user-data-dir") : null, cfg);
  }

  /** A page of the session's context, from the pool or new; the caller holds a semaphore permit. */
  async lease(sessionId: string, userAgent: string): Promise<PooledPage> {
    this.leased++;
    try {
      const session = await this.session(sessionId, userAgent);
      for (let pooled = session.idle.pop(); pooled; pooled = session.idle.pop()) {
        if (pooled.blanking) await pooled.blanking;
        if (!pooled.broken) return pooled;
      }
      // Permits bound pages in use; idle pages of other sessions make room for this one.
      if (this.pagesOpen >= this.cfg.maxPages) await this.evictIdle();
      return await this.openPage(session);
    } catch (err) {
      this.leased--;
      this.closeIfDrained();
      throw err;
    }
  }

  /**
   * Returns a page after a fetch: back to its pool when healthy, else closed. The pooled page
   * goes to about:blank in the background (stops its scripts and timers); the next lease waits
   * for that, so a sequential crawl keeps reusing one page.
   */
  release(pp: PooledPage): void {
    this.leased--;
    if (!pp.broken && this.state === "live") {
      pp.lastNav = null;
      pp.blanking = pp.page.goto("about:blank", { timeout: BLANK_TIMEOUT_MS })
        .then(() => { pp.blanking = null; }, () => this.discard(pp));
      pp.session.idle.push(pp);
    } else {
      this.discard(pp);
    }
    this.closeIfDrained();
  }

  /** Counts a navigation; retires the browser past `recycleAfter` or the memory ceiling. */
  noteNavigation(recycleAfter: number, memoryCeilingBytes: number): void {
    this.navigations++;
    if (this.navigations >= recycleAfter) {
      this.retire();
      return;
    }
    const now = performance.now();
    if (this.pid === null || this.checkingMemory || now - this.lastMemoryCheck < MEMORY_CHECK_INTERVAL_MS) return;
    this.lastMemoryCheck = now;
    this.checkingMemory = true;
    treeRssBytes(this.pid).then((rss) => {
      if (rss > memoryCeilingBytes) this.retire();
    }, noop).finally(() => { this.checkingMemory = false; });
  }

  /** No new fetches; the browser closes once the pages in use come back. */
  retire(): void {
    if (this.state !== "live") return;
    this.state = "retiring";
    this.closeIfDrained();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.state = "dead";
      if (!await settlesWithin(this.browser.close(), BROWSER_CLOSE_TIMEOUT_MS) && this.pid !== null) {
        try {
          process.kill(-this.pid, "SIGKILL"); // Playwright spawns Chromium as a process group leader
        } catch {
          // already gone
        }
      }
      this.finish(); // in case "disconnected" was already emitted before we closed
      await this.closed;
    })();
    return this.closing;
  }

  /**
   * Closes a page once, whoever asks first (deadline, release, eviction, close event). Waits
   * for a pending about:blank first: closing mid-commit is what can hang. A close that does
   * not finish in time retires the browser, which takes the stray page with it.
   */
  closePage(pp: PooledPage): Promise<void> {
    pp.broken = true;
    pp.closing ??= (async () => {
      if (pp.blanking) await pp.blanking;
      if (!await settlesWithin(pp.page.close(), PAGE_CLOSE_TIMEOUT_MS)) this.retire();
    })();
    return pp.closing;
  }

  private closeIfDrained(): void {
    if (this.state === "retiring" && this.leased === 0) void this.close();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.state = "dead";
    this.pagesOpen = 0;
    // Playwright removes its temp profile when the process exits; this covers a crash racing that cleanup.
    const dir = this.profileDir;
    (dir ? rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(noop) : Promise.resolve())
      .then(() => this.resolveClosed());
  }

  private session(id: string, userAgent: string): Promise<SessionContext> {
    let s = this.sessions.get(id);
    if (!s) {
      s = this.newSession(id, userAgent);
      this.sessions.set(id, s);
      s.catch(() => this.sessions.delete(id));
    }
    return s;
  }

  private async newSession(id: string, userAgent: string): Promise<SessionContext> {
    const context = await this.browser.newContext({
      userAgent,
      acceptDownloads: false,
      serviceWorkers: "block", // a service worker would answer requests behind our routes
    });
    const blocked = this.cfg.blockResources;
    if (blocked.size > 0) {
      await context.route("**/*", (route: Route) => {
        const done = blocked.has(route.request().resourceType()) ? route.abort("blockedbyclient") : route.continue();
        done.catch(noop); // the page may be gone by then
      });
    }
    // Popups would hold pages outside the pool and the page bound.
    context.on("page", (p: Page) => {
      p.opener().then((opener) => { if (opener) return p.close(); }).catch(noop);
    });
    const session: SessionContext = { id, context, userAgent, idle: [] };
    this.ready.set(id, session);
    return session;
  }

  private async openPage(session: SessionContext): Promise<PooledPage> {
    this.pagesOpen++;
    let page: Page;
    try {
      page = await session.context.newPage();
    } catch (err) {
      this.pagesOpen--;
      throw err;
    }
    const pp: PooledPage = {
      page, session, userAgent: session.userAgent, headersKey: "{}", cdp: null, lastNav: null,
      broken: false, discarded: false, blanking: null, closing: null,
    };
    const main = page.mainFrame();
    page.on("request", (r: PwRequest) => {
      if (r.isNavigationRequest() && r.frame() === main) pp.lastNav = r;
    });
    page.on("dialog", (d) => { d.dismiss().catch(noop); }); // alert/confirm/prompt would block the page
    page.on("crash", () => { pp.broken = true; });
    page.on("close", () => this.discard(pp));
    return pp;
  }

  /** Closes a page for good (counted once, whoever notices first: us, a crash, a timeout). */
  private discard(pp: PooledPage): void {
    pp.broken = true;
    if (pp.discarded) return;
    pp.discarded = true;
    if (!this.finished) this.pagesOpen--;
    if (this.state !== "dead") void this.closePage(pp);
  }

  /** Closes one idle page of another session (one exists: see lease()). */
  private async evictIdle(): Promise<void> {
    for (const session of this.ready.values()) {
      for (let victim = session.idle.pop(); victim; victim = session.idle.pop()) {
        if (victim.discarded) continue; // already counted out (failed about:blank, crash)
        this.discard(victim);
        await this.closePage(victim);
        return;
      }
    }
  }
}
