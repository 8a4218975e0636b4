/**
 * `flaky` mode: `/flaky/` links `/flaky/1`..`/flaky/10`. Page N answers
 * `503 Service Unavailable` (no Retry-After) to its first 1 (odd N) or 2 (even N)
 * requests, then 200 with one quote. Counts are per site instance: use a fresh site
 * per crawl you want to check.
 */
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";
import { extraQuote, modePage, modesOf, pageNumber, QUOTE_BLOCK, quoteItem, statusReply } from "./mode-pages.js";

const INDEX = "/flaky/";
export const FLAKY_PAGES = 10;
export const flakyPath = (n: number): string => `${INDEX}${n}`;
/** How many 503s page n answers before its 200. */
export const flakyFailures = (n: number): number => (n % 2 === 0 ? 2 : 1);

export function flakySection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const served = new Uint8Array(FLAKY_PAGES + 1);
  const quoteOf = (n: number) => extraQuote(model, QUOTE_BLOCK.flaky + n - 1);

  const index = (): Reply => {
    const links = [];
    for (let n = 1; n <= FLAKY_PAGES; n++) links.push({ href: flakyPath(n), label: `Flaky page ${n}` });
    return modePage(model, {
      title: "Flaky pages",
      intro: "Each page below fails with <code>503</code> once or twice before it works. Retry.",
      links,
    });
  };

  return {
    name: "flaky",
    homeLinks: [{ href: INDEX, label: "Flaky pages (503, then 200)" }],
    handle(req: PracticeRequest): Reply | undefined {
      if (!req.path.startsWith(INDEX)) return undefined;
      if (req.path === INDEX) return cache.get(INDEX, index);
      const n = pageNumber(req.path, INDEX, FLAKY_PAGES);
      if (n === 0) return undefined;
      if (served[n]! < flakyFailures(n)) {
        served[n]!++;
        return statusReply(503, "Service Unavailable", `Try again (failure ${served[n]} of ${flakyFailures(n)}).`);
      }
      return cache.get(req.path, () => modePage(model, {
        title: `Flaky page ${n}`,
        intro: `This page failed ${flakyFailures(n)} time(s) before it answered. <a href="${INDEX}">All flaky pages</a>.`,
        quotes: [quoteOf(n)],
      }));
    },
    contribute(manifest: SiteManifest): void {
      const failures: Record<string, number> = {};
      manifest.pages.push(INDEX);
      for (let n = 1; n <= FLAKY_PAGES; n++) {
        manifest.pages.push(flakyPath(n));
        manifest.items.quote.push(quoteItem(model, quoteOf(n)));
        failures[flakyPath(n)] = flakyFailures(n);
      }
      modesOf(manifest).flaky = { failures };
    },
  };
}
