/**
 * The modes at crawl level: a well-behaved crawler (obeys robots.txt, waits out
 * Retry-After, retries 503s, keeps cookies, sends a browser user agent, stays out of
 * traps) ends with exactly the manifest, and the server's log shows it was polite; a
 * careless one does not. Also robots mode's rules against an independent reader.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { selectAll, selectOne } from "css-select";
import type { Element } from "domhandler";
import { getAttributeValue } from "domutils";
import { parseDocument } from "htmlparser2";
import { startPracticeSite, type FileEntry, type PracticeMode, type PracticeSite } from "../src/practice/index.js";
import { charsetOf, rawBytes as raw, quotesIn, norm, type RawBytes as RawResponse } from "./support/practice-http.js";



const text = (res: RawResponse): string => res.body.toString("utf8");
const attr = (el: unknown, name: string): string | undefined => getAttributeValue(el as Element, name);
const hrefs = (html: string): string[] => selectAll("a[href]", parseDocument(html)).map((a) => attr(a, "href")!);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** The site's clock (same process): the request log's `at` and `retryUntil` use it. */
const now = (): number => performance.timeOrigin + performance.now();
const sortedJson = <T>(list: readonly T[]): string[] => list.map((x) => JSON.stringify(x)).sort();
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
const ALL_MODES: PracticeMode[] = ["ratelimit", "flaky", "robots", "cookies", "useragent", "trap", "slow", "js"];

/** A reference robots.txt reader (RFC 9309 longest match) for the group named `agent`. */
function robotsMatcher(txt: string, agent: string): (path: string) => boolean {
  const groups: { agents: string[]; rules: { allow: boolean; re: RegExp; length: number }[] }[] = [];
  let startNew = true;
  for (const line of txt.split("\n")) {
    const m = /^\s*([A-Za-z-]+)\s*:\s*(.*?)\s*$/.exec(line.replace(/#.*/, ""));
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    if (key === "user-agent") {
      if (startNew) groups.push({ agents: [], rules: [] });
      groups[groups.length - 1]!.agents.push(m[2]!.toLowerCase());
      startNew = false;
      continue;
    }
    startNew = true;
    if ((key === "allow" || key === "disallow") && m[2] && groups.length > 0) {
      const p = m[2];
      const re = new RegExp("^" + p.replace(/[.+?^{}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*"));
      groups[groups.length - 1]!.rules.push({ allow: key === "allow", re, length: p.length });
    }
  }
  const rules = groups.filter((g) => g.agents.includes(agent)).flatMap((g) => g.rules);
  return (path) => {
    let best: { allow: boolean; length: number } | null = null;
    for (const r of rules) {
      if (r.re.test(path) && (!best || r.length > best.length || (r.length === best.length && r.allow))) best = r;
    }
    return best !== null && !best.allow;
  };
}

test("robots: real rules, a configurable Crawl-delay, and a manifest of what they block", async (t) => {
  const s = await startPracticeSite({ pages: 60, modes: ["robots"], crawlDelay: 0.05 });
  t.after(() => s.close());
  const res = await raw(s.url + "/robots.txt");
  const body = text(res);
  assert.equal(res.headers["content-type"], "text/plain; charset=utf-8");
  assert.equal(body, `User-agent: *
Disallow: /private/
Disallow: /*.pdf$
Allow: /private/public-*
Crawl-delay: 0.05

User-agent: badbot
Disallow: /

Sitemap: ${s.url}/sitemap.xml
`);
  const m = s.manifest;
  assert.deepEqual(m.modes!.robots, { crawlDelay: 0.05, groups: { badbot: ["/"] } });
  assert.deepEqual([...m.disallowed!].sort(), ["/docs/manual.pdf", "/files/missing.pdf", "/files/report.pdf", "/private/", "/private/report-1"]);
  for (const p of ["/private/public-info", "/private/public-notes", "/docs/pdf-guide"]) assert.ok(m.pages.includes(p), p);
  for (const p of ["/private/public-guide.pdf", "/docs/manual.pdf?download=1"]) assert.ok(m.files.some((f) => f.path === p && f.contentType === "application/pdf"), p);
  assert.ok(!m.files.some((f) => f.path === "/files/report.pdf") && !m.notFound.includes("/files/missing.pdf"), "blocked paths are only in disallowed");
  assert.ok(![...m.pages, ...m.disallowed!].includes("/private/report-2"), "linked only from a blocked page");

  // The served rules and the manifest agree, read by an independent matcher.
  const blocked = robotsMatcher(body, "*");
  for (const p of m.disallowed!) assert.ok(blocked(p), `${p} is blocked`);
  for (const p of [...m.pages, ...m.notFound, ...m.files.map((f) => f.path)]) assert.ok(!blocked(p), `${p} is allowed`);
  assert.ok(robotsMatcher(body, "badbot")("/"), "badbot may fetch nothing");

  // Every listed path is linked from /, and robots.txt is advice: blocked pages still answer.
  const home = hrefs(text(await raw(s.url + "/")));
  for (const p of [...m.disallowed!.filter((p) => !p.startsWith("/files/")), "/private/public-info", "/docs/manual.pdf?download=1"]) assert.ok(home.includes(p), p);
  assert.equal((await raw(s.url + "/private/report-1")).status, 200);
  assert.ok(hrefs(text(await raw(s.url + "/private/"))).includes("/private/report-2"));
  const pdf = await raw(s.url + "/docs/manual.pdf?download=1");
  assert.equal(pdf.headers["content-type"], "application/pdf");
  assert.equal(pdf.body.subarray(0, 5).toString(), "%PDF-");
  const info = quotesIn(text(await raw(s.url + "/private/public-info")));
  assert.equal(info.length, 1);
  assert.ok(m.items.quote.some((q) => JSON.stringify(q) === JSON.stringify(info[0])));
  const secret = quotesIn(text(await raw(s.url + "/private/report-1")));
  assert.ok(!m.items.quote.some((q) => JSON.stringify(q) === JSON.stringify(secret[0])), "blocked pages' quotes are not items");
});

/** Canonical same-site path (sorted query, no fragment), or null for other origins. */
function canonical(href: string, base: string, origin: string): string | null {
  const u = new URL(href, base);
  if (u.origin !== origin) return null;
  u.hash = "";
  u.searchParams.sort();
  return u.pathname + u.search;
}

interface Manners { userAgent: string; obeyRobots: boolean; retry: boolean; cookies: boolean; avoid: readonly string[] }
interface Crawl {
  pages: Map<string, string>;
  files: FileEntry[];
  notFound: string[];
  disallowed: Set<string>;
  avoided: Set<string>;
  loops: string[];
  /** Final non-2xx, non-404 statuses. */
  failed: Map<string, number>;
}

/** A level-by-level crawl from `/` with the given manners. */
async function crawl(origin: string, o: Manners): Promise<Crawl> {
  const out: Crawl = { pages: new Map(), files: [], notFound: [], disallowed: new Set(), avoided: new Set(), loops: [], failed: new Map() };
  const jar = new Map<string, string>();
  const blocked = o.obeyRobots ? robotsMatcher(text(await raw(origin + "/robots.txt", { "user-agent": o.userAgent })), "*") : () => false;

  const get = async (path: string): Promise<RawResponse> => {
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { "user-agent": o.userAgent };
      if (jar.size > 0) headers["cookie"] = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
      const res = await raw(origin + path, headers);
      if (o.cookies) for (const c of res.headers["set-cookie"] ?? []) {
        const [pair] = c.split(";");
        jar.set(pair!.slice(0, pair!.indexOf("=")), pair!.slice(pair!.indexOf("=") + 1));
      }
      if (!o.retry || attempt > 4 || (res.status !== 429 && res.status !== 503)) return res;
      if (res.status === 429) {
        const ra = res.headers["retry-after"]!;
        const until = /^\d+$/.test(ra) ? now() + Number(ra) * 1000 : Date.parse(ra);
        while (now() < until) await sleep(until - now() + 1);
      }
    }
  };

  const seen = new Set<string>(["/"]);
  let level = ["/"];
  while (level.length > 0) {
    const next: string[] = [];
    let i = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (i < level.length) {
        let path = level[i++]!;
        if (o.avoid.some((p) => path.startsWith(p))) {
          out.avoided.add(path);
          continue;
        }
        if (blocked(path)) {
          out.disallowed.add(path);
          continue;
        }
        let res = await get(path);
        for (let hop = 0; res.status >= 300 && res.status < 400 && hop < 10; hop++) {
          path = canonical(res.headers.location!, origin + path, origin)!;
          res = await get(path);
        }
        const type = res.headers["content-type"] ?? "";
        if (res.status >= 300 && res.status < 400) out.loops.push(path);
        else if (res.status === 404) out.notFound.push(path);
        else if (res.status !== 200) out.failed.set(path, res.status);
        else if (!type.startsWith("text/html")) out.files.push({ path, contentType: type });
        else if (!out.pages.has(path)) {
          const html = new TextDecoder(charsetOf(res)).decode(res.body);
          out.pages.set(path, html);
          const doc = parseDocument(html);
          const baseEl = selectOne("base[href]", doc);
          const base = baseEl ? new URL(attr(baseEl, "href")!, origin + path).href : origin + path;
          for (const a of selectAll("a[href]", doc)) {
            const c = canonical(attr(a, "href")!, base, origin);
            if (c !== null && !seen.has(c)) {
              seen.add(c);
              next.push(c);
            }
          }
        }
      }
    }));
    level = next;
  }
  return out;
}

async function modesSite(t: { after(fn: () => unknown): void }): Promise<PracticeSite> {
  const s = await startPracticeSite({ pages: 60, seed: 4, modes: ALL_MODES, rateLimit: { perSecond: 0, pages: 6 }, slowMs: 50, crawlDelay: 0 });
  t.after(() => s.close());
  return s;
}

test("a well-behaved crawl with every mode on ends with exactly the manifest, politely", async (t) => {
  const s = await modesSite(t);
  const m = s.manifest;
  const c = await crawl(s.url, { userAgent: BROWSER, obeyRobots: true, retry: true, cookies: true, avoid: m.modes!.trap!.prefixes });

  assert.deepEqual([...c.failed], []);
  assert.deepEqual([...c.pages.keys()].sort(), [...m.pages].sort());
  assert.deepEqual(sortedJson(c.files), sortedJson(m.files));
  assert.deepEqual([...c.notFound].sort(), [...m.notFound].sort());
  assert.deepEqual([...c.disallowed].sort(), [...m.disallowed!].sort());
  assert.deepEqual(c.loops, ["/redirect/loop-a"]);
  for (const e of m.modes!.trap!.entrances) assert.ok(c.avoided.has(e), `${e} was linked and avoided`);
  const quotes = [...c.pages.values()].flatMap(quotesIn);
  assert.deepEqual(sortedJson(quotes), sortedJson(m.items.quote), "quote items, each once");

  // The log shows the manners: no request before a deadline, the right failures, nothing blocked fetched.
  const log = s.requestLog;
  for (const [i, e] of log.entries()) {
    if (e.retryUntil === undefined) continue;
    const again = log.slice(i + 1).find((x) => x.path === e.path);
    assert.ok(again && again.at >= e.retryUntil, `${e.path} retried at ${again?.at}, deadline ${e.retryUntil}`);
  }
  for (const p of m.modes!.ratelimit!.paths) assert.equal(log.find((e) => e.path === p)?.status, 429, p);
  for (const [p, n] of Object.entries(m.modes!.flaky!.failures)) {
    assert.deepEqual(log.filter((e) => e.path === p).map((e) => e.status), [...Array<number>(n).fill(503), 200], p);
  }
  const fetched = new Set(log.map((e) => e.path));
  for (const p of [...m.disallowed!, "/private/report-2"]) assert.ok(!fetched.has(p), `${p} never fetched`);
  assert.ok(log.every((e) => e.status !== 403), "a browser user agent is never refused");
});

test("a careless crawl is refused, rate-limited, bounced and lets robots.txt down", async (t) => {
  const s = await modesSite(t);
  const m = s.manifest;
  const c = await crawl(s.url, { userAgent: "python-requests/2.31.0", obeyRobots: false, retry: false, cookies: false, avoid: m.modes!.trap!.prefixes });
  assert.equal(c.failed.get("/ua/"), 403);
  for (const p of m.modes!.ratelimit!.paths) assert.equal(c.failed.get(p), 429, p);
  for (const p of Object.keys(m.modes!.flaky!.failures)) assert.equal(c.failed.get(p), 503, p);
  assert.ok(c.loops.includes("/members/"), "without cookies /members/ and /login bounce forever");
  assert.ok(c.pages.has("/private/report-2") && c.pages.has("/private/"), "blocked pages were fetched");
  assert.ok(!m.pages.includes("/private/report-2"));
  assert.equal(c.disallowed.size, 0);
});

