import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { crawl } from "../src/index.js";
import { startPracticeSite } from "../src/practice/index.js";
import { SqliteStore } from "../src/store/index.js";
import { tempDir } from "./support/tmp.js";

test("scope.sitemaps seeds the frontier from robots.txt's Sitemap: line", async (t) => {
  const site = await startPracticeSite({ pages: 200, log: true });
  t.after(() => site.close());
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl({ name: "sm", start: site.url + "/", follow: [], scope: { sitemaps: true } }, { db: store });
  const quotePages = site.manifest.pages.filter((p) => /^\/quotes\/page\/\d+\/$/.test(p));
  assert.ok(quotePages.length > 5);
  assert.equal(summary.pages, 1 + quotePages.length, "the start page plus every page of the sitemap");
  const fetched = new Set(site.requestLog.map((e) => e.path));
  for (const p of quotePages) assert.ok(fetched.has(p), `${p} fetched`);
  assert.ok(fetched.has("/sitemap.xml"));
});

test("sitemap indexes and gzipped sitemaps are followed; out-of-scope entries are ignored", async (t) => {
  let origin = "";
  const server = createServer((req, res) => {
    const xml = (body: string) => `<?xml version="1.0"?>\n${body}`;
    switch (req.url) {
      case "/robots.txt":
        return res.writeHead(200, { "content-type": "text/plain" }).end(`User-agent: *\nDisallow: /blocked\nSitemap: ${origin}/index.xml\n`);
      case "/index.xml":
        return res.writeHead(200, { "content-type": "application/xml" }).end(xml(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${origin}/a.xml.gz</loc></sitemap><sitemap><loc>${origin}/b.xml</loc></sitemap></sitemapindex>`));
      case "/a.xml.gz":
        return res.writeHead(200, { "content-type": "application/x-gzip" }).end(gzipSync(xml(`<urlset><url><loc>${origin}/p1</loc></url><url><loc>${origin}/p2?b=2&amp;a=1</loc></url></urlset>`)));
      case "/b.xml":
        return res.writeHead(200, { "content-type": "text/xml" }).end(xml(`<urlset><url><loc><![CDATA[${origin}/p3]]></loc></url><url><loc>http://elsewhere.invalid/x</loc></url><url><loc>${origin}/blocked</loc></url></urlset>`));
      case "/sitemap.xml":
        return res.writeHead(404).end();
      default:
        return res.writeHead(200, { "content-type": "text/html" }).end("<p>page</p>");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise((r) => server.close(r)));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = new SqliteStore(join(tempDir(t), "g.db"));
  t.after(() => store.close());
  const summary = await crawl({ name: "sm2", start: origin + "/", follow: [], scope: { sitemaps: true } }, { db: store });
  const done = store.listRequests(summary.job, { state: "done", limit: 100 }).map((r) => r.url.slice(origin.length)).sort();
  assert.deepEqual(done, ["/", "/p1", "/p2?a=1&b=2", "/p3"]);
  const skipped = store.listRequests(summary.job, { state: "skipped", limit: 100 }).map((r) => r.url.slice(origin.length));
  assert.deepEqual(skipped, ["/blocked"], "robots rules still apply to sitemap URLs");
});
