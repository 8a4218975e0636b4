/**
 * Browser fetcher against real Chromium and a node:http site on 127.0.0.1: JS-rendered
 * content, waitFor, actions (load more, infinite scroll, forms), redirects, non-HTML types,
 * dialogs, resource blocking, cookies, headers, screenshots and error codes.
 * Needs /usr/bin/chromium: run scripts/ensure-chromium.sh first (CI does).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { FetchError } from "../src/fetch/index.js";
import { createBrowserFetcher, DEFAULT_CHROMIUM, type BrowserFetcher, type BrowserFetchRequest } from "../src/fetch/browser/index.js";
import { tempDir } from "./support/tmp.js";
import { rejectsWith } from "./support/fetch-errors.js";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
  "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");

/** Requests the site saw, by path (query excluded). */
const seen = new Map<string, number>();
const seenHeaders = new Map<string, http.IncomingHttpHeaders>();
let base = "";
let server: http.Server;
let fetcher: BrowserFetcher;

function html(res: http.ServerResponse, body: string, status = 200, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
  res.end(`<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`);
}

const LOAD_MORE = `<ul id="list"><li class="item">1</li><li class="item">2</li><li class="item">3</li></ul>
<button id="more">Load more</button>
<script>
  let page = 1;
  const btn = document.getElementById("more");
  btn.addEventListener("click", async () => {
    btn.disabled = true; // loading
    const items = await (await fetch("/more-data?page=" + page)).json();
    for (const i of items) { const li = document.createElement("li"); li.className = "item"; li.textContent = i; list.append(li); }
    page++;
    if (page > 3) btn.remove(); else btn.disabled = false;
  });
</script>`;

const INFINITE = `<style>.row { height: 400px }</style><div id="feed"></div>
<script>
  const feed = document.getElementById("feed");
  let n = 0;
  const add = () => { for (let i = 0; i < 5; i++) { const d = document.createElement("div"); d.className = "row"; d.textContent = "row " + (++n); feed.append(d); } };
  add();
  addEventListener("scroll", () => { if (scrollY + innerHeight >= document.documentElement.scrollHeight - 10) add(); });
</script>`;

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = (req.url ?? "/").split("?")[0]!;
  seen.set(path, (seen.get(path) ?? 0) + 1);
  seenHeaders.set(path, req.headers);
  switch (path) {
    case "/js":
      return html(res, `<div id="out"></div><script>document.getElementById("out").textContent = "rendered " + (6 * 7);</script>`);
    case "/xhr":
      return html(res, `<ul id="items"></ul><script>
        addEventListener("load", async () => {
          const data = await (await fetch("/data.json")).json();
          document.getElementById("items").innerHTML = data.items.map((x) => '<li class="item">' + x + "</li>").join("");
        });</script>`);
    case "/data.json":
      // Late on purpose: only waitFor makes the fetch see the items.
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ items: ["alpha", "beta", "gamma"] }));
      }, 300);
      return;
    case "/more":
      return html(res, LOAD_MORE);
    case "/more-data": {
      const page = Number(new URL(req.url!, "http://x").searchParams.get("page"));
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify([`p${page}a`, `p${page}b`, `p${page}c`]));
      }, 50);
      return;
    }
    case "/scroll":
      return html(res, INFINITE);
    case "/form":
      return html(res, `<form method="post" action="/login"><input id="user" name="user"><input id="pass" name="pass" type="password"><button>Go</button></form>`);
    case "/form-no-button":
      return html(res, `<form id="f" method="post" action="/login"><input id="user" name="user"></form>`);
    case "/login": {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => { body += c; });
      req.on("end", () => {
        const user = new URLSearchParams(body).get("user") ?? "";
        html(res, `<p id="welcome">Welcome ${user} (${req.method})</p>`);
      });
      return;
    }
    case "/r1":
      res.writeHead(301, { location: "/r2" });
      return void res.end();
    case "/r2":
      res.writeHead(302, { location: "/final" });
      return void res.end();
    case "/final":
      return html(res, `<p>landed</p>`);
    case "/doc.pdf":
      res.writeHead(200, { "content-type": "application/pdf", "content-length": PDF.length });
      return void res.end(PDF);
    case "/dialogs":
      return html(res, `<p id="p"></p><script>alert("hello"); document.getElementById("p").textContent = confirm("sure?") ? "confirmed" : "dismissed";</script>`);
    case "/assets":
      return html(res, `<link rel="stylesheet" href="/style.css"><img src="/pixel.png" alt="">`);
    case "/style.css":
      res.writeHead(200, { "content-type": "text/css" });
      return void res.end("p { color: red }");
    case "/pixel.png":
      res.writeHead(200, { "content-type": "image/png" });
      return void res.end(PNG);
    case "/cookies":
      return html(res, `<p id="c"></p><script>document.getElementById("c").textContent = "seen:" + document.cookie;</script>`,
        200, { "set-cookie": "fromserver=s1; Path=/" });
    case "/echo":
      return html(res, `<p id="ua">${req.headers["user-agent"]}</p><p id="x">${req.headers["x-test"] ?? "none"}</p>`);
    case "/hang":
      return; // never answers: the deadline must
    case "/missing":
      return html(res, `<h1>Not here</h1>`, 404);
    default:
      return html(res, `<p>page ${path}</p>`);
  }
}

function req(path: string, extra: Partial<BrowserFetchRequest> = {}): BrowserFetchRequest {
  return { url: base + path, userAgent: "gleaner-test/1", timeoutMs: 10_000, maxRedirects: 10, maxBodyBytes: 1024 * 1024, ...extra };
}


const count = (text: string | null, needle: string): number => (text ?? "").split(needle).length - 1;

before(async () => {
  if (!existsSync(DEFAULT_CHROMIUM)) {
    throw new Error(`Chromium is missing at ${DEFAULT_CHROMIUM}: run scripts/ensure-chromium.sh (installs Debian's chromium)`);
  }
  server = http.createServer(route);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fetcher = createBrowserFetcher();
});

after(async () => {
  await fetcher?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server ? server.close(() => resolve()) : resolve());
});

test("content built by an inline script is in the rendered text", async () => {
  const page = await fetcher.fetch(req("/js"));
  assert.equal(page.status, 200);
  assert.equal(page.isHtml, true);
  assert.equal(page.contentType, "text/html");
  assert.equal(page.charset, "utf-8");
  assert.match(page.text!, /<div id="out">rendered 42<\/div>/);
  assert.equal(page.bodyBytes, Buffer.byteLength(page.text!));
  assert.equal(page.finalUrl, base + "/js");
});

test("waitFor waits for content rendered from a late XHR", async () => {
  const page = await fetcher.fetch(req("/xhr", { waitFor: "li.item" }));
  const list = /<ul id="items">(.*?)<\/ul>/.exec(page.text!)![1];
  assert.equal(list, `<li class="item">alpha</li><li class="item">beta</li><li class="item">gamma</li>`);
  assert.equal(seen.get("/data.json"), 1);
});

test("click until-gone presses 'load more' until the button disappears", async () => {
  const page = await fetcher.fetch(req("/more", { actions: [{ click: "#more", repeat: "until-gone" }] }));
  assert.equal(count(page.text, `<li class="item">`), 12); // 3 + 3 pages of 3
  assert.match(page.text!, /p3c/);
  assert.doesNotMatch(page.text!, /id="more"/);
  assert.equal(seen.get("/more-data"), 3);
});

test("click with a number repeats that many times", async () => {
  const page = await fetcher.fetch(req("/more", { actions: [{ click: "#more", repeat: 2, waitMs: 100 }, { waitFor: "li:nth-child(9)" }] }));
  assert.equal(count(page.text, `<li class="item">`), 9);
  assert.match(page.text!, /id="more"/);
});

test("scroll to the bottom N times loads N more batches", async () => {
  const page = await fetcher.fetch(req("/scroll", { actions: [{ scroll: "bottom", times: 3, waitMs: 50 }] }));
  assert.equal(count(page.text, `class="row"`), 20); // 5 + 3 x 5
  assert.match(page.text!, />row 20</);
});

test("fill and submit a form: the result page is returned", async () => {
  const page = await fetcher.fetch(req("/form", { actions: [{ fill: "#user", value: "ada" }, { fill: "#pass", value: "x" }, { submit: "form" }] }));
  assert.equal(page.status, 200);
  assert.equal(page.finalUrl, base + "/login");
  assert.match(page.text!, /Welcome ada \(POST\)/);
});

test("submit on a form without a button uses requestSubmit", async () => {
  const page = await fetcher.fetch(req("/form-no-button", { actions: [{ fill: "#user", value: "bob" }, { submit: "#f" }] }));
  assert.equal(page.finalUrl, base + "/login");
  assert.match(page.text!, /Welcome bob \(POST\)/);
});

test("a redirect chain gives the final status and URL and every hop", async () => {
  const page = await fetcher.fetch(req("/r1"));
  assert.equal(page.status, 200);
  assert.equal(page.finalUrl, base + "/final");
  assert.match(page.text!, /landed/);
  assert.deepEqual(page.redirects, [
    { url: base + "/r1", status: 301, location: "/r2" },
    { url: base + "/r2", status: 302, location: "/final" },
  ]);
  await rejectsWith(fetcher.fetch(req("/r1", { maxRedirects: 1 })), "GLEANER_ERR_TOO_MANY_REDIRECTS", "skip");
});

test("a 404 is returned, not thrown", async () => {
  const page = await fetcher.fetch(req("/missing"));
  assert.equal(page.status, 404);
  assert.match(page.text!, /Not here/);
});

test("a PDF is recorded with its type and no text", async () => {
  const page = await fetcher.fetch(req("/doc.pdf", { waitFor: "never-checked-on-a-pdf" }));
  assert.equal(page.status, 200);
  assert.equal(page.contentType, "application/pdf");
  assert.equal(page.isHtml, false);
  assert.equal(page.text, null);
  assert.equal(page.bodyBytes, PDF.length);
  // Chromium hands its PDF viewer out instead of the bytes: no body rather than a wrong one.
  const kept = await fetcher.fetch(req("/doc.pdf", { keepBody: true }));
  assert.equal(kept.body, undefined);
});

test("JSON is returned as served, not as the browser's viewer markup", async () => {
  const page = await fetcher.fetch(req("/data.json", { keepBody: true }));
  assert.equal(page.contentType, "application/json");
  assert.equal(page.isHtml, false);
  assert.deepEqual(JSON.parse(page.text!), { items: ["alpha", "beta", "gamma"] });
  assert.equal(page.body!.toString("utf8"), page.text);
  assert.equal(page.bodyBytes, page.body!.length);
});

test("alert and confirm dialogs are dismissed and the page goes on", async () => {
  const page = await fetcher.fetch(req("/dialogs", { timeoutMs: 5_000 }));
  assert.match(page.text!, /<p id="p">dismissed<\/p>/);
});

test("images are blocked by default, stylesheets are not; blocking can be turned off", async () => {
  seen.delete("/pixel.png");
  seen.delete("/style.css");
  await fetcher.fetch(req("/assets"));
  assert.equal(seen.get("/style.css"), 1);
  assert.equal(seen.get("/pixel.png"), undefined);

  const open = createBrowserFetcher({ blockResources: [] });
  try {
    await open.fetch(req("/assets"));
  } finally {
    await open.close();
  }
  assert.equal(seen.get("/pixel.png"), 1);
});

test("seeded cookies reach the server and the page; the session's cookies are returned", async () => {
  const page = await fetcher.fetch(req("/cookies", {
    session: "cookie-test",
    cookies: [
      { name: "visible", value: "v1", domain: "127.0.0.1", path: "/" },
      { name: "secret", value: "s3", domain: "127.0.0.1", path: "/", httpOnly: true },
    ],
  }));
  const shown = /<p id="c">([^<]*)<\/p>/.exec(page.text!)![1]!;
  assert.match(shown, /visible=v1/);
  assert.doesNotMatch(shown, /secret/); // HttpOnly: not visible to scripts
  assert.match(seenHeaders.get("/cookies")!.cookie ?? "", /secret=s3/);
  const names = page.cookies.map((c) => `${c.name}=${c.value}`).sort();
  assert.deepEqual(names, ["fromserver=s1", "secret=s3", "visible=v1"]);
  assert.equal(page.cookies.find((c) => c.name === "secret")!.httpOnly, true);
  assert.match(page.headers["set-cookie"] ?? "", /fromserver=s1/);

  // Sessions are separate contexts: another one only has what the site set on it.
  const other = await fetcher.fetch(req("/cookies", { session: "other" }));
  assert.match(other.text!, /<p id="c">seen:fromserver=s1<\/p>/);
  assert.deepEqual(other.cookies.map((c) => c.name), ["fromserver"]);
});

test("an HTTP session's cookie jar is shared both ways", async () => {
  const stored: { url: string; lines: string[] }[] = [];
  const jar = {
    header: (url: string) => (url.startsWith(base) ? "jarcookie=j1" : ""),
    store: (url: string, lines: string[]) => { stored.push({ url, lines }); },
  };
  const page = await fetcher.fetch(req("/cookies", { session: "jar-test", cookies: jar }));
  assert.match(page.text!, /jarcookie=j1/);
  assert.match(seenHeaders.get("/cookies")!.cookie ?? "", /jarcookie=j1/);
  // What the browser got from the site goes back to the jar; the jar's own cookie is not echoed.
  assert.deepEqual(stored.map((s) => s.lines[0]!.split(";")[0]), ["fromserver=s1"]);
  assert.equal(stored[0]!.url, "http://127.0.0.1/");
});

test("user agent and extra headers are sent", async () => {
  const page = await fetcher.fetch(req("/echo", { session: "ua", userAgent: "first-ua/1", headers: { "X-Test": "yes" } }));
  assert.match(page.text!, /<p id="ua">first-ua\/1<\/p>/);
  assert.match(page.text!, /<p id="x">yes<\/p>/);
  // Same session, another user agent and no extra header.
  const next = await fetcher.fetch(req("/echo", { session: "ua", userAgent: "second-ua/2" }));
  assert.match(next.text!, /<p id="ua">second-ua\/2<\/p>/);
  assert.match(next.text!, /<p id="x">none<\/p>/);
});

test("a full-page screenshot is written", async (t) => {
  const path = join(tempDir(t), "shot.png");
  await fetcher.fetch(req("/scroll", { screenshotPath: path }));
  const png = readFileSync(path);
  assert.ok(png.length > 100);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.readUInt32BE(20) > 720, "full page: taller than the viewport"); // IHDR height
});

test("errors carry the HTTP fetcher's codes", async () => {
  await rejectsWith(fetcher.fetch(req("/hang", { timeoutMs: 500 })), "GLEANER_ERR_FETCH_TIMEOUT", "retry");
  // A budget the navigation of a tiny page fits in even on a busy machine, so waitFor is what times out.
  const err = await rejectsWith(fetcher.fetch(req("/js", { waitFor: "#never", timeoutMs: 3_000 })), "GLEANER_ERR_FETCH_TIMEOUT", "retry");
  assert.match(err.message, /waitFor #never/);
  await rejectsWith(fetcher.fetch(req("/js", { waitFor: "div[" })), "GLEANER_ERR_FETCH_BAD_REQUEST", "skip");
  await rejectsWith(fetcher.fetch(req("", { url: "file:///etc/passwd" })), "GLEANER_ERR_BAD_URL", "skip");
  await rejectsWith(fetcher.fetch(req("/js", { maxBodyBytes: 50 })), "GLEANER_ERR_BODY_TOO_LARGE", "skip");

  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const refused = await rejectsWith(fetcher.fetch(req("", { url: `http://127.0.0.1:${port}/` })), "GLEANER_ERR_FETCH_NETWORK", "retry");
  assert.match(refused.message, /connection refused/);

  // The fetcher is still fine after all that.
  const page = await fetcher.fetch(req("/js"));
  assert.match(page.text!, /rendered 42/);
});

test("the caller's signal aborts a fetch", async () => {
  const ac = new AbortController();
  const p = fetcher.fetch(req("/hang", { signal: ac.signal }));
  setTimeout(() => ac.abort(), 100);
  await rejectsWith(p, "GLEANER_ERR_FETCH_ABORTED", "retry");
});
