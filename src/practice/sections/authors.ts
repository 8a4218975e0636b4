/**
 * Author pages `/author/<slug>/` (quotes.toscrape.com markup): name, birth date and
 * place, and a long description whose text holds the author's email and phone.
 */
import { esc, shell } from "../html.js";
import { quotePageOf, type Author, type SiteModel } from "../model.js";
import { Rng } from "../random.js";
import { htmlReply } from "../reply.js";
import { bioSentence, isoDate, longDate } from "../text.js";
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";
import { authorPath, quotePath } from "./quotes.js";

const DESCRIPTION_CHARS = 6800;

export function authorsSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const bySlug = new Map(model.authors.map((a, i) => [a.slug, i]));
  // First listing page quoting each author, for the "quotes by" back-link.
  const firstPage = new Array<number>(model.authors.length).fill(1);
  const seen = new Uint8Array(model.authors.length);
  model.quotes.forEach((q, i) => {
    if (!seen[q.author]) {
      seen[q.author] = 1;
      firstPage[q.author] = quotePageOf(i);
    }
  });

  return {
    name: "authors",
    homeLinks: [],
    handle(req: PracticeRequest): Reply | undefined {
      if (!req.path.startsWith("/author/") || !req.path.endsWith("/")) return undefined;
      const i = bySlug.get(req.path.slice(8, -1));
      if (i === undefined) return undefined;
      return cache.get(req.path, () => htmlReply(renderAuthor(model, i, firstPage[i]!)));
    },
    contribute(manifest: SiteManifest): void {
      for (const a of model.authors) {
        manifest.pages.push(authorPath(a.slug));
        manifest.items.author.push({ name: a.name, born: isoDate(a.born), location: a.location, email: a.email });
      }
    },
    *warmPaths() {
      for (const a of model.authors) yield authorPath(a.slug);
    },
  };
}

function renderAuthor(model: SiteModel, i: number, page: number): string {
  const a = model.authors[i]!;
  const r = Rng.forEntity(model.seed, "author", i);
  const last = a.name.slice(a.name.lastIndexOf(" ") + 1);
  const paragraphs: string[] = [];
  let chars = 0;
  let para = `${a.name} was born on ${longDate(a.born)} in ${a.location} and worked for most of a long life as a ${a.occupation}.`;
  while (chars + para.length < DESCRIPTION_CHARS) {
    if (para.length > 700) {
      paragraphs.push(para);
      chars += para.length;
      para = "";
      if (paragraphs.length === 2) para = contactSentence(a, last);
    }
    para += (para ? " " : "") + bioSentence(r, last);
  }
  paragraphs.push(para);
  if (paragraphs.length < 3) paragraphs.push(contactSentence(a, last));
  const description = paragraphs.map((p) => `\n        <p>${esc(p)}</p>`).join("");

  const body = `<div class="author-details">
    <h3 class="author-title">${esc(a.name)}
    </h3>
    <p><strong>Born:</strong> <span class="author-born-date">${longDate(a.born)}</span> <span class="author-born-location">in ${esc(a.location)}</span></p>
    <p><strong>Occupation:</strong> ${esc(a.occupation)}</p>
    <strong>Description:</strong>
    <div class="author-description">${description}
    </div>
    <p class="more"><a href="${quotePath(page)}">Quotes by ${esc(a.name)}</a></p>
</div>`;
  return shell({ title: `${a.name} - Quotes to Scrape`, body });
}

/** The one email and phone number on the page; surrounded by spaces so no regex grabs punctuation. */
function contactSentence(a: Author, last: string): string {
  return `The ${last} archive answers letters at ${a.email} and telephone calls at ${a.phone} on weekdays.`;
}
