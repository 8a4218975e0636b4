/**
 * Shared by the mode sections: their own quotes (never equal to a listing quote or to
 * another mode's, so a crawl's items stay unique) and the plain pages and error replies
 * they answer with.
 */
import { performance } from "node:perf_hooks";
import { esc, shell } from "../html.js";
import type { Quote, SiteModel } from "../model.js";
import { Rng } from "../random.js";
import { HTML_UTF8, htmlReply } from "../reply.js";
import { quoteSentence } from "../text.js";
import type { ModesManifest, QuoteItem, Reply, SiteManifest } from "../types.js";
import { authorPath, renderQuote } from "./quotes.js";

/**
 * First index of each mode's block in the extra-quote stream. Blocks are fixed, so a
 * page's quote does not depend on which other modes are on.
 */
export const QUOTE_BLOCK = { ratelimit: 0, flaky: 1000, robots: 1020, cookies: 1030, useragent: 1040, slow: 1050 } as const;

interface Pool { rng: Rng; seen: Set<string>; list: Quote[] }
const pools = new WeakMap<SiteModel, Pool>();

/** Extra quote `index` (generated in order, once per model; only when a mode asks). */
export function extraQuote(model: SiteModel, index: number): Quote {
  let p = pools.get(model);
  if (p === undefined) {
    p = { rng: Rng.forEntity(model.seed, "mode-quotes"), seen: new Set(model.quotes.map((q) => q.text)), list: [] };
    pools.set(model, p);
  }
  while (p.list.length <= index) {
    let text = `“${quoteSentence(p.rng)}”`;
    while (p.seen.has(text)) text = `“${quoteSentence(p.rng)}”`;
    p.seen.add(text);
    const tags = new Set<number>();
    const want = p.rng.int(1, 3);
    while (tags.size < want) tags.add(p.rng.int(0, model.tags.length - 1));
    p.list.push({ text, author: p.rng.int(0, model.authors.length - 1), tags: [...tags] });
  }
  return p.list[index]!;
}

/** The item examples/practice.yaml extracts from a rendered quote. */
export function quoteItem(model: SiteModel, q: Quote): QuoteItem {
  return { text: q.text, author: model.authors[q.author]!.name, tags: q.tags.map((t) => model.tags[t]!) };
}

export function quoteMarkup(model: SiteModel, q: Quote): string {
  const a = model.authors[q.author]!;
  return renderQuote(q.text, a.name, authorPath(a.slug), q.tags.map((t) => model.tags[t]!));
}

export interface ModePageOptions {
  title: string;
  /** Trusted HTML (written here, never scraped). */
  intro: string;
  quotes?: readonly Quote[];
  links?: readonly { href: string; label: string }[];
}

/** A plain page in the site shell: heading, intro, quotes, a list of links. */
export function modePage(model: SiteModel, o: ModePageOptions): Reply {
  let quotes = "";
  for (const q of o.quotes ?? []) quotes += quoteMarkup(model, q);
  let links = "";
  for (const l of o.links ?? []) links += `\n    <li><a href="${esc(l.href)}">${esc(l.label)}</a></li>`;
  return htmlReply(shell({
    title: o.title,
    body: `<div class="header-box"><h1>${esc(o.title)}</h1>
<p>${o.intro}</p></div>
<div class="mode-content">${quotes}
</div>${links ? `\n<ul class="mode-links">${links}\n</ul>` : ""}`,
  }));
}

/** A small uncached error page (429, 403, 503) with extra headers. */
export function statusReply(status: number, title: string, message: string, headers?: Record<string, string>): Reply {
  const body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${status} ${esc(title)}</title></head>` +
    `<body><h1>${esc(title)}</h1><p>${esc(message)}</p></body></html>\n`;
  const reply: Reply = { status, contentType: HTML_UTF8, body: Buffer.from(body), compressible: false };
  if (headers !== undefined) reply.headers = headers;
  return reply;
}

const PAGE_NUMBER = /^[1-9][0-9]{0,6}$/;

/** `/prefix/N` -> N when 1 <= N <= max (no leading zeros), else 0. */
export function pageNumber(path: string, prefix: string, max: number): number {
  if (!path.startsWith(prefix)) return 0;
  const rest = path.slice(prefix.length);
  if (!PAGE_NUMBER.test(rest)) return 0;
  const n = Number(rest);
  return n <= max ? n : 0;
}

/** The manifest's `modes` object, created on first use (absent on the default site). */
export function modesOf(manifest: SiteManifest): ModesManifest {
  return (manifest.modes ??= {});
}

/** Milliseconds since the epoch, with sub-ms precision (the request log's clock). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
