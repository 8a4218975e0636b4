/**
 * `useragent` mode: `/ua/` and `/ua/1`..`/ua/5` answer 403 to user agents matching
 * `BLOCKED_AGENTS` (python-requests, curl, an empty or missing User-Agent, BadBot;
 * case-insensitive), and 200 with one quote per page to everyone else.
 */
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";
import { extraQuote, modePage, modesOf, pageNumber, QUOTE_BLOCK, quoteItem, statusReply } from "./mode-pages.js";

const INDEX = "/ua/";
export const UA_PAGES = 5;
export const uaPath = (n: number): string => `${INDEX}${n}`;
export const BLOCKED_AGENTS = /python-requests|curl|^$|BadBot/i;

export function userAgentSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const quoteOf = (n: number) => extraQuote(model, QUOTE_BLOCK.useragent + n - 1);

  const render = (n: number): Reply => n === 0
    ? modePage(model, {
      title: "User-agent checks",
      intro: "These pages turn away clients that look like scripts (python-requests, curl, no User-Agent, BadBot).",
      links: Array.from({ length: UA_PAGES }, (_, i) => ({ href: uaPath(i + 1), label: `Page ${i + 1}` })),
    })
    : modePage(model, {
      title: `User-agent page ${n}`,
      intro: `Your user agent passed. <a href="${INDEX}">All user-agent pages</a>.`,
      quotes: [quoteOf(n)],
    });

  return {
    name: "useragent",
    homeLinks: [{ href: INDEX, label: "User-agent checks (403 for scripts)" }],
    handle(req: PracticeRequest): Reply | undefined {
      if (!req.path.startsWith(INDEX)) return undefined;
      const n = req.path === INDEX ? 0 : pageNumber(req.path, INDEX, UA_PAGES);
      if (n === 0 && req.path !== INDEX) return undefined;
      const agent = req.headers["user-agent"] ?? "";
      if (BLOCKED_AGENTS.test(agent)) return statusReply(403, "Forbidden", "Automated clients are not welcome here.");
      return cache.get(req.path, () => render(n));
    },
    contribute(manifest: SiteManifest): void {
      const paths = [INDEX];
      for (let n = 1; n <= UA_PAGES; n++) {
        paths.push(uaPath(n));
        manifest.items.quote.push(quoteItem(model, quoteOf(n)));
      }
      manifest.pages.push(...paths);
      modesOf(manifest).useragent = { blocked: BLOCKED_AGENTS.source, paths };
    },
  };
}
