/**
 * `js` mode: pages whose quotes only exist after their scripts run (js-client.ts).
 * - `/js/quotes/page/N/`: the quotes of `/quotes/page/N/` inline as JSON, rendered by an
 *   inline script into `<div id="app">` (quotes.toscrape.com/js/ style); static pager;
 * - `/js/xhr/quotes/page/N/`: the same, fetched from `/api/quotes?page=N` after load;
 * - `/js/loadmore/`: 10 quotes, then 10 more per click on `button.load-more`, up to 50;
 * - `/js/scroll/`: 10 quotes, then 10 more each time the window scrolls near the bottom, up to 50;
 * - `/js/shell`: an app shell (tiny body, `<noscript>`, `/js/app.js`) that renders API page 1.
 * N runs to JS_PAGES (at most 10). Plain HTTP sees no `div.quote` on any of them, so
 * `items` is unchanged; `modes.js` lists what a browser render yields per page.
 */
import { esc, shell } from "../html.js";
import { QUOTES_PER_PAGE, type Quote, type SiteModel } from "../model.js";
import { bytesReply, htmlReply } from "../reply.js";
import type { JsPageEntry, PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";
import { APP_BUNDLE, inlineDataScript, loadMoreScript, scriptJson, scrollScript, xhrScript } from "./js-client.js";
import { modesOf, pageNumber, quoteItem } from "./mode-pages.js";
import { quotePath } from "./quotes.js";

/** Pages of `/js/quotes/`, `/js/xhr/quotes/` and the API. */
const MAX_JS_PAGES = 10;
/** What load-more and scroll stop at. */
const STREAM_LIMIT = 50;
const INLINE = "/js/quotes/page/";
const XHR = "/js/xhr/quotes/page/";
const LOADMORE = "/js/loadmore/";
const SCROLL = "/js/scroll/";
const SHELL = "/js/shell";
const BUNDLE = "/js/app.js";
const API = "/api/quotes";
export const apiPath = (n: number): string => `${API}?page=${n}`;

/** A quote as the API and the inline JSON carry it (quotes.toscrape.com's API shape). */
function apiQuote(model: SiteModel, q: Quote): { author: { name: string; slug: string }; tags: string[]; text: string } {
  const a = model.authors[q.author]!;
  return { author: { name: a.name, slug: a.slug }, tags: q.tags.map((t) => model.tags[t]!), text: q.text };
}

export function jsSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const pages = Math.min(MAX_JS_PAGES, model.quotePages);
  const streamLimit = Math.min(STREAM_LIMIT, pages * QUOTES_PER_PAGE);
  const quotesOf = (n: number): Quote[] => model.quotes.slice((n - 1) * QUOTES_PER_PAGE, n * QUOTES_PER_PAGE);
  const apiQuotes = (n: number) => quotesOf(n).map((q) => apiQuote(model, q));

  /** The listing layout of quotes.ts with an empty #app, a static pager and a script. */
  const listing = (base: string, n: number, script: string): Reply => {
    const prev = n > 1 ? `\n            <li class="previous"><a href="${base}${n - 1}/"><span aria-hidden="true">&larr;</span> Previous</a></li>` : "";
    const next = n < pages ? `\n            <li class="next"><a href="${base}${n + 1}/">Next <span aria-hidden="true">&rarr;</span></a></li>` : "";
    return htmlReply(shell({
      title: `Quotes to Scrape (JavaScript) - page ${n}`,
      body: `<div class="row header-box">
    <div class="col-md-8"><h1><a href="${base}1/" style="text-decoration: none">Quotes to Scrape</a></h1></div>
    <div class="col-md-4"><p>Page ${n} of ${pages}, built by JavaScript</p></div>
</div>
<div class="row">
<div class="col-md-8">
    <div id="app"></div>
    <nav>
        <ul class="pager">${prev}${next}
        </ul>
    </nav>
</div>
</div>
<script>
${script}</script>`,
    }));
  };

  const stream = (title: string, extra: string, script: string): Reply => htmlReply(shell({
    title,
    head: `<style>#app{min-height:120vh}</style>\n`,
    body: `<div class="header-box"><h1>${esc(title)}</h1></div>
<div id="app"></div>${extra}
<script>
${script}</script>`,
  }));

  const appShell = (): Reply => htmlReply(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Quotes App</title><script defer src="${BUNDLE}"></script></head>
<body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body>
</html>
`);

  const api = (n: number): Reply => bytesReply(
    Buffer.from(scriptJson({ has_next: n < pages, page: n, quotes: apiQuotes(n) }) + "\n"), "application/json", true);

  return {
    name: "js",
    homeLinks: [
      { href: `${INLINE}1/`, label: "Quotes rendered by JavaScript (inline data)" },
      { href: `${XHR}1/`, label: "Quotes fetched by JavaScript (XHR)" },
      { href: LOADMORE, label: "Load more button" },
      { href: SCROLL, label: "Infinite scroll" },
      { href: SHELL, label: "App shell (needs JavaScript)" },
    ],
    handle(req: PracticeRequest): Reply | undefined {
      if (req.path === API) {
        const n = pageNumber(`/${new URLSearchParams(req.query).get("page") ?? ""}`, "/", pages);
        return n === 0 ? undefined : cache.get(apiPath(n), () => api(n));
      }
      if (!req.path.startsWith("/js/")) return undefined;
      if (req.path === LOADMORE) {
        return cache.get(LOADMORE, () => stream("Load more quotes", `\n<button class="load-more" type="button">Load more</button>`,
          loadMoreScript(apiQuotes(1), streamLimit)));
      }
      if (req.path === SCROLL) {
        return cache.get(SCROLL, () => stream("Infinite scroll", `\n<p class="loading">Loading…</p>`, scrollScript(streamLimit)));
      }
      if (req.path === SHELL) return cache.get(SHELL, appShell);
      if (req.path === BUNDLE) return cache.get(BUNDLE, () => bytesReply(Buffer.from(APP_BUNDLE), "application/javascript; charset=utf-8", true));
      for (const base of [INLINE, XHR]) {
        if (!req.path.startsWith(base) || !req.path.endsWith("/")) continue;
        const n = pageNumber(req.path.slice(0, -1), base, pages);
        if (n === 0) return undefined;
        return cache.get(req.path, () => listing(base, n, base === INLINE ? inlineDataScript(apiQuotes(n)) : xhrScript(n)));
      }
      return undefined;
    },
    contribute(manifest: SiteManifest): void {
      const items = (from: number, to: number) => model.quotes.slice(from, to).map((q) => quoteItem(model, q));
      const entries: JsPageEntry[] = [];
      for (const base of [INLINE, XHR]) {
        for (let n = 1; n <= pages; n++) {
          const list = items((n - 1) * QUOTES_PER_PAGE, n * QUOTES_PER_PAGE);
          entries.push({ path: `${base}${n}/`, twin: quotePath(n), interaction: "load", initialItems: list.length, items: list });
        }
      }
      const first = Math.min(QUOTES_PER_PAGE, streamLimit);
      entries.push({ path: LOADMORE, twin: null, interaction: "click", initialItems: first, items: items(0, streamLimit) });
      entries.push({ path: SCROLL, twin: null, interaction: "scroll", initialItems: first, items: items(0, streamLimit) });
      const shellItems = items(0, QUOTES_PER_PAGE);
      entries.push({ path: SHELL, twin: quotePath(1), interaction: "load", initialItems: shellItems.length, items: shellItems });

      const paths = entries.map((e) => e.path);
      manifest.pages.push(...paths);
      const api: string[] = [];
      for (let n = 1; n <= pages; n++) api.push(apiPath(n));
      modesOf(manifest).js = { needsBrowser: paths, pages: entries, api, scripts: [BUNDLE] };
    },
  };
}
