/**
 * Sitemaps (sitemaps.org): <urlset> pages and <sitemapindex> children, plain or gzipped.
 * Parsing is a tolerant scan for <loc> elements; the caller decides scope and fetching.
 */
import { gunzipSync } from "node:zlib";

export interface SitemapDoc {
  kind: "urlset" | "index";
  locs: string[];
}

/** Per sitemaps.org a file holds at most 50,000 URLs and 50 MB; we read no more than that. */
export const MAX_LOCS_PER_SITEMAP = 50_000;
const MAX_UNZIPPED = 50 * 1024 * 1024;

const LOC = /<(?:[A-Za-z0-9_-]+:)?loc>\s*(?:<!\[CDATA\[)?\s*([^<\]]+?)\s*(?:\]\]>)?\s*<\/(?:[A-Za-z0-9_-]+:)?loc>/g;
const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'" };

/** The text of a sitemap body: gunzipped when it starts with the gzip magic bytes. */
export function sitemapText(body: Buffer): string {
  if (body.length > 2 && body[0] === 0x1f && body[1] === 0x8b) return gunzipSync(body, { maxOutputLength: MAX_UNZIPPED }).toString("utf8");
  return body.toString("utf8");
}

export function parseSitemap(xml: string): SitemapDoc {
  const kind = /<(?:[A-Za-z0-9_-]+:)?sitemapindex[\s>]/.test(xml) ? "index" : "urlset";
  const locs: string[] = [];
  LOC.lastIndex = 0;
  for (let m = LOC.exec(xml); m !== null && locs.length < MAX_LOCS_PER_SITEMAP; m = LOC.exec(xml)) {
    locs.push(m[1]!.replace(/&(amp|lt|gt|quot|apos);/g, (e) => ENTITIES[e]!));
  }
  return { kind, locs };
}
