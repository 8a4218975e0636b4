/**
 * Crawlee peer for bench/browser.ts: a PlaywrightCrawler on the same Debian Chromium
 * (playwright-core, never a downloaded browser) rendering up to --max pages of the practice
 * site from one start URL, enqueueing same-host links, pushing each page's quotes to its
 * Dataset. Prints one JSON summary line { pages, items } at the end.
 *
 *   CRAWLEE_STORAGE_DIR=/tmp/x node bench/peers/crawlee-playwright.mjs --url http://127.0.0.1:8080/ --max 1000 --concurrency 4
 */
import { parseArgs } from "node:util";
import { PlaywrightCrawler, log } from "crawlee";
import { chromium } from "playwright-core";

const { values } = parseArgs({ options: { url: { type: "string" }, max: { type: "string", default: "1000" }, concurrency: { type: "string", default: "4" } }, strict: true });
if (!values.url) {
  process.stderr.write("usage: crawlee-playwright.mjs --url <start> [--max 1000] [--concurrency 4]\n");
  process.exit(2);
}
log.setLevel(log.LEVELS.WARNING);
let pages = 0;
let items = 0;
const crawler = new PlaywrightCrawler({
  maxConcurrency: Number(values.concurrency),
  minConcurrency: Number(values.concurrency),
  maxRequestsPerCrawl: Number(values.max),
  maxRequestRetries: 1,
  useSessionPool: false,
  headless: true,
  launchContext: {
    launcher: chromium,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  async requestHandler({ page, enqueueLinks, pushData }) {
    pages++;
    const quotes = await page.$$eval("div.quote", (els) =>
      els.map((q) => ({
        text: q.querySelector("span.text")?.textContent?.trim() ?? null,
        author: q.querySelector("small.author")?.textContent?.trim() ?? null,
        tags: [...q.querySelectorAll("a.tag")].map((a) => a.textContent.trim()),
      })),
    );
    items += quotes.length;
    if (quotes.length) await pushData(quotes.map((q) => ({ type: "quote", ...q })));
    await enqueueLinks({ strategy: "same-hostname" });
  },
});
await crawler.run([values.url]);
process.stdout.write(JSON.stringify({ pages, items }) + "\n");
process.exit(0);
