/**
 * Micro benchmark of the extraction stage on a quotes.toscrape-like page (~12 KB, 10 div.quote,
 * ~60 links), with the demo spec's rules. Prints µs per page for each mode, and for building
 * the DOM alone.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/extract-micro.js [pages=20000]
 */
import os from "node:os";
import { pathToFileURL } from "node:url";
import { compileExtractor, type Extractor } from "../src/extract/index.js";
import { parsePage } from "../src/extract/parse.js";
import type { FieldSpec, FollowSpec, ItemSpec } from "../src/spec/types.js";

const TAGS = ["change", "deep-thoughts", "thinking", "world", "life", "love", "humor", "books", "truth", "inspirational"];

export function quotesPage(page: number): string {
  const quotes: string[] = [];
  for (let i = 0; i < 10; i++) {
    const author = `Author Number${i}`;
    const slug = `Author-Number${i}`;
    const tags = TAGS.slice(i % 5, (i % 5) + 4)
      .map((t) => `            <a class="tag" href="/tag/${t}/page/1/">${t}</a>`)
      .join("\n");
    quotes.push(`    <div class="quote" itemscope itemtype="http://schema.org/CreativeWork">
        <span class="text" itemprop="text">&#8220;The world as we have created it is a process of our thinking. It cannot be changed without changing our thinking, quote ${page}.${i}.&#8221;</span>
        <span>by <small class="author" itemprop="author">${author}</small>
        <a href="/author/${slug}">(about)</a>
        </span>
        <div class="tags">
            Tags:
            <meta class="keywords" itemprop="keywords" content="${TAGS.slice(0, 3).join(",")}" >
${tags}
        </div>
    </div>`);
  }
  const topTags = TAGS.map((t) => `    <span class="tag-item"><a class="tag" style="font-size: 20px" href="/tag/${t}/">${t}</a></span>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
	<meta charset="UTF-8">
	<title>Quotes to Scrape</title>
    <link rel="stylesheet" href="/static/bootstrap.min.css">
    <link rel="stylesheet" href="/static/main.css">
    <script>
      // A typical inline analytics/consent snippet: real pages carry a few KB of these.
${Array.from({ length: 14 }, (_, i) => `      window.dataLayer = window.dataLayer || []; dataLayer.push({ event: "view_${i}", page: ${page}, ts: Date.now() });`).join("\n")}
    </script>
</head>
<body>
    <div class="container">
        <div class="row header-box">
            <div class="col-md-8"><h1><a href="/" style="text-decoration: none">Quotes to Scrape</a></h1></div>
            <div class="col-md-4"><p><a href="/login">Login</a></p></div>
        </div>
<div class="row">
    <div class="col-md-8">
${quotes.join("\n")}
    <nav>
        <ul class="pager">
            <li class="previous"><a href="/page/${page - 1}/"><span aria-hidden="true">&larr;</span> Previous</a></li>
            <li class="next"><a href="/page/${page + 1}/">Next <span aria-hidden="true">&rarr;</span></a></li>
        </ul>
    </nav>
    </div>
    <div class="col-md-4 tags-box">
        <h2>Top Ten tags</h2>
${topTags.join("\n")}
    </div>
</div>
    </div>
    <footer class="footer">
        <div class="container">
            <p class="text-muted">Quotes by: <a href="https://www.goodreads.com/quotes">GoodReads.com</a></p>
            <p class="copyright">Made with <span class='zyte'>&#10084;</span> by <a class='zyte' href="https://www.zyte.com">Zyte</a></p>
        </div>
    </footer>
</body>
</html>
`;
}

const field = (f: Partial<FieldSpec>): FieldSpec => ({ all: false, type: "string", trim: true, required: false, ...f });

export const QUOTE_ITEMS: ItemSpec[] = [
  {
    type: "quote",
    each: "div.quote",
    fields: {
      text: field({ selector: "span.text", required: true }),
      author: field({ selector: "small.author" }),
      tags: field({ selector: "a.tag", all: true }),
    },
  },
  {
    type: "author",
    when: "/author/*",
    fields: {
      name: field({ selector: "h3.author-title" }),
      born: field({ selector: ".author-born-date", type: "date" }),
    },
  },
];

export const QUOTE_FOLLOW: FollowSpec[] = [
  { selector: "li.next a", priority: 1 },
  { selector: "a[href^='/author/']", priority: 0 },
];

/**
 * Best and median of `rounds` timed rounds: the machine is shared, the best round is the least
 * disturbed, and many short rounds give it more chances to find a quiet moment.
 */
function bench(name: string, ex: Extractor, html: string, url: string, n: number, rounds = 40): void {
  for (let i = 0; i < Math.min(2000, n); i++) ex.extract(html, url); // warm up
  const per = Math.max(1, Math.floor(n / rounds));
  const times: number[] = [];
  let items = 0;
  let links = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < per; i++) {
      const res = ex.extract(html, url);
      items = res.items.length;
      links = res.links.length;
    }
    times.push(Number(process.hrtime.bigint() - t0) / 1000 / per);
  }
  times.sort((a, b) => a - b);
  const best = times[0]!;
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${name.padEnd(34)} best ${best.toFixed(1).padStart(6)} µs/page (${(1e6 / best).toFixed(0).padStart(6)} pages/s), ` +
      `median ${median.toFixed(1).padStart(6)} µs  [${items} items, ${links} links]`,
  );
}

function main(): void {
  const n = Number(process.argv[2] ?? 20000);
  const html = quotesPage(2);
  const url = "https://quotes.toscrape.com/page/2/";
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, ${os.cpus().length} cpus`);
  console.log(`page: ${html.length} chars, ${(html.match(/<a /g) ?? []).length} anchors; ${n} pages per run; node ${process.version}`);
  bench("items + follow selectors", compileExtractor(QUOTE_ITEMS, QUOTE_FOLLOW), html, url, n);
  bench("items + follow all", compileExtractor(QUOTE_ITEMS, null), html, url, n);
  bench("items only (follow [])", compileExtractor(QUOTE_ITEMS, []), html, url, n);
  bench("follow all, no items (no DOM)", compileExtractor([], null), html, url, n);
  bench("nothing applies (head scan only)", compileExtractor([QUOTE_ITEMS[1]!], []), html, url, n);
  bench("DOM build only (parsePage)", domOnly, html, url, n);
  // Two things real pages carry that the practice pages do not.
  bench("items + follow sel., GTM <iframe>", compileExtractor(QUOTE_ITEMS, QUOTE_FOLLOW), withTagManager(html), url, n);
  bench("items + follow sel., inline <svg>", compileExtractor(QUOTE_ITEMS, QUOTE_FOLLOW), withSvgIcon(html), url, n);
  // The curly quotes as characters instead of entities, as most pages write them: decoded, the
  // page is a two-byte string; a crawl hands its worker the UTF-8 bytes (src/shared/utf8-bytes.ts).
  const curly = html.replaceAll("&#8220;", "\u201c").replaceAll("&#8221;", "\u201d");
  bench("items + follow sel., “” decoded", compileExtractor(QUOTE_ITEMS, QUOTE_FOLLOW), curly, url, n);
  bench("items + follow sel., “” UTF-8 bytes", fromUtf8Bytes(compileExtractor(QUOTE_ITEMS, QUOTE_FOLLOW)), Buffer.from(curly, "utf8").toString("latin1"), url, n);
}

/** `ex` fed UTF-8 bytes one per char, as the crawl's extraction workers are. */
function fromUtf8Bytes(ex: Extractor): Extractor {
  return { extract: (html, url) => ex.extract(html, url, true) };
}

/** Google Tag Manager's no-script snippet, right after <body> as its install guide says. */
export function withTagManager(html: string): string {
  return html.replace("<body>", `<body>
<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-XXXXXXX" height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>`);
}

/** An inline SVG icon in the header, as most current sites have. */
export function withSvgIcon(html: string): string {
  return html.replace("<h1>", `<h1><svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true"><path d="M12 2L2 7l10 5 10-5-10-5z"/><circle cx="12" cy="12" r="3"/></svg>`);
}

/** The tree-building part of the DOM modes on its own: parse + build, no selectors. */
const domOnly: Extractor = {
  extract(html, url) {
    parsePage(html, false);
    return { items: [], links: [], baseUrl: url, title: null, applicableItems: 0, probes: [] };
  },
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
