/**
 * Character-set cases, each holding one quote that only decodes right when the
 * charset is honoured: `/latin1` (charset in the Content-Type header), `/latin1-meta`
 * (charset only in `<meta>`), `/bom` (UTF-8 with a byte order mark, no declared charset).
 */
import { esc, shell } from "../html.js";
import { bytesReply } from "../reply.js";
import type { PracticeRequest, QuoteItem, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";
import { renderQuote } from "./quotes.js";

interface Case {
  path: string;
  title: string;
  quote: QuoteItem;
  contentType: string;
  charsetMeta: string;
  encode: (html: string) => Buffer;
}

/** Latin-1 bytes; characters beyond U+00FF (curly quotes, euro) become numeric references. */
function latin1(html: string): Buffer {
  return Buffer.from(html.replace(/[^\u0000-\u00ff]/g, (c) => `&#${c.codePointAt(0)};`), "latin1");
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function encodingsSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const tags = model.tags;
  const cases: Case[] = [
    {
      path: "/latin1",
      title: "Latin-1 page (charset in the header)",
      quote: { text: "“Un café à Zürich, dit le niño, vaut mieux que deux à Paris.”", author: "Renée Façon", tags: [tags[0]!, tags[2]!] },
      contentType: "text/html; charset=ISO-8859-1",
      charsetMeta: "",
      encode: latin1,
    },
    {
      path: "/latin1-meta",
      title: "Latin-1 page (charset only in a meta tag)",
      quote: { text: "“El niño pidió un café en Zürich y pagó con una sonrisa.”", author: "Adrián Muñoz", tags: [tags[1]!] },
      contentType: "text/html",
      charsetMeta: '<meta charset="iso-8859-1">',
      encode: latin1,
    },
    {
      path: "/bom",
      title: "UTF-8 page with a byte order mark",
      quote: { text: "“Naïve façades in Malmö hide the crème brûlée of Besançon — and ẞ is a letter too.”", author: "Zoë Ångström", tags: [tags[3]!, tags[4]!] },
      contentType: "text/html",
      charsetMeta: "",
      encode: (html) => Buffer.concat([BOM, Buffer.from(html, "utf8")]),
    },
  ];

  const render = (c: Case): Reply => {
    const body = `<div class="header-box"><h1>${esc(c.title)}</h1></div>
<p>Bienvenue au café! Grüße aus Zürich. El niño está aquí. Smørrebrød in Århus costs 5 €.</p>
<p>Crawlers that ignore the declared encoding will show mojibake here, and in the quote below.</p>
${renderQuote(c.quote.text, c.quote.author, null, c.quote.tags)}`;
    return bytesReply(c.encode(shell({ title: c.title, body, charsetMeta: c.charsetMeta })), c.contentType, true);
  };

  return {
    name: "encodings",
    homeLinks: cases.map((c) => ({ href: c.path, label: c.title })),
    handle(req: PracticeRequest): Reply | undefined {
      for (const c of cases) if (req.path === c.path) return cache.get(c.path, () => render(c));
      return undefined;
    },
    contribute(manifest: SiteManifest): void {
      for (const c of cases) {
        manifest.pages.push(c.path);
        manifest.items.quote.push(c.quote);
      }
    },
    warmPaths: () => cases.map((c) => c.path),
  };
}
