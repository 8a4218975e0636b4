/**
 * The practice site against its own manifest: a BFS crawl over real HTTP must find
 * exactly the manifest's pages, redirects, 404s and files, and a reference extraction
 * driven by examples/practice.yaml must yield exactly the manifest's items.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { selectAll } from "css-select";
import type { AnyNode, Element } from "domhandler";
import { getAttributeValue, textContent } from "domutils";
import { parseDocument } from "htmlparser2";
import { parse as parseYaml } from "yaml";
import { buildManifest, startPracticeSite, type FileEntry, type RedirectEntry, type SiteManifest } from "../src/practice/index.js";
import { charsetOf, rawBytes as raw, type RawBytes as RawResponse } from "./support/practice-http.js";

// ---------- HTTP without auto-decompression (support/practice-http.ts); decoding and links, the way a browser would ----------

const decode = (res: RawResponse): string => new TextDecoder(charsetOf(res)).decode(res.body);

const HREF = /<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const BASE = /<base\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;
const unescapeAttr = (s: string): string =>
  s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");

/** hrefs of `<a>` outside comments, and the document base. */
function links(html: string, pageUrl: string): { base: string; hrefs: string[] } {
  const text = html.replace(/<!--[\s\S]*?-->/g, "");
  const b = BASE.exec(text);
  const base = b ? new URL(unescapeAttr(b[1] ?? b[2] ?? b[3]!), pageUrl).href : pageUrl;
  const hrefs: string[] = [];
  for (const m of text.matchAll(HREF)) hrefs.push(unescapeAttr(m[1] ?? m[2] ?? m[3]!));
  return { base, hrefs };
}

/** Canonical same-site path (sorted query, no fragment), or null for other origins. */
function canonical(href: string, base: string, origin: string): string | null {
  const u = new URL(href, base);
  if (u.origin !== origin) return null;
  u.hash = "";
  u.searchParams.sort();
  return u.pathname + u.search;
}

// ---------- a BFS crawl ----------

interface CrawlResult {
  pages: Map<string, { depth: number; res: RawResponse; html: string }>;
  redirects: RedirectEntry[];
  redirectLoops: string[];
  notFound: string[];
  files: FileEntry[];
  /** Every canonical link seen on every page. */
  linked: Set<string>;
}

async function crawlSite(origin: string, concurrency = 32): Promise<CrawlResult> {
  const result: CrawlResult = { pages: new Map(), redirects: [], redirectLoops: [], notFound: [], files: [], linked: new Set() };
  const hops = new Map<string, RedirectEntry>();
  const seen = new Set<string>(["/"]);
  let level: string[] = ["/"];
  for (let depth = 0; level.length > 0; depth++) {
    const next: string[] = [];
    const enqueue = (path: string): void => {
      if (!seen.has(path)) {
        seen.add(path);
        next.push(path);
      }
    };
    let i = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (i < level.length) {
        const path = level[i++]!;
        const res = await raw(origin + path);
        if (res.status >= 300 && res.status < 400) {
          const to = canonical(res.headers.location!, origin + path, origin)!;
          hops.set(path, { from: path, to, status: res.status });
          enqueue(to);
        } else if (res.status === 404) {
          assert.match(res.headers["content-type"] ?? "", /^text\/html/, `404 body of ${path} is HTML`);
          result.notFound.push(path);
        } else if (res.status === 200 && /^text\/html/.test(res.headers["content-type"] ?? "")) {
          const html = decode(res);
          result.pages.set(path, { depth, res, html });
          const { base, hrefs } = links(html, origin + path);
          for (const href of hrefs) {
            const c = canonical(href, base, origin);
            if (c === null) continue;
            result.linked.add(c);
            enqueue(c);
          }
        } else {
          assert.equal(res.status, 200, `unexpected status for ${path}`);
          result.files.push({ path, contentType: res.headers["content-type"]! });
        }
      }
    }));
    level = next;
  }
  // Split redirect hops into chains that end at a page and cycles.
  for (const hop of hops.values()) {
    const visited = new Set<string>();
    let at = hop.from;
    while (hops.has(at) && !visited.has(at)) {
      visited.add(at);
      at = hops.get(at)!.to;
    }
    if (hops.has(at)) result.redirectLoops.push(hop.from);
    else result.redirects.push(hop);
  }
  return result;
}

const sorted = <T>(list: readonly T[]): T[] => [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

// ---------- a reference extraction driven by examples/practice.yaml ----------

type FieldIn = string | { selector?: string; attr?: string; all?: boolean; regex?: string; type?: string };
interface ItemIn { each?: string; when?: string; fields: Record<string, FieldIn> }

const SPEC = parseYaml(readFileSync(new URL("../../examples/practice.yaml", import.meta.url), "utf8")) as {
  extract: Record<string, ItemIn>;
};
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

function convert(s: string, type: string | undefined): unknown {
  switch (type) {
    case "number": return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : null;
    case "integer": return /^-?\d+$/.test(s) ? Number(s) : null;
    case "date": {
      if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
      const m = /^([A-Za-z]+) (\d{1,2}), (\d{4})$/.exec(s);
      const month = m ? MONTHS.indexOf(m[1]!.toLowerCase()) + 1 : 0;
      return month ? `${m![3]}-${String(month).padStart(2, "0")}-${m![2]!.padStart(2, "0")}` : null;
    }
    default: return s;
  }
}

function fieldValue(root: AnyNode, spec: FieldIn): unknown {
  const f = typeof spec === "string" ? { selector: spec } : spec;
  const els: AnyNode[] = f.selector ? selectAll(f.selector, root) : [root];
  const values = (f.all ? els : els.slice(0, 1)).map((el) => {
    let s = f.attr ? getAttributeValue(el as Element, f.attr) ?? "" : textContent(el);
    s = s.replace(/\s+/g, " ").trim();
    if (f.regex === "email") s = EMAIL.exec(s)?.[0] ?? "";
    else if (f.regex) {
      const m = new RegExp(f.regex.slice(1, f.regex.lastIndexOf("/"))).exec(s);
      s = m ? m[1] ?? m[0] : "";
    }
    return s === "" ? null : convert(s, f.type);
  });
  return f.all ? values.filter((v) => v !== null) : values[0] ?? null;
}

function extractItems(path: string, html: string): Record<string, Record<string, unknown>[]> {
  const doc = parseDocument(html);
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const [type, item] of Object.entries(SPEC.extract)) {
    const list = (out[type] = [] as Record<string, unknown>[]);
    if (item.when && !new RegExp("^" + item.when.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$").test(path)) continue;
    for (const root of item.each ? selectAll(item.each, doc) : [doc]) {
      const record: Record<string, unknown> = {};
      let any = false;
      for (const [name, f] of Object.entries(item.fields)) {
        record[name] = fieldValue(root, f);
        if (record[name] !== null && !(Array.isArray(record[name]) && (record[name] as unknown[]).length === 0)) any = true;
      }
      if (any) list.push(record);
    }
  }
  return out;
}

// ---------- tests ----------

test("a BFS crawl from / finds exactly the manifest, and the spec extracts exactly its items", async (t) => {
  const site = await startPracticeSite({ pages: 300, seed: 3 });
  t.after(() => site.close());
  const m = site.manifest;
  const crawl = await crawlSite(site.url);

  assert.equal(new Set(m.pages).size, m.pages.length, "manifest pages are unique");
  assert.deepEqual([...crawl.pages.keys()].sort(), [...m.pages].sort());
  assert.deepEqual(sorted(crawl.redirects), sorted(m.redirects));
  assert.deepEqual([...crawl.redirectLoops].sort(), [...m.redirectLoops].sort());
  assert.deepEqual([...crawl.notFound].sort(), [...m.notFound].sort());
  assert.deepEqual(sorted(crawl.files), sorted(m.files));

  // Every link on every page lands on something the manifest knows.
  const known = new Set([...m.pages, ...m.notFound, ...m.files.map((f) => f.path), ...m.redirects.map((r) => r.from), ...m.redirectLoops]);
  const unknown = [...crawl.linked].filter((l) => !known.has(l));
  assert.deepEqual(unknown, []);
  assert.ok(!crawl.linked.has("/secret/admin/"), "links inside comments are not links");
  assert.ok(!crawl.linked.has("/base/page/1/"), "<base href> applies to relative links");

  const maxDepth = Math.max(...[...crawl.pages.values()].map((p) => p.depth));
  assert.ok(maxDepth <= 50, `deepest page at depth ${maxDepth}, beyond the spec's maxDepth`);

  // Items: the reference extraction over every crawled page equals the manifest.
  const got: Record<string, Record<string, unknown>[]> = { quote: [], author: [], job: [], product: [] };
  for (const [path, page] of crawl.pages) {
    for (const [type, list] of Object.entries(extractItems(path, page.html))) got[type]!.push(...list);
  }
  for (const type of ["quote", "author", "job", "product"] as const) {
    const expected = m.items[type] as unknown as Record<string, unknown>[];
    assert.equal(new Set(expected.map((i) => JSON.stringify(i))).size, expected.length, `${type} items are unique`);
    assert.ok(expected.length > 0, `some ${type} items`);
    assert.deepEqual(sorted(got[type]!), sorted(expected), `${type} items`);
  }
  assert.equal(m.items.product.length, 50);
  assert.ok(m.items.quote.some((q) => q.text.includes("café à Zürich")), "the latin-1 quote decodes");
  assert.ok(m.items.quote.some((q) => q.author === "Zoë Ångström"), "the BOM page's quote decodes");
  assert.ok(m.items.author.every((a) => /^\d{4}-\d{2}-\d{2}$/.test(a.born) && a.email.includes("@") && !a.location.startsWith("in ")));

  // Pages weigh about 12 KB (benchmarks assume it).
  for (const prefix of ["/quotes/page/", "/author/", "/jobs/view/", "/tag/"]) {
    const sizes = [...crawl.pages].filter(([p]) => p.startsWith(prefix)).map(([, page]) => page.res.body.length);
    const avg = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    assert.ok(avg > 10_000 && avg < 16_000, `${prefix} pages average ${Math.round(avg)} bytes`);
  }
});

test("tiny sites are still fully linked: the crawl equals the manifest", async (t) => {
  for (const [pages, seed] of [[20, 1], [60, 5]] as const) {
    const site = await startPracticeSite({ pages, seed });
    t.after(() => site.close());
    const crawl = await crawlSite(site.url);
    assert.deepEqual([...crawl.pages.keys()].sort(), [...site.manifest.pages].sort(), `pages=${pages}`);
    assert.deepEqual(sorted(crawl.redirects), sorted(site.manifest.redirects));
  }
});

test("hard cases answer as documented: files, 404s, redirects, charsets, base, query order", async (t) => {
  const site = await startPracticeSite({ pages: 200 });
  t.after(() => site.close());
  const u = site.url;

  const pdf = await raw(u + "/files/report.pdf");
  assert.equal(pdf.headers["content-type"], "application/pdf");
  assert.equal(pdf.body.subarray(0, 5).toString(), "%PDF-");
  const png = await raw(u + "/files/logo.png");
  assert.equal(png.headers["content-type"], "image/png");
  assert.deepEqual([...png.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const json = await raw(u + "/files/data.json");
  assert.equal(json.headers["content-type"], "application/json");
  assert.equal(JSON.parse(json.body.toString()).products.length, 5);

  for (const path of [...site.manifest.notFound, "/nope", "/base/page/1/", "/quotes/page/0/", "/links/target?a=1&b=2&c=3", "/jobs/?page=999"]) {
    const res = await raw(u + path);
    assert.equal(res.status, 404, path);
    assert.match(res.body.toString(), /<html[\s\S]*Page not found/);
  }

  const start = await raw(u + "/redirect/start");
  assert.equal(start.status, 301);
  assert.equal(start.headers.location, "/redirect/middle");
  const middle = await raw(u + "/redirect/middle");
  assert.equal(middle.status, 302);
  assert.equal(middle.headers.location, "/redirect/end");
  assert.equal((await raw(u + "/redirect/end")).status, 200);
  assert.equal((await raw(u + "/redirect/loop-a")).headers.location, "/redirect/loop-b");
  assert.equal((await raw(u + "/redirect/loop-b")).headers.location, "/redirect/loop-a");
  const followed = await fetch(u + "/redirect/start");
  assert.equal(followed.url, u + "/redirect/end");

  const latin1 = await raw(u + "/latin1");
  assert.equal(latin1.headers["content-type"], "text/html; charset=ISO-8859-1");
  for (const word of ["café", "Zürich", "niño"]) {
    assert.ok(latin1.body.includes(Buffer.from(word, "latin1")), `${word} in latin-1 bytes`);
    assert.ok(!latin1.body.includes(Buffer.from(word, "utf8")), `${word} not in UTF-8 bytes`);
  }
  assert.match(decode(latin1), /&#8220;Un café à Zürich, dit le niño/);
  const meta = await raw(u + "/latin1-meta");
  assert.equal(meta.headers["content-type"], "text/html");
  assert.ok(meta.body.includes(Buffer.from('<meta charset="iso-8859-1">')));
  assert.ok(meta.body.includes(Buffer.from("niño", "latin1")));
  assert.match(decode(meta), /El niño pidió un café en Zürich/);
  const bom = await raw(u + "/bom");
  assert.equal(bom.headers["content-type"], "text/html");
  assert.deepEqual([...bom.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(bom.body.includes(Buffer.from("Malmö", "utf8")));

  const base = (await raw(u + "/base/")).body.toString();
  assert.match(base, /<base href="\/quotes\/">/);
  assert.match(base, /<a href="page\/2\/">/);

  const ab = await raw(u + "/links/target?a=1&b=2");
  const ba = await raw(u + "/links/target?b=2&a=1");
  assert.equal(ab.status, 200);
  assert.deepEqual(ba.body, ab.body);

  const linksPage = (await raw(u + "/links")).body.toString();
  const list = linksPage.slice(linksPage.indexOf('<ol class="links">'), linksPage.indexOf("</ol>"));
  const hrefs = links(list, u + "/links").hrefs;
  assert.equal(hrefs.length, 5000);
  assert.ok(hrefs.some((h) => h.startsWith(`HTTP://127.0.0.1:${site.port}/`)), "upper-case scheme variants");
  assert.ok(hrefs.some((h) => h.includes("#")), "fragment variants");
  assert.ok(hrefs.some((h) => /target\?b=\d+&a=\d+/.test(h)) && hrefs.some((h) => /target\?a=\d+&b=\d+/.test(h)), "both query orders");
  const targets = new Set(hrefs.map((h) => canonical(h, u + "/links", u)));
  assert.ok(targets.size < 300 && !targets.has(null), `5,000 links to ${targets.size} pages`);

  const robots = (await raw(u + "/robots.txt")).body.toString();
  assert.match(robots, /^User-agent: \*\nAllow: \/\n/);
  assert.ok(robots.includes(`Sitemap: ${u}/sitemap.xml`));
  const sitemap = await raw(u + "/sitemap.xml");
  assert.match(sitemap.headers["content-type"] ?? "", /^application\/xml/);
  const locs = [...sitemap.body.toString().matchAll(/<loc>([^<]+)<\/loc>/g)].map((x) => x[1]!.slice(u.length));
  assert.deepEqual(locs, site.manifest.pages.filter((p) => p.startsWith("/quotes/page/")));

  const post = await raw(u + "/", {}, "POST");
  assert.equal(post.status, 405);
  const head = await raw(u + "/table", {}, "HEAD");
  const get = await raw(u + "/table");
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(Number(head.headers["content-length"]), get.body.length);
});

test("compresses text when asked: gzip, br, q=0 honoured, binary files left alone", async (t) => {
  const site = await startPracticeSite({ pages: 200 });
  t.after(() => site.close());
  const url = site.url + "/quotes/page/1/";
  const plain = await raw(url);
  assert.equal(plain.headers["content-encoding"], undefined);

  const gz = await raw(url, { "accept-encoding": "gzip, deflate" });
  assert.equal(gz.headers["content-encoding"], "gzip");
  assert.equal(gz.headers["vary"], "Accept-Encoding");
  assert.ok(gz.body.length < plain.body.length / 2);
  assert.deepEqual(gunzipSync(gz.body), plain.body);
  assert.deepEqual((await raw(url, { "accept-encoding": "gzip" })).body, gz.body, "compressed form is reused");

  const br = await raw(url, { "accept-encoding": "gzip;q=0, br" });
  assert.equal(br.headers["content-encoding"], "br");
  assert.deepEqual(brotliDecompressSync(br.body), plain.body);
  assert.equal((await raw(url, { "accept-encoding": "identity" })).headers["content-encoding"], undefined);

  const latin1 = await raw(site.url + "/latin1", { "accept-encoding": "gzip" });
  assert.deepEqual(gunzipSync(latin1.body), (await raw(site.url + "/latin1")).body, "encoded bytes survive compression");
  const pdf = await raw(site.url + "/files/report.pdf", { "accept-encoding": "gzip" });
  assert.equal(pdf.headers["content-encoding"], undefined);
  assert.equal(pdf.body.subarray(0, 5).toString(), "%PDF-");
});

test("the same options give the same site; other seeds give another", async (t) => {
  assert.deepEqual(buildManifest({ pages: 300, seed: 9 }), buildManifest({ pages: 300, seed: 9 }));
  const other = buildManifest({ pages: 300, seed: 10 });
  const a = buildManifest({ pages: 300, seed: 9 });
  assert.notDeepEqual(other.items.quote, a.items.quote);
  assert.notDeepEqual(other.items.author, a.items.author);

  const s1 = await startPracticeSite({ pages: 300, seed: 9 });
  const s2 = await startPracticeSite({ pages: 300, seed: 9 });
  t.after(async () => {
    await s1.close();
    await s2.close();
  });
  assert.deepEqual(s1.manifest, a);
  // Pages render on demand, so ask in different orders: the bytes must not depend on it.
  const sample = a.pages.filter((_, i) => i % 7 === 0);
  const first = await Promise.all(sample.map((p) => raw(s1.url + p)));
  const second = await Promise.all([...sample].reverse().map((p) => raw(s2.url + p)));
  second.reverse();
  sample.forEach((p, i) => {
    // Only the port may differ (absolute links on /links).
    const normalize = (b: Buffer, port: number): string => b.toString("latin1").split(`127.0.0.1:${port}`).join("HOST");
    assert.equal(normalize(second[i]!.body, s2.port), normalize(first[i]!.body, s1.port), p);
  });
});

test("page counts track the pages option; 10,000 pages is mostly quotes and authors", () => {
  for (const pages of [200, 1000, 10_000]) {
    const m = buildManifest({ pages });
    assert.ok(Math.abs(m.pages.length - pages) <= pages * 0.01, `pages=${pages} gave ${m.pages.length}`);
    assert.equal(new Set(m.pages).size, m.pages.length);
    if (pages === 10_000) {
      const bulk = m.pages.filter((p) => p.startsWith("/quotes/page/") || p.startsWith("/author/")).length;
      assert.ok(bulk > 0.95 * pages, `${bulk} quote and author pages`);
      assert.equal(new Set(m.items.quote.map((q) => q.text)).size, m.items.quote.length, "quote texts unique");
      assert.equal(m.items.author.length, m.pages.filter((p) => p.startsWith("/author/")).length);
    }
  }
  const tiny = buildManifest({ pages: 20 });
  assert.ok(tiny.pages.includes("/quotes/page/2/") && tiny.items.author.length >= 1, "tiny sites still have every section");
});

test("a 10,000-page site answers a burst of 2,000 requests correctly", async (t) => {
  const site = await startPracticeSite({ pages: 10_000 });
  t.after(() => site.close());
  assert.ok(Math.abs(site.manifest.pages.length - 10_000) <= 100);
  const paths = Array.from({ length: 2000 }, (_, i) => site.manifest.pages[(i * 4999) % site.manifest.pages.length]!);
  let ok = 0;
  let quotes = 0;
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < paths.length) {
      const path = paths[next++]!;
      const res = await raw(site.url + path, next % 2 ? { "accept-encoding": "gzip" } : {});
      const body = res.headers["content-encoding"] === "gzip" ? gunzipSync(res.body) : res.body;
      if (res.status === 200 && res.body.length === Number(res.headers["content-length"]) && body.includes("</html>")) ok++;
      if (path.startsWith("/quotes/page/") && body.toString().split('<div class="quote"').length === 11) quotes++;
    }
  }));
  assert.equal(ok, 2000);
  assert.equal(quotes, paths.filter((p) => p.startsWith("/quotes/page/")).length);
  assert.ok(quotes > 0);
});

test("the request log records method, path, user agent and status when enabled", async (t) => {
  const site = await startPracticeSite({ pages: 200, log: true });
  const quiet = await startPracticeSite({ pages: 200 });
  t.after(async () => {
    await site.close();
    await quiet.close();
  });
  const before = Date.now();
  await raw(site.url + "/table?x=1", { "user-agent": "probe/1.0" });
  await raw(site.url + "/nope", { "user-agent": "probe/2.0" }, "HEAD");
  await raw(quiet.url + "/table");
  assert.equal(quiet.requestLog.length, 0);
  assert.deepEqual(site.requestLog.map(({ method, path, userAgent, status }) => ({ method, path, userAgent, status })), [
    { method: "GET", path: "/table?x=1", userAgent: "probe/1.0", status: 200 },
    { method: "HEAD", path: "/nope", userAgent: "probe/2.0", status: 404 },
  ]);
  for (const e of site.requestLog) assert.ok(Math.abs(e.at - before) < 60_000, "at is ms since the epoch");
});

test("main.js prints its URL as JSON, serves, and exits 0 on SIGTERM; bad flags exit 2", async () => {
  const main = new URL("../src/practice/main.js", import.meta.url).pathname;
  const child = spawn(process.execPath, [main, "--port", "0", "--pages", "300", "--seed", "2"], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.on("exit", () => reject(new Error("main.js exited before listening")));
  });
  const info = JSON.parse(line) as { url: string; pages: number };
  assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(info.pages, buildManifest({ pages: 300, seed: 2 }).pages.length);
  const home = await raw(info.url + "/");
  assert.equal(home.status, 200);
  child.kill("SIGTERM");
  assert.equal(await exited, 0);

  const bad = spawn(process.execPath, [main, "--pages", "many"], { stdio: "ignore" });
  assert.equal(await new Promise((resolve) => bad.on("exit", resolve)), 2);
  const unknown = spawn(process.execPath, [main, "--frobnicate"], { stdio: "ignore" });
  assert.equal(await new Promise((resolve) => unknown.on("exit", resolve)), 2);
});

test("the default manifest lists the redirect chain, the loop and the files", () => {
  const m: SiteManifest = buildManifest();
  assert.equal(m.pages[0], "/");
  assert.ok(Math.abs(m.pages.length - 200) <= 2);
  assert.deepEqual(m.redirects, [
    { from: "/redirect/start", to: "/redirect/middle", status: 301 },
    { from: "/redirect/middle", to: "/redirect/end", status: 302 },
  ]);
  assert.deepEqual(m.redirectLoops, ["/redirect/loop-a", "/redirect/loop-b"]);
  assert.deepEqual(m.files.map((f) => f.contentType), ["application/pdf", "application/json", "image/png"]);
});
