/**
 * `/robots.txt` (allow everything, point at the sitemap; real rules in `robots` mode, see
 * robots-mode.ts) and `/sitemap.xml` (the quote listing pages). Neither is linked from
 * pages, so neither is in the manifest.
 */
import { bytesReply } from "../reply.js";
import type { PracticeRequest, Reply, Section } from "../types.js";
import type { SectionContext } from "./context.js";
import { quotePath } from "./quotes.js";
import { robotsModeRules } from "./robots-mode.js";

/** Sitemaps hold at most 50,000 URLs. */
const SITEMAP_MAX = 50_000;

export function robotsSection(ctx: SectionContext): Section {
  const { model, cache, origin } = ctx;
  const rules = ctx.modes.enabled.has("robots") ? robotsModeRules(ctx.modes.crawlDelay) : "User-agent: *\nAllow: /\n";
  const robots = (): Reply =>
    bytesReply(Buffer.from(`${rules}\nSitemap: ${origin}/sitemap.xml\n`), "text/plain; charset=utf-8", true);
  const sitemap = (): Reply => {
    const urls: string[] = [];
    for (let n = 1; n <= Math.min(model.quotePages, SITEMAP_MAX); n++) urls.push(`  <url><loc>${origin}${quotePath(n)}</loc></url>`);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`;
    return bytesReply(Buffer.from(xml), "application/xml; charset=utf-8", true);
  };
  return {
    name: "robots",
    homeLinks: [],
    handle(req: PracticeRequest): Reply | undefined {
      if (req.path === "/robots.txt") return cache.get("/robots.txt", robots);
      if (req.path === "/sitemap.xml") return cache.get("/sitemap.xml", sitemap);
      return undefined;
    },
    contribute(): void {},
    warmPaths: () => ["/robots.txt", "/sitemap.xml"],
  };
}
