/**
 * `scope.sitemaps: true`: before crawling, read the start hosts' sitemaps (from robots.txt
 * Sitemap: lines, plus /sitemap.xml) and enqueue their in-scope URLs as seeds. Sitemap
 * indexes are followed (bounded), gzipped sitemaps are unpacked. Fetches go through the
 * same politeness as pages (the caller's politeFetch).
 */
import type { FetchedPage } from "../fetch/index.js";
import { canonicalize, parseSitemap, sitemapText } from "../frontier/index.js";
import { errorMessage } from "../shared/errors.js";
import type { Logger } from "../shared/log.js";

export interface SeederDeps {
  starts: string[];
  /** Sitemap URLs listed by the robots.txt of an origin. */
  robotsSitemaps(origin: string): Promise<string[]>;
  politeFetch(url: string): Promise<FetchedPage>;
  inScope(canonicalUrl: string): boolean;
  /** Enqueue canonical URLs; returns how many were new. */
  enqueue(urls: string[]): number;
  log: Logger;
}

const MAX_SITEMAPS = 1000;
const MAX_INDEX_DEPTH = 3;

export async function seedFromSitemaps(d: SeederDeps): Promise<{ sitemaps: number; urls: number }> {
  const origins = [...new Set(d.starts.map((u) => new URL(u).origin))];
  const queue: { url: string; depth: number }[] = [];
  const seen = new Set<string>();
  const push = (url: string, depth: number) => {
    const c = canonicalize(url);
    if (c && !seen.has(c) && seen.size < MAX_SITEMAPS) {
      seen.add(c);
      queue.push({ url: c, depth });
    }
  };
  for (const origin of origins) {
    try {
      for (const s of await d.robotsSitemaps(origin)) push(s, 0);
    } catch (err) {
      d.log.warn("sitemaps.robots", { origin, error: errorMessage(err) });
    }
    push(origin + "/sitemap.xml", 0);
  }
  let fetched = 0;
  let added = 0;
  while (queue.length > 0) {
    const { url, depth } = queue.shift()!;
    let page: FetchedPage;
    try {
      page = await d.politeFetch(url);
    } catch (err) {
      d.log.warn("sitemaps.fetch", { url, error: errorMessage(err) });
      continue;
    }
    if (page.status !== 200 || !page.body) continue;
    fetched++;
    let doc;
    try {
      doc = parseSitemap(sitemapText(page.body));
    } catch (err) {
      d.log.warn("sitemaps.parse", { url, error: errorMessage(err) });
      continue;
    }
    if (doc.kind === "index") {
      if (depth < MAX_INDEX_DEPTH) for (const loc of doc.locs) push(loc, depth + 1);
      continue;
    }
    const urls = doc.locs.map((l) => canonicalize(l, page.finalUrl)).filter((u): u is string => u !== null && d.inScope(u));
    added += d.enqueue(urls);
  }
  d.log.info("sitemaps.seeded", { sitemaps: fetched, urls: added });
  return { sitemaps: fetched, urls: added };
}
