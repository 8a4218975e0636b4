/**
 * Markup cases: `/broken` (unclosed and stray tags, unquoted attributes, a link inside
 * a comment, and what real pages carry: Google Tag Manager's no-script iframe, an inline SVG
 * icon) that still holds one quote a forgiving parser extracts, and `/base/`,
 * whose relative links only resolve right when `<base href="/quotes/">` is honoured.
 */
import { esc, shell } from "../html.js";
import { htmlReply } from "../reply.js";
import type { PracticeRequest, QuoteItem, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";

export function markupSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const author = model.authors[0]!;
  const quote: QuoteItem = {
    text: "“A page that breaks every rule can still say one true thing.”",
    author: author.name,
    tags: [model.tags[0]!, model.tags[5]!],
  };

  // Hand-written on purpose: no shell, sloppy in the ways real pages are.
  const broken = (): Reply => htmlReply(`<!doctype html>
<html><head><meta charset=utf-8><title>Broken markup</title>
<style>body{font-family:sans-serif;margin:2em}.quote{border:1px solid #ccc;padding:1em}</style>
<body>
<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-PRACTICE" height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>
<div id=main class=container>
<h1><svg class=icon viewBox="0 0 24 24" width=24 height=24 aria-hidden=true><defs><clipPath id=c><rect width=24 height=24/></clipPath></defs><path clip-path="url(#c)" d="M12 2L2 7l10 5 10-5-10-5z"/><circle cx=12 cy=12 r=3 /></svg>Broken markup</h1>
<p>This page has unclosed paragraphs, <b>stray end tags</i> and unquoted attributes.
<p>Browsers and forgiving parsers cope with it; strict XML parsers do not.
</div></div></span>
<ul class=nav>
<li><a href=/ class=home>Index</a>
<li><a href='/quotes/page/1/'>Quotes</a>
<li><a href=/table>Products</a>
</ul>
<!-- <a href="/secret/admin/">not a link: it is inside a comment</a> -->
<div class=quote>
<span class=text>${esc(quote.text)}</span>
<span>by <small class=author>${esc(quote.author)}</small> <a href=/author/${author.slug}/>(about)</a></span>
<div class=tags>Tags: <a class=tag href=/tag/${quote.tags[0]}/>${quote.tags[0]}</a> <a class=tag href=/tag/${quote.tags[1]}/>${quote.tags[1]}</a>
</div>
<p>Trailing text after the quote, in a paragraph that is never closed
<table><tr><td>a cell without end tags<td>another one
</table>
</body>
`);

  const q = model.quotePages;
  const base = (): Reply => htmlReply(shell({
    title: "Relative links under a base element",
    head: '<base href="/quotes/">\n',
    body: `<div class="header-box"><h1>Relative links under a base element</h1></div>
<p>This page sets <code>&lt;base href="/quotes/"&gt;</code>: the links below resolve under /quotes/, not under /base/.</p>
<ul class="relative">
    <li><a href="page/1/">First quotes page</a></li>
    <li><a href="page/${Math.min(2, q)}/">Second quotes page</a></li>
    <li><a href="./page/${q}/">Last quotes page</a></li>
    <li><a href="../author/${author.slug}/">${esc(author.name)}</a></li>
    <li><a href="../table">Products</a></li>
</ul>`,
  }));

  return {
    name: "markup",
    homeLinks: [
      { href: "/broken", label: "Broken markup" },
      { href: "/base/", label: "Base element" },
    ],
    handle(req: PracticeRequest): Reply | undefined {
      if (req.path === "/broken") return cache.get("/broken", broken);
      if (req.path === "/base/") return cache.get("/base/", base);
      return undefined;
    },
    contribute(manifest: SiteManifest): void {
      manifest.pages.push("/broken", "/base/");
      manifest.items.quote.push(quote);
    },
    warmPaths: () => ["/broken", "/base/"],
  };
}
