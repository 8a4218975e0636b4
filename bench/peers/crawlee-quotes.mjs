/**
 * Crawlee peer for bench/run.ts: a CheerioCrawler that crawls the practice site from one start
 * URL, enqueues every same-host link and pushes the four item types of examples/practice.yaml
 * (quote, author, job, product) with the same fields and conversions to its default Dataset
 * (on disk under CRAWLEE_STORAGE_DIR). Writes the distinct 200 text/html URLs it loaded to
 * --out (JSON list) and prints one JSON summary line on stdout at the end.
 *
 *   CRAWLEE_STORAGE_DIR=/tmp/x node bench/peers/crawlee-quotes.mjs --url http://127.0.0.1:8080/ \
 *       --concurrency 16 --out /tmp/x/pages.json
 *
 * Plain JS (.mjs) on purpose: it is the peer's code, kept outside gleaner's tsc build.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CheerioCrawler, log } from "crawlee";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    concurrency: { type: "string", default: "16" },
    out: { type: "string" },
  },
  strict: true,
});
if (!values.url || !values.out) {
  process.stderr.write("usage: crawlee-quotes.mjs --url <start> --out <pages.json> [--concurrency 16]\n");
  process.exit(2);
}
const concurrency = Number(values.concurrency);
log.setLevel(process.env.CRAWLEE_PEER_DEBUG ? log.LEVELS.DEBUG : log.LEVELS.WARNING);

const WS = /\s+/g;
const EMAIL = /(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-])/;
const LOCATION = /^in (.+)$/;
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

const norm = (s) => (s ?? "").replace(WS, " ").trim();
/** Whitespace-collapsed text of the first match, or null. */
const text = ($, root, css) => {
  const el = root ? $(root).find(css).first() : $(css).first();
  return el.length ? norm(el.text()) : null;
};
const first = (re, s) => {
  const m = s ? re.exec(s) : null;
  return m ? (m[1] ?? m[0]) : null;
};
/** "March 14, 1879" (or ISO) -> "1879-03-14"; null if it does not parse. */
const toDate = (s) => {
  if (!s) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const m = /^([A-Za-z]+) (\d{1,2}), (\d{4})$/.exec(s);
  const month = m ? MONTHS.indexOf(m[1].toLowerCase()) + 1 : 0;
  if (!m || month === 0) return null;
  return `${m[3]}-${String(month).padStart(2, "0")}-${m[2].padStart(2, "0")}`;
};
const toNumber = (s, int) => {
  if (s == null) return null;
  const n = Number(s.replace(/[$,\s]/g, ""));
  return Number.isFinite(n) && (!int || Number.isInteger(n)) ? n : null;
};

const fetched = new Set();
let fetches = 0;
let items = 0;

const crawler = new CheerioCrawler({
  minConcurrency: concurrency,
  maxConcurrency: concurrency,
  maxRequestRetries: 1,
  useSessionPool: false,
  persistCookiesPerSession: false,
  async requestHandler({ request, response, $, enqueueLinks, pushData }) {
    if (typeof $ !== "function") return; // non-HTML bodies (JSON files) have no DOM
    const ctype = String(response.headers["content-type"] ?? "").toLowerCase();
    if (response.statusCode === 200 && ctype.startsWith("text/html")) {
      fetches++;
      fetched.add(request.loadedUrl ?? request.url);
    }
    const path = new URL(request.loadedUrl ?? request.url).pathname;
    const out = [];
    $("div.quote").each((_, q) => {
      out.push({
        _type: "quote",
        text: text($, q, "span.text"),
        author: text($, q, "small.author"),
        tags: $(q).find("a.tag").map((_, a) => norm($(a).text())).get(),
      });
    });
    if (path.startsWith("/author/")) {
      out.push({
        _type: "author",
        name: text($, null, "h3.author-title"),
        born: toDate(text($, null, ".author-born-date")),
        location: first(LOCATION, text($, null, ".author-born-location")),
        email: first(EMAIL, text($, null, ".author-description")),
      });
    }
    if (path.startsWith("/jobs/view/")) {
      out.push({
        _type: "job",
        title: text($, null, "h1.job-title"),
        company: text($, null, ".company"),
        location: text($, null, ".location"),
        salary: toNumber($(".salary").first().attr("data-value"), true),
        posted: toDate($("time.posted").first().attr("datetime")),
        email: first(EMAIL, text($, null, ".description")),
      });
    }
    $("#products tbody tr").each((_, row) => {
      out.push({
        _type: "product",
        name: text($, row, "td.name"),
        price: toNumber(text($, row, "td.price"), false),
        stock: toNumber(text($, row, "td.stock"), true),
        sku: text($, row, "td.sku"),
      });
    });
    if (out.length > 0) {
      items += out.length;
      await pushData(out);
    }
    await enqueueLinks({ strategy: "same-hostname" });
  },
});

const stats = await crawler.run([values.url]);
writeFileSync(values.out, JSON.stringify([...fetched].sort()));
process.stdout.write(
  JSON.stringify({
    tool: "crawlee", pages: fetched.size, fetches, items, seconds: stats.crawlerRuntimeMillis / 1000,
    requestsFinished: stats.requestsFinished, requestsFailed: stats.requestsFailed,
  }) + "\n",
);
// run() has resolved and the Dataset is on disk, but idle keep-alive handles would keep the
// process alive for ~25 s more; a benchmark should not charge Crawlee for that.
process.exit(0);
