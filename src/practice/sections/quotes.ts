/**
 * Quotes section, in the markup of quotes.toscrape.com: listing pages
 * `/quotes/page/N/` (10 quotes each, previous/next plus page jumps so every page is a
 * few hops from `/`) and tag pages `/tag/<tag>/` (links to listing pages, no quotes).
 */
import { esc, shell } from "../html.js";
import { QUOTES_PER_PAGE, type SiteModel } from "../model.js";
import { Rng } from "../random.js";
import { htmlReply } from "../reply.js";
import { fillerSentence } from "../text.js";
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";

const LISTING = /^\/quotes\/page\/([1-9][0-9]{0,6})\/$/;
const TAG = /^\/tag\/([a-z0-9-]+)\/$/;

export const quotePath = (n: number): string => `/quotes/page/${n}/`;
export const tagPath = (tag: string): string => `/tag/${tag}/`;
export const authorPath = (slug: string): string => `/author/${slug}/`;

export function quotesSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const tagIndex = new Map(model.tags.map((t, i) => [t, i]));
  const sidebar = renderSidebar(model);

  return {
    name: "quotes",
    homeLinks: [{ href: quotePath(1), label: "Quotes (quotes.toscrape.com style)" }],
    handle(req: PracticeRequest): Reply | undefined {
      if (req.path.startsWith("/quotes/")) {
        const m = LISTING.exec(req.path);
        const n = m ? Number(m[1]) : 0;
        if (n < 1 || n > model.quotePages) return undefined;
        return cache.get(req.path, () => htmlReply(renderListing(model, n, sidebar)));
      }
      if (req.path.startsWith("/tag/")) {
        const m = TAG.exec(req.path);
        const t = m ? tagIndex.get(m[1]!) : undefined;
        if (t === undefined) return undefined;
        return cache.get(req.path, () => htmlReply(renderTag(model, t, sidebar)));
      }
      return undefined;
    },
    contribute(manifest: SiteManifest): void {
      for (let n = 1; n <= model.quotePages; n++) manifest.pages.push(quotePath(n));
      for (const tag of model.tags) manifest.pages.push(tagPath(tag));
      for (const q of model.quotes) {
        manifest.items.quote.push({ text: q.text, author: model.authors[q.author]!.name, tags: q.tags.map((t) => model.tags[t]!) });
      }
    },
    *warmPaths() {
      for (let n = 1; n <= model.quotePages; n++) yield quotePath(n);
      for (const tag of model.tags) yield tagPath(tag);
    },
  };
}

/** quotes.toscrape.com's quote block; tags link to tag pages. */
export function renderQuote(text: string, author: string, authorHref: string | null, tags: readonly string[]): string {
  const about = authorHref ? `\n        <a href="${authorHref}">(about)</a>` : "";
  let tagLinks = "";
  for (const t of tags) tagLinks += `\n            <a class="tag" href="${tagPath(t)}">${esc(t)}</a>`;
  return `
    <div class="quote" itemscope itemtype="http://schema.org/CreativeWork">
        <span class="text" itemprop="text">${esc(text)}</span>
        <span>by <small class="author" itemprop="author">${esc(author)}</small>${about}
        </span>
        <div class="tags">
            Tags:
            <meta class="keywords" itemprop="keywords" content="${esc(tags.join(","))}">${tagLinks}
        </div>
    </div>`;
}

/** Page numbers N±{1,2,5}x10^k plus first and last: any page is O(log N) hops from page 1. */
function jumpTargets(n: number, last: number): number[] {
  const out = new Set<number>([1, last]);
  for (let scale = 1; scale <= last; scale *= 10) {
    for (const step of [scale, 2 * scale, 5 * scale]) {
      if (n - step >= 1) out.add(n - step);
      if (n + step <= last) out.add(n + step);
    }
  }
  out.delete(n);
  return [...out].sort((a, b) => a - b);
}

function renderListing(model: SiteModel, n: number, sidebar: string): string {
  let quotes = "";
  const start = (n - 1) * QUOTES_PER_PAGE;
  for (let i = start; i < start + QUOTES_PER_PAGE && i < model.quotes.length; i++) {
    const q = model.quotes[i]!;
    const a = model.authors[q.author]!;
    quotes += renderQuote(q.text, a.name, authorPath(a.slug), q.tags.map((t) => model.tags[t]!));
  }
  const prev = n > 1 ? `\n            <li class="previous"><a href="${quotePath(n - 1)}"><span aria-hidden="true">&larr;</span> Previous</a></li>` : "";
  const next = n < model.quotePages ? `\n            <li class="next"><a href="${quotePath(n + 1)}">Next <span aria-hidden="true">&rarr;</span></a></li>` : "";
  let jumps = "";
  for (const p of jumpTargets(n, model.quotePages)) jumps += `<li><a href="${quotePath(p)}">${p}</a></li>`;
  const body = `<div class="row header-box">
    <div class="col-md-8"><h1><a href="${quotePath(1)}" style="text-decoration: none">Quotes to Scrape</a></h1></div>
    <div class="col-md-4"><p>Page ${n} of ${model.quotePages}</p></div>
</div>
<div class="row">
<div class="col-md-8">
${quotes}
    <nav>
        <ul class="pager">${prev}${next}
        </ul>
    </nav>
    <ul class="pages" aria-label="Pages">${jumps}</ul>
</div>
${sidebar}
</div>`;
  return shell({ title: `Quotes to Scrape - page ${n}`, body });
}

function renderSidebar(model: SiteModel): string {
  let links = "";
  model.topTags.forEach((t, rank) => {
    const tag = model.tags[t]!;
    links += `\n    <span class="tag-item"><a class="tag" style="font-size: ${28 - rank * 1.5}px" href="${tagPath(tag)}">${esc(tag)}</a></span>`;
  });
  return `<div class="col-md-4 tags-box">
    <h2>Top Ten tags</h2>${links}
</div>`;
}

function renderTag(model: SiteModel, t: number, sidebar: string): string {
  const tag = model.tags[t]!;
  const r = Rng.forEntity(model.seed, "tag", t);
  let pages = "";
  for (const p of model.tagPages[t]!) pages += `\n        <li><a href="${quotePath(p)}">Quotes page ${p}</a></li>`;
  let about = "";
  while (about.length < 5500) about += (about ? " " : "") + fillerSentence(r);
  const body = `<div class="row header-box"><div class="col-md-8"><h1>Viewing tag: <a href="${tagPath(tag)}">${esc(tag)}</a></h1></div></div>
<div class="row">
<div class="col-md-8">
    <p>Listing pages with quotes tagged <strong>${esc(tag)}</strong>:</p>
    <ul class="tag-pages">${pages}
    </ul>
    <h2>About this tag</h2>
    <p class="tag-about">${esc(about)}</p>
</div>
${sidebar}
</div>`;
  return shell({ title: `Quotes tagged ${tag}`, body });
}
