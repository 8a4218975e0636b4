/**
 * The practice site's opt-in modes, checked with plain HTTP: the default site stays
 * byte-for-byte the same, and each mode answers as README.md documents (statuses,
 * headers, cookies, robots.txt, traps, 429 deadlines in the log, slow pages).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { selectAll, selectOne } from "css-select";
import type { Element } from "domhandler";
import { getAttributeValue } from "domutils";
import { parseDocument } from "htmlparser2";
import { buildManifest, startPracticeSite, type PracticeSite, type QuoteItem } from "../src/practice/index.js";
import { raw, quotesIn } from "./support/practice-http.js";



const hrefs = (html: string): string[] => selectAll("a[href]", parseDocument(html)).map((a) => getAttributeValue(a as unknown as Element, "href")!);
const sha = (s: string): string => createHash("sha256").update(s).digest("hex");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const now = (): number => performance.timeOrigin + performance.now();
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

async function site(t: { after(fn: () => unknown): void }, opts: Parameters<typeof startPracticeSite>[0]): Promise<PracticeSite> {
  const s = await startPracticeSite(opts);
  t.after(() => s.close());
  return s;
}

// Computed from the code before modes existed (manifest JSON, home page, robots.txt with
// the origin replaced by ORIGIN): modes must not change the default site by one byte.
const DEFAULT_MANIFEST_300 = "7bd263a688867f394e4bd0e55a12af9c7c611fe4ebd0c5afb70d7d4832809a9d";
const DEFAULT_HOME_300 = "3e13926a50027be4711a47d1d6fc37d9285ae014b9a9d74ce4da59c084d1a612";
const DEFAULT_ROBOTS = "52610038e4fbd061f0d17702c4b72038bfb10b1e912f84e29f775ed681ffc4e3";

test("without modes the site is byte-for-byte the default one", async (t) => {
  assert.equal(sha(JSON.stringify(buildManifest({ pages: 300 }))), DEFAULT_MANIFEST_300);
  assert.equal(sha(JSON.stringify(buildManifest({ pages: 300, modes: [] }))), DEFAULT_MANIFEST_300);
  const m = buildManifest({ pages: 300 });
  assert.ok(!("modes" in m) && !("disallowed" in m), "no mode keys on the default manifest");

  const s = await site(t, { pages: 300 });
  assert.equal(sha(JSON.stringify(s.manifest)), DEFAULT_MANIFEST_300);
  assert.equal(sha((await raw(s.url + "/")).body), DEFAULT_HOME_300);
  assert.equal(sha((await raw(s.url + "/robots.txt")).body.split(s.url).join("ORIGIN")), DEFAULT_ROBOTS);
  for (const path of ["/limited/", "/flaky/1", "/private/", "/members/", "/login", "/ua/", "/calendar/2024/01/", "/trap/a/", "/search?q=x", "/slow/1", "/js/shell", "/api/quotes?page=1"]) {
    assert.equal((await raw(s.url + path)).status, 404, `${path} only exists in its mode`);
  }
  assert.deepEqual(s.requestLog, [], "no log unless asked (or modes are on)");
});

test("each mode adds its home links and pages; bad options stop with a typed error", async (t) => {
  const base = buildManifest({ pages: 60 });
  const expectPrefix: Record<string, string> = {
    ratelimit: "/limited/", flaky: "/flaky/", robots: "/private/public-", cookies: "/members/",
    useragent: "/ua/", slow: "/slow/", js: "/js/",
  };
  for (const [mode, prefix] of Object.entries(expectPrefix)) {
    const m = buildManifest({ pages: 60, modes: [mode as "js"] });
    const added = m.pages.filter((p) => !base.pages.includes(p));
    assert.ok(added.length > 0 && added.every((p) => p.startsWith(prefix) || p.startsWith("/docs/")), `${mode}: ${added.join(" ")}`);
    assert.ok(m.modes && mode in m.modes, `${mode} manifest`);
    assert.equal(new Set(m.items.quote.map((q) => q.text)).size, m.items.quote.length, `${mode}: quotes stay unique`);
  }
  const all = buildManifest({ pages: 60, modes: ["ratelimit", "flaky", "robots", "cookies", "useragent", "trap", "slow", "js"] });
  assert.equal(new Set(all.items.quote.map((q) => q.text)).size, all.items.quote.length, "all modes: quotes stay unique");
  assert.equal(new Set(all.pages).size, all.pages.length, "pages stay unique");

  const s = await site(t, { pages: 60, modes: ["flaky", "trap"] });
  const home = hrefs((await raw(s.url + "/")).body);
  for (const h of ["/flaky/", "/calendar/2024/01/", "/trap/a/", "/search?q=quotes&page=1&sort=relevance"]) assert.ok(home.includes(h), h);
  assert.ok(!home.includes("/limited/"));

  for (const bad of [{ modes: ["nope" as "js"] }, { rateLimit: { perSecond: -1 } }, { rateLimit: { retryAfter: 1.5 } }, { slowMs: Number.NaN }, { crawlDelay: -1 }]) {
    await assert.rejects(startPracticeSite(bad), (err: { code?: string }) => err.code === "GLEANER_ERR_PRACTICE_OPTIONS", JSON.stringify(bad));
  }
});

test("ratelimit: first request to each page gets 429 + Retry-After, logged with its deadline", async (t) => {
  const s = await site(t, { pages: 60, modes: ["ratelimit"], rateLimit: { perSecond: 0, pages: 6 } });
  const mr = s.manifest.modes!.ratelimit!;
  assert.deepEqual(mr.paths, ["/limited/1", "/limited/2", "/limited/3", "/limited/4", "/limited/5", "/limited/6"]);
  assert.deepEqual(mr.httpDate, ["/limited/3", "/limited/6"]);
  assert.ok(s.manifest.pages.includes("/limited/") && mr.paths.every((p) => s.manifest.pages.includes(p)));
  assert.deepEqual(hrefs((await raw(s.url + "/limited/")).body).filter((h) => h.startsWith("/limited/")), mr.paths);

  const quotes: QuoteItem[] = [];
  for (const path of mr.paths) {
    const sent = now();
    const first = await raw(s.url + path);
    assert.equal(first.status, 429, path);
    const header = first.headers["retry-after"]!;
    if (mr.httpDate.includes(path)) {
      const date = Date.parse(header);
      assert.match(header, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      assert.ok(date >= sent + 1000, "an HTTP-date never asks for less than the delay");
      const entry = s.requestLog.findLast((e) => e.path === path)!;
      assert.equal(entry.retryUntil, date, "the log holds the date sent");
    } else {
      assert.equal(header, "1");
      const entry = s.requestLog.findLast((e) => e.path === path)!;
      assert.equal(entry.status, 429);
      assert.ok(entry.retryUntil! >= entry.at + 1000, "deadline is a second after arrival");
    }
    const second = await raw(s.url + path);
    assert.equal(second.status, 200, `${path} after its 429`);
    assert.equal(second.headers["retry-after"], undefined);
    quotes.push(...quotesIn(second.body));
    assert.equal((await raw(s.url + path)).status, 200, "only the first request is refused");
  }
  const modeQuotes = new Set(quotes.map((q) => JSON.stringify(q)));
  assert.equal(modeQuotes.size, 6);
  for (const q of modeQuotes) assert.ok(s.manifest.items.quote.some((m) => JSON.stringify(m) === q), "page quotes are manifest items");
  assert.equal((await raw(s.url + "/limited/7")).status, 404);
  assert.equal(s.requestLog.filter((e) => e.status === 429).length, 6);
  assert.ok(s.requestLog.filter((e) => e.status !== 429).every((e) => e.retryUntil === undefined));
});

test("ratelimit: more than perSecond requests within a second get 429, site-wide; robots.txt is exempt", async (t) => {
  const perSecond = 3;
  const s = await site(t, { pages: 60, modes: ["ratelimit"], rateLimit: { perSecond } });
  const burst = await Promise.all(Array.from({ length: 8 }, () => raw(s.url + "/table")));
  const robots = await raw(s.url + "/robots.txt");
  assert.equal(robots.status, 200, "robots.txt is never limited");

  // Replay the rule over the server's own arrival times: it must explain every status.
  const log = s.requestLog.filter((e) => e.path === "/table");
  assert.equal(log.length, 8);
  for (const e of log) {
    const recent = s.requestLog.filter((o) => o.path !== "/robots.txt" && o.at <= e.at && o.at > e.at - 1000).length;
    if (s.requestLog.some((o) => Math.abs(o.at - (e.at - 1000)) < 5)) continue; // too close to the window's edge to call
    assert.equal(e.status, recent > perSecond ? 429 : 200);
  }
  const spread = Math.max(...log.map((e) => e.at)) - Math.min(...log.map((e) => e.at));
  if (spread < 900) assert.equal(burst.filter((r) => r.status === 200).length, perSecond, "one burst: exactly perSecond pass");
  const limited = burst.filter((r) => r.status === 429);
  assert.ok(limited.length > 0 || spread >= 900);
  for (const r of limited) assert.equal(r.headers["retry-after"], "1");
  const deadlines = log.filter((e) => e.status === 429).map((e) => e.retryUntil!);
  assert.ok(deadlines.every((d, i) => d >= log.filter((e) => e.status === 429)[i]!.at + 1000));

  // After the last deadline, the window has emptied: a polite client gets through.
  await sleep(Math.max(...deadlines) - now() + 5);
  assert.equal((await raw(s.url + "/table")).status, 200);

  // Warming renders every page without counting as traffic.
  const warmed = await site(t, { pages: 60, modes: ["ratelimit"], rateLimit: { perSecond: 1 }, warm: true });
  assert.equal((await raw(warmed.url + "/quotes/page/1/")).status, 200);
});

test("flaky: 503 without Retry-After once or twice per page, then 200 with a quote", async (t) => {
  const s = await site(t, { pages: 60, modes: ["flaky"] });
  const failures = s.manifest.modes!.flaky!.failures;
  assert.equal(Object.keys(failures).length, 10);
  assert.deepEqual(new Set(Object.values(failures)), new Set([1, 2]));
  for (const [path, count] of Object.entries(failures)) {
    for (let i = 0; i < count; i++) {
      const res = await raw(s.url + path);
      assert.equal(res.status, 503, `${path} attempt ${i + 1}`);
      assert.equal(res.headers["retry-after"], undefined);
    }
    const ok = await raw(s.url + path);
    assert.equal(ok.status, 200, `${path} after ${count} failures`);
    const [q] = quotesIn(ok.body);
    assert.ok(q && s.manifest.items.quote.some((m) => JSON.stringify(m) === JSON.stringify(q)));
    assert.equal((await raw(s.url + path)).status, 200, "stays up");
  }
  // Counts are per site: a fresh one fails again.
  const fresh = await site(t, { pages: 60, modes: ["flaky"] });
  assert.equal((await raw(fresh.url + "/flaky/1")).status, 503);
});

test("cookies: members pages redirect to /login, which sets the session and sends you back", async (t) => {
  const s = await site(t, { pages: 60, modes: ["cookies"] });
  const mc = s.manifest.modes!.cookies!;
  assert.deepEqual(mc, { cookie: "session", login: "/login", paths: ["/members/", "/members/1", "/members/2", "/members/3", "/members/4", "/members/5"] });

  const bounce = await raw(s.url + "/members/3");
  assert.equal(bounce.status, 302);
  assert.equal(bounce.headers.location, "/login?next=%2Fmembers%2F3");
  assert.equal(bounce.headers["set-cookie"], undefined);
  const login = await raw(s.url + bounce.headers.location);
  assert.equal(login.status, 302);
  assert.equal(login.headers.location, "/members/3");
  const setCookie = login.headers["set-cookie"]!;
  assert.equal(setCookie.length, 1);
  assert.match(setCookie[0]!, /^session=[A-Za-z0-9_-]{16,}; Path=\/; HttpOnly$/);
  const cookie = setCookie[0]!.split(";")[0]!;

  const quotes: string[] = [];
  for (const path of mc.paths) {
    const res = await raw(s.url + path, { cookie: `theme=dark; ${cookie}` });
    assert.equal(res.status, 200, path);
    for (const q of quotesIn(res.body)) quotes.push(JSON.stringify(q));
  }
  assert.equal(quotes.length, 5);
  for (const q of quotes) assert.ok(s.manifest.items.quote.some((m) => JSON.stringify(m) === q));
  assert.deepEqual(hrefs((await raw(s.url + "/members/", { cookie })).body).filter((h) => h.startsWith("/members/")), mc.paths.slice(1));

  // Forged or missing cookies bounce; a query survives the trip; next cannot leave the site.
  assert.equal((await raw(s.url + "/members/1", { cookie: "session=forged" })).status, 302);
  assert.equal((await raw(s.url + "/members/?a=1&b=2")).headers.location, "/login?next=%2Fmembers%2F%3Fa%3D1%26b%3D2");
  assert.equal((await raw(s.url + "/login?next=%2F%2Fevil.example%2F")).headers.location, "/members/");
  assert.equal((await raw(s.url + "/login?next=https%3A%2F%2Fevil.example%2F")).headers.location, "/members/");
  assert.equal((await raw(s.url + "/login")).headers.location, "/members/");
  assert.equal((await raw(s.url + "/login?next=%2Fmembers%2F%0D%0ASet-Cookie%3A%20x%3D1")).headers.location, "/members/", "no header injection");
  assert.equal((await raw(s.url + "/members/6", { cookie })).status, 404);

  // Without a jar, following redirects never ends at the page.
  let at = "/members/1";
  for (let hop = 0; hop < 6; hop++) {
    const res = await raw(s.url + at);
    assert.equal(res.status, 302);
    at = res.headers.location!;
  }
});

test("useragent: scripts' user agents get 403, others 200", async (t) => {
  const s = await site(t, { pages: 60, modes: ["useragent"] });
  const mu = s.manifest.modes!.useragent!;
  assert.equal(mu.paths.length, 6);
  const blocked = ["python-requests/2.31.0", "curl/8.5.0", "CURL/7", "", "Mozilla/5.0 (compatible; BadBot/1.0)", "badbot"];
  const allowed = [BROWSER, "gleaner/0.1 (+https://example.org/bot)", "Wget/1.21"];
  for (const path of mu.paths) {
    for (const ua of blocked) assert.equal((await raw(s.url + path, { "user-agent": ua })).status, 403, `${path} ${JSON.stringify(ua)}`);
    assert.equal((await raw(s.url + path)).status, 403, "no User-Agent header at all");
    for (const ua of allowed) assert.equal((await raw(s.url + path, { "user-agent": ua })).status, 200, `${path} ${ua}`);
  }
  const page = await raw(s.url + "/ua/2", { "user-agent": BROWSER });
  assert.ok(s.manifest.items.quote.some((m) => JSON.stringify(m) === JSON.stringify(quotesIn(page.body)[0])));
  assert.equal((await raw(s.url + "/table")).status, 200, "other sections do not check");
  assert.deepEqual(s.requestLog.find((e) => e.userAgent === "curl/8.5.0")?.status, 403);
});

test("trap: calendars, repeated segments and search parameters keep generating new pages", async (t) => {
  const s = await site(t, { pages: 60, modes: ["trap"] });
  const mt = s.manifest.modes!.trap!;
  assert.deepEqual(mt.entrances, ["/calendar/2024/01/", "/trap/a/", "/search?page=1&q=quotes&sort=relevance"]);
  assert.ok(s.manifest.pages.every((p) => !mt.prefixes.some((x) => p.startsWith(x))), "no trap page is a page");
  const link = (html: string, cls: string): string | undefined => {
    const a = selectOne(`a.${cls}`, parseDocument(html));
    return a ? getAttributeValue(a as unknown as Element, "href") : undefined;
  };

  // Months forward across year ends, then back past where we started.
  const seen = new Set<string>();
  let path = "/calendar/2024/01/";
  for (let i = 0; i < 40; i++) {
    const res = await raw(s.url + path);
    assert.equal(res.status, 200, path);
    seen.add(path);
    path = link(res.body, "next")!;
  }
  assert.equal(path, "/calendar/2027/05/");
  for (let i = 0; i < 45; i++) path = link((await raw(s.url + path)).body, "prev")!;
  assert.equal(path, "/calendar/2023/08/");
  assert.equal(seen.size, 40);
  const feb = (await raw(s.url + "/calendar/2024/02/")).body;
  assert.match(feb, /<td>29<\/td><\/tr>/);
  assert.match(feb, /<tr><td><\/td><td><\/td><td><\/td><td><\/td><td>1<\/td>/, "1 Feb 2024 was a Thursday");
  assert.doesNotMatch((await raw(s.url + "/calendar/2023/02/")).body, /<td>29<\/td>/);
  assert.equal(link((await raw(s.url + "/calendar/0001/01/")).body, "prev"), undefined);
  assert.equal(link((await raw(s.url + "/calendar/275760/12/")).body, "next"), "/calendar/275761/01/", "beyond what Date can hold");
  for (const bad of ["/calendar/2024/13/", "/calendar/2024/1/", "/calendar/0000/05/"]) assert.equal((await raw(s.url + bad)).status, 404, bad);

  // One more level each time, resolved relative to the page.
  let url = s.url + "/trap/a/";
  for (let depth = 1; depth <= 60; depth++) {
    const res = await raw(url);
    assert.equal(res.status, 200);
    assert.match(res.body, new RegExp(`<h1>Depth ${depth}</h1>`));
    url = new URL(hrefs(res.body).find((h) => h === "a/")!, url).href;
  }
  assert.equal((await raw(s.url + "/trap/b/")).status, 404);

  // Search: a BFS over 150 result pages never runs out of unseen links.
  const queue = [mt.entrances[2]!];
  const visited = new Set<string>();
  while (visited.size < 150) {
    const next = queue.shift()!;
    if (visited.has(next)) continue;
    visited.add(next);
    const res = await raw(s.url + next);
    assert.equal(res.status, 200, next);
    const links = hrefs(res.body).filter((h) => h.startsWith("/search?")).map((h) => {
      const u = new URL(h, s.url);
      u.searchParams.sort();
      return u.pathname + u.search;
    });
    assert.ok(links.length >= 4, next);
    queue.push(...links.filter((l) => !visited.has(l)));
  }
  assert.ok(queue.some((l) => !visited.has(l)), "still more to see");
  assert.ok([...visited].some((v) => v.includes("filter=")) && [...visited].some((v) => /page=[3-9]/.test(v)));
  assert.equal((await raw(s.url + "/search?page=1")).status, 404, "q is required");
  assert.equal((await raw(s.url + "/search?q=x&sort=random")).status, 404);

  const home = hrefs((await raw(s.url + "/")).body);
  for (const e of mt.entrances) {
    assert.ok(home.some((h) => {
      const u = new URL(h, s.url);
      u.searchParams.sort();
      return u.pathname + u.search === e;
    }), `${e} is linked from /`);
  }
});

test("slow: pages answer no sooner than slowMs after the request", async (t) => {
  const s = await site(t, { pages: 60, modes: ["slow"], slowMs: 300 });
  assert.deepEqual(s.manifest.modes!.slow, { delayMs: 300, paths: ["/slow/1", "/slow/2", "/slow/3", "/slow/4", "/slow/5"] });
  const started = now();
  const all = await Promise.all(s.manifest.modes!.slow!.paths.map((p) => raw(s.url + p)));
  assert.ok(now() - started >= 300, "answered after at least 300 ms");
  for (const res of all) assert.equal(quotesIn(res.body).length, 1);
  for (const e of s.requestLog) assert.equal(e.status, 200);
  const index = await raw(s.url + "/slow/");
  assert.deepEqual(hrefs(index.body).filter((h) => h.startsWith("/slow/")), s.manifest.modes!.slow!.paths);
});

test("slow: close() clears pending timers, so nothing keeps the process alive", async () => {
  // In a child process, so no other timer can blur the count.
  const index = new URL("../src/practice/index.js", import.meta.url).href;
  const script = `
import { request } from "node:http";
import { startPracticeSite } from ${JSON.stringify(index)};
const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
const site = await startPracticeSite({ modes: ["slow"], slowMs: 600000 });
const before = timeouts();
const failed = new Promise((resolve) => {
  const req = request(site.url + "/slow/1", { agent: false }, () => resolve("answered"));
  req.on("error", () => resolve("closed"));
  req.end();
});
while (timeouts() === before) await new Promise((r) => setImmediate(r));
await site.close();
console.log(JSON.stringify({ outcome: await failed, pending: timeouts() - before }));
process.exit(0); // a timer close() missed must fail the assertion, not hang the test
`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), { outcome: "closed", pending: 0 });
});

test("main.js --modes serves the modes; an unknown mode is a usage error", async () => {
  const main = fileURLToPath(new URL("../src/practice/main.js", import.meta.url));
  const bad = spawn(process.execPath, [main, "--modes", "robots,nope"], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  bad.stderr.on("data", (c: Buffer) => (err += c.toString()));
  assert.equal(await new Promise((r) => bad.on("exit", r)), 2);
  assert.match(err, /--modes: "nope" is not one of ratelimit, flaky, robots/);

  const child = spawn(process.execPath, [main, "--port", "0", "--pages", "60", "--cold", "--modes", "robots,useragent"], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const line = await new Promise<string>((resolve) => {
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
      });
    });
    const { url, pages } = JSON.parse(line) as { url: string; pages: number };
    assert.equal(pages, buildManifest({ pages: 60, modes: ["robots", "useragent"] }).pages.length);
    assert.match((await raw(url + "/robots.txt")).body, /Disallow: \/private\/\n/);
    assert.equal((await raw(url + "/ua/1", { "user-agent": "curl/8" })).status, 403);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.on("exit", r));
  }
});
