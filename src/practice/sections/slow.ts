/**
 * `slow` mode: `/slow/` (fast) links `/slow/1`..`/slow/5`, which answer 200 with one
 * quote only after `slowMs` (default 2 s) from when the request arrived. The server
 * holds the reply on a timer it clears on close.
 */
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";
import { extraQuote, modePage, modesOf, pageNumber, QUOTE_BLOCK, quoteItem } from "./mode-pages.js";

const INDEX = "/slow/";
export const SLOW_PAGES = 5;
export const slowPath = (n: number): string => `${INDEX}${n}`;

export function slowSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const delayMs = ctx.modes.slowMs;
  const quoteOf = (n: number) => extraQuote(model, QUOTE_BLOCK.slow + n - 1);

  return {
    name: "slow",
    homeLinks: [{ href: INDEX, label: `Slow pages (${delayMs} ms each)` }],
    handle(req: PracticeRequest): Reply | undefined {
      if (!req.path.startsWith(INDEX)) return undefined;
      if (req.path === INDEX) {
        return cache.get(INDEX, () => modePage(model, {
          title: "Slow pages",
          intro: `Each page below takes ${delayMs} ms to answer.`,
          links: Array.from({ length: SLOW_PAGES }, (_, i) => ({ href: slowPath(i + 1), label: `Slow page ${i + 1}` })),
        }));
      }
      const n = pageNumber(req.path, INDEX, SLOW_PAGES);
      if (n === 0) return undefined;
      return cache.get(req.path, () => {
        const reply = modePage(model, {
          title: `Slow page ${n}`,
          intro: `This page took ${delayMs} ms. <a href="${INDEX}">All slow pages</a>.`,
          quotes: [quoteOf(n)],
        });
        reply.delayMs = delayMs;
        return reply;
      });
    },
    contribute(manifest: SiteManifest): void {
      const paths: string[] = [];
      manifest.pages.push(INDEX);
      for (let n = 1; n <= SLOW_PAGES; n++) {
        paths.push(slowPath(n));
        manifest.items.quote.push(quoteItem(model, quoteOf(n)));
      }
      manifest.pages.push(...paths);
      modesOf(manifest).slow = { delayMs, paths };
    },
  };
}
