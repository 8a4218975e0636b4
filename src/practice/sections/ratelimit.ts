/**
 * `ratelimit` mode: `/limited/` and `/limited/N` (N = 1..pages). Each `/limited/N`
 * answers 429 to its first request. Site-wide, a request arriving when more than
 * `perSecond` arrived within the last second (it included) gets a 429 too, whatever its
 * path (robots.txt excepted). Retry-After is delta-seconds, except on every third page
 * (N divisible by 3), where it is an HTTP-date. Each 429 reply carries its deadline to
 * the request log (`retryUntil`), so tests can check nothing arrived before it.
 */
import { performance } from "node:perf_hooks";
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";
import { epochNow, extraQuote, modePage, modesOf, pageNumber, QUOTE_BLOCK, quoteItem, statusReply } from "./mode-pages.js";

const INDEX = "/limited/";
export const limitedPath = (n: number): string => `${INDEX}${n}`;
/** Pages whose Retry-After is an HTTP-date. */
export const usesHttpDate = (n: number): boolean => n % 3 === 0;

/** Arrival times within the last second: a queue over one array, compacted now and then. */
class ArrivalWindow {
  private readonly times: number[] = [];
  private head = 0;

  /** Records an arrival at `now` (ms, monotonic); returns arrivals in (now - 1000, now]. */
  add(now: number): number {
    const times = this.times;
    times.push(now);
    while (times[this.head]! <= now - 1000) this.head++;
    if (this.head > 4096 && this.head * 2 > times.length) {
      times.splice(0, this.head);
      this.head = 0;
    }
    return times.length - this.head;
  }
}

export function rateLimitSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const { pages, perSecond, retryAfter } = ctx.modes.rateLimit;
  /** 1 once page N has answered a 429 (whichever rule sent it). */
  const limited = new Uint8Array(pages + 1);
  const window = new ArrivalWindow();
  const quoteOf = (n: number) => extraQuote(model, QUOTE_BLOCK.ratelimit + n - 1);

  /** A 429 for page n (0: any other path). */
  const tooMany = (n: number, why: string): Reply => {
    const now = epochNow();
    let until: number;
    let header: string;
    if (n > 0 && usesHttpDate(n)) {
      // HTTP-dates have whole seconds: round up so the wait is never shorter than asked.
      until = Math.ceil((now + retryAfter * 1000) / 1000) * 1000;
      header = new Date(until).toUTCString();
    } else {
      until = now + retryAfter * 1000;
      header = String(retryAfter);
    }
    if (n > 0) limited[n] = 1;
    const reply = statusReply(429, "Too Many Requests", why, { "retry-after": header });
    reply.retryUntil = until;
    return reply;
  };

  const index = (): Reply => {
    const links = [];
    for (let n = 1; n <= pages; n++) links.push({ href: limitedPath(n), label: `Limited page ${n}` });
    return modePage(model, {
      title: "Rate-limited pages",
      intro: `Each page below answers <code>429 Too Many Requests</code> with a <code>Retry-After</code> the first time it is asked for.${
        perSecond > 0 ? `\nMore than ${perSecond} requests a second to this site get a 429 too.` : ""}`,
      links,
    });
  };

  return {
    name: "ratelimit",
    homeLinks: [{ href: INDEX, label: "Rate-limited pages (429 + Retry-After)" }],
    gate(req: PracticeRequest): Reply | undefined {
      if (perSecond === 0 || req.path === "/robots.txt") return undefined;
      if (window.add(performance.now()) <= perSecond) return undefined;
      return tooMany(pageNumber(req.path, INDEX, pages), `More than ${perSecond} requests in the last second.`);
    },
    handle(req: PracticeRequest): Reply | undefined {
      if (!req.path.startsWith(INDEX)) return undefined;
      if (req.path === INDEX) return cache.get(INDEX, index);
      const n = pageNumber(req.path, INDEX, pages);
      if (n === 0) return undefined;
      if (limited[n] === 0) return tooMany(n, "First request to this page: come back after Retry-After.");
      return cache.get(req.path, () => modePage(model, {
        title: `Rate-limited page ${n}`,
        intro: `You waited as asked. <a href="${INDEX}">All rate-limited pages</a>.`,
        quotes: [quoteOf(n)],
      }));
    },
    contribute(manifest: SiteManifest): void {
      const paths: string[] = [];
      const httpDate: string[] = [];
      manifest.pages.push(INDEX);
      for (let n = 1; n <= pages; n++) {
        paths.push(limitedPath(n));
        if (usesHttpDate(n)) httpDate.push(limitedPath(n));
        manifest.items.quote.push(quoteItem(model, quoteOf(n)));
      }
      manifest.pages.push(...paths);
      modesOf(manifest).ratelimit = { perSecond, retryAfter, paths, httpDate };
    },
  };
}
