/**
 * Runs a request's page actions in order (click / scroll / fill / submit / wait / waitFor).
 * Every step is bounded by the fetch's deadline. Selectors are CSS.
 */
import type { Page } from "playwright-core";
import type { BrowserAction } from "./types.js";
import type { StepDeadline } from "./step-deadline.js";

type WaitUntil = "load" | "domcontentloaded" | "networkidle";

/** Pause after a repeated click or a scroll when the action names none: lets the page react. */
const DEFAULT_SETTLE_MS = 250;
/** Safety stop for "until-gone" on a button that never goes away (the deadline also applies). */
const MAX_REPEAT = 1000;
const SUBMIT_CONTROLS = "button:not([type]), button[type=submit], input[type=submit], input[type=image]";

// Minimal DOM shapes for the functions below, which run in the page (serialized by Playwright).
interface El { tagName: string; disabled?: boolean; getAttribute(n: string): string | null; getClientRects(): { length: number }; requestSubmit?(): void }
interface PageGlobals {
  document: { querySelector(s: string): El | null; scrollingElement: { scrollHeight: number } | null; body: { scrollHeight: number } };
  getComputedStyle(el: El): { visibility: string };
  scrollTo(x: number, y: number): void;
  scrollY: number;
  innerHeight: number;
  requestAnimationFrame(cb: () => void): void;
  setTimeout(cb: () => void, ms: number): unknown;
}

/** "gone" (absent or hidden), "ready" (visible and enabled), or false (disabled: keep waiting). */
function clickState(sel: string): "gone" | "ready" | false {
  const g = globalThis as unknown as PageGlobals;
  const el = g.document.querySelector(sel);
  if (!el || el.getClientRects().length === 0 || g.getComputedStyle(el).visibility === "hidden") return "gone";
  if (el.disabled === true || el.getAttribute("aria-disabled") === "true") return false;
  return "ready";
}

/**
 * Scrolls to the bottom and resolves a little later, so scroll handlers have run. When the
 * page is already at the bottom (a load was still running at the last scroll), a plain
 * scrollTo fires no scroll event and an infinite list would wait forever: step back up a
 * screen first, one frame earlier, so the move to the bottom is a real scroll.
 */
function scrollToBottom(): Promise<void> {
  const g = globalThis as unknown as PageGlobals;
  const root = g.document.scrollingElement ?? g.document.body;
  // Timers, not requestAnimationFrame: a page that is not the front tab may get no frames at all.
  const frame = () => new Promise<void>((resolve) => g.setTimeout(resolve, 50));
  return (async () => {
    if (g.scrollY + g.innerHeight >= root.scrollHeight - 2) {
      g.scrollTo(0, Math.max(0, root.scrollHeight - 2 * g.innerHeight));
      await frame();
    }
    g.scrollTo(0, root.scrollHeight);
    await frame();
    await frame();
  })();
}

function describe(a: BrowserAction): string {
  if ("click" in a) return `click ${a.click}`;
  if ("scroll" in a) return `scroll ${a.scroll} x${a.times}`;
  if ("fill" in a) return `fill ${a.fill}`;
  if ("submit" in a) return `submit ${a.submit}`;
  if ("wait" in a) return `wait ${a.wait} ms`;
  return `waitFor ${a.waitFor}`;
}

export async function runActions(page: Page, actions: readonly BrowserAction[], dl: StepDeadline, waitUntil: WaitUntil): Promise<void> {
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    const step = `action ${i + 1} (${describe(a)})`;
    if ("click" in a) await click(page, a, step, dl, waitUntil);
    else if ("scroll" in a) {
      for (let n = 0; n < a.times; n++) {
        await dl.run(step, () => page.evaluate(scrollToBottom));
        await dl.sleep(a.waitMs ?? DEFAULT_SETTLE_MS);
      }
    } else if ("fill" in a) {
      await dl.run(step, () => page.locator(a.fill).first().fill(a.value, { timeout: dl.remaining() }));
    } else if ("submit" in a) await submit(page, a.submit, step, dl, waitUntil);
    else if ("wait" in a) {
      dl.step = step;
      await dl.sleep(a.wait);
    } else {
      await dl.run(step, () => page.locator(a.waitFor).first().waitFor({ state: "attached", timeout: dl.remaining() }));
    }
  }
}

/** A click that navigates is waited for (Playwright waits for the commit, we for the load state). */
async function clickOnce(page: Page, selector: string, step: string, dl: StepDeadline, waitUntil: WaitUntil): Promise<void> {
  await dl.run(step, async () => {
    await page.locator(selector).first().click({ timeout: dl.remaining() });
    await page.waitForLoadState(waitUntil, { timeout: dl.remaining() });
  });
}

async function click(page: Page, a: { click: string; repeat?: "until-gone" | number; waitMs?: number },
                     step: string, dl: StepDeadline, waitUntil: WaitUntil): Promise<void> {
  const repeat = a.repeat ?? 1;
  if (repeat !== "until-gone") {
    for (let n = 0; n < repeat; n++) {
      if (n > 0 && await dl.run(step, () => page.evaluate(clickState, a.click)) === "gone") break;
      await clickOnce(page, a.click, step, dl, waitUntil);
      if (a.waitMs !== undefined || repeat > 1) await dl.sleep(a.waitMs ?? DEFAULT_SETTLE_MS);
    }
    return;
  }
  for (let n = 0; n < MAX_REPEAT; n++) {
    // Wait while the button is disabled (loading), stop when it is gone or hidden.
    const handle = await dl.run(step, () => page.waitForFunction(clickState, a.click, { timeout: dl.remaining() }));
    const state = await handle.jsonValue();
    handle.dispose().catch(() => {});
    if (state === "gone") return;
    await clickOnce(page, a.click, step, dl, waitUntil);
    await dl.sleep(a.waitMs ?? DEFAULT_SETTLE_MS);
  }
}

/** Submits through the form's submit control (as a user would), else requestSubmit(). */
async function submit(page: Page, selector: string, step: string, dl: StepDeadline, waitUntil: WaitUntil): Promise<void> {
  const target = page.locator(selector).first();
  const isForm = await dl.run(step, () => target.evaluate((el: El) => el.tagName === "FORM", undefined, { timeout: dl.remaining() }));
  if (!isForm) return clickOnce(page, selector, step, dl, waitUntil);
  const control = target.locator(SUBMIT_CONTROLS).first();
  if (await dl.run(step, () => control.count()) > 0) {
    await dl.run(step, async () => {
      await control.click({ timeout: dl.remaining() });
      await page.waitForLoadState(waitUntil, { timeout: dl.remaining() });
    });
    return;
  }
  await dl.run(step, async () => {
    const navigated = page.waitForEvent("framenavigated", { predicate: (f) => f === page.mainFrame(), timeout: dl.remaining() });
    navigated.catch(() => {}); // observed below unless the submit itself fails
    await target.evaluate((el: El) => el.requestSubmit!());
    await navigated;
    await page.waitForLoadState(waitUntil, { timeout: dl.remaining() });
  });
}
