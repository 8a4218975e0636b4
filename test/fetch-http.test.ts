/**
 * HTTP fetcher transport behaviour against real node:http servers on 127.0.0.1:
 * headers, redirects, size caps, timeouts, network errors, keep-alive.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as zlib from "node:zlib";
import { createHttpFetcher, FetchError, type FetchRequest, type Fetcher } from "../src/fetch/index.js";
import { rejectsWith } from "./support/fetch-errors.js";

interface TestServer { base: string; connections: number; closedSockets: number; close(): Promise<void> }

async function serve(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  const state: TestServer = {
    base: "",
    connections: 0,
    closedSockets: 0,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  server.on("connection", (socket) => {
    state.connections++;
    socket.on("close", () => { state.closedSockets++; });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** Runs `body` with a fresh server and fetcher, closing both afterwards. */
async function withServer(handler: http.RequestListener, body: (srv: TestServer, f: Fetcher) => Promise<void>): Promise<void> {
  const srv = await serve(handler);
  const f = createHttpFetcher();
  try {
    await body(srv, f);
  } finally {
    await f.close();
    await srv.close();
  }
}

function req(url: string, extra: Partial<FetchRequest> = {}): FetchRequest {
  return { url, userAgent: "gleaner-test/1", timeoutMs: 5_000, maxRedirects: 10, maxBodyBytes: 1024 * 1024, ...extra };
}

/** Waits (no deadline of its own: the test timeout bounds it) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((resolve) => setTimeout(resolve, 5));
}


const T = { timeout: 15_000 };

test("200 html: headers lower-cased, repeated headers joined, set-cookie joined with newlines", T, () =>
  withServer((_req, res) => {
    res.setHeader("Content-Type", "Text/HTML; Charset=UTF-8");
    res.setHeader("Set-Cookie", ["a=1; Path=/", "b=2"]);
    res.setHeader("X-Multi", ["one", "two"]);
    res.end("<!doctype html><title>hé</title>");
  }, async (srv, f) => {
    const page = await f.fetch(req(`${srv.base}/page#frag`));
    assert.equal(page.url, `${srv.base}/page#frag`);
    assert.equal(page.finalUrl, `${srv.base}/page`);
    assert.equal(page.status, 200);
    assert.equal(page.contentType, "text/html");
    assert.equal(page.isHtml, true);
    assert.equal(page.charset, "utf-8");
    assert.equal(page.text, "<!doctype html><title>hé</title>");
    assert.equal(page.bodyBytes, Buffer.byteLength("<!doctype html><title>hé</title>"));
    assert.equal(page.headers["set-cookie"], "a=1; Path=/\nb=2");
    assert.equal(page.headers["x-multi"], "one, two");
    assert.deepEqual(page.redirects, []);
    assert.ok(page.elapsedMs >= 0);
  }));

test("default request headers are sent and spec headers override them case-insensitively", T, () =>
  withServer((r, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(r.headers));
  }, async (srv, f) => {
    const plain = JSON.parse((await f.fetch(req(srv.base))).text!) as Record<string, string>;
    assert.equal(plain["user-agent"], "gleaner-test/1");
    assert.equal(plain["accept"], "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    assert.equal(plain["accept-encoding"], "gzip, deflate, br");
    assert.equal(plain["accept-language"], "en");

    const page = await f.fetch(req(srv.base, { headers: { "Accept-Language": "fr-CH", "X-Token": "abc", "USER-AGENT": "override/2" } }));
    const seen = JSON.parse(page.text!) as Record<string, string>;
    assert.equal(seen["accept-language"], "fr-CH");
    assert.equal(seen["x-token"], "abc");
    assert.equal(seen["user-agent"], "override/2");
    assert.equal(page.contentType, "application/json");
    assert.equal(page.isHtml, false);
    // a header value undici refuses to send is the spec's fault: skip, not retry
    await rejectsWith(f.fetch(req(srv.base, { headers: { "x-bad": "a\r\nb" } })), "GLEANER_ERR_FETCH_BAD_REQUEST", "skip");
  }));

test("non-2xx responses are returned with their body, not thrown", T, () =>
  withServer((_req, res) => {
    res.writeHead(404, { "content-type": "text/html" });
    res.end("<html>not here</html>");
  }, async (srv, f) => {
    const page = await f.fetch(req(`${srv.base}/missing`));
    assert.equal(page.status, 404);
    assert.equal(page.text, "<html>not here</html>");
  }));

test("301 -> 302 -> 200 chain records every hop in order", T, () =>
  withServer((r, res) => {
    if (r.url === "/a") { res.writeHead(301, { location: "/b" }); res.end("moved"); return; }
    if (r.url === "/b") { res.writeHead(302, { location: `http://${r.headers.host}/c` }); res.end(); return; }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`final ${r.url}`);
  }, async (srv, f) => {
    const page = await f.fetch(req(`${srv.base}/a`));
    assert.equal(page.status, 200);
    assert.equal(page.url, `${srv.base}/a`);
    assert.equal(page.finalUrl, `${srv.base}/c`);
    assert.equal(page.text, "final /c");
    assert.deepEqual(page.redirects, [
      { url: `${srv.base}/a`, status: 301, location: "/b" },
      { url: `${srv.base}/b`, status: 302, location: `${srv.base}/c` },
    ]);
  }));

test("relative Location is resolved against the current URL; 303/307/308 are followed", T, () =>
  withServer((r, res) => {
    if (r.url === "/dir/sub/start") { res.writeHead(303, { location: "../next?x=1" }); res.end(); return; }
    if (r.url === "/dir/next?x=1") { res.writeHead(307, { location: "final" }); res.end(); return; }
    if (r.url === "/dir/final") { res.writeHead(308, { location: "//127.0.0.1:" + r.socket.localPort + "/done" }); res.end(); return; }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`${r.method} ${r.url}`);
  }, async (srv, f) => {
    const page = await f.fetch(req(`${srv.base}/dir/sub/start`));
    assert.equal(page.finalUrl, `${srv.base}/done`);
    assert.equal(page.text, "GET /done");
    assert.deepEqual(page.redirects.map((h) => [h.status, h.location]),
      [[303, "../next?x=1"], [307, "final"], [308, `//127.0.0.1:${new URL(srv.base).port}/done`]]);
    assert.equal(page.redirects[1]!.url, `${srv.base}/dir/next?x=1`);
  }));

test("redirect loop is detected", T, () =>
  withServer((r, res) => {
    res.writeHead(302, { location: r.url === "/x" ? "/y" : "/x" });
    res.end();
  }, async (srv, f) => {
    const err = await rejectsWith(f.fetch(req(`${srv.base}/x`)), "GLEANER_ERR_REDIRECT_LOOP", "skip");
    assert.equal((err.context.redirects as unknown[]).length, 2);
  }));

test("more than maxRedirects redirects fails; maxRedirects 0 returns the 3xx", T, () =>
  withServer((r, res) => {
    const n = Number(r.url!.slice(1));
    if (n < 5) { res.writeHead(301, { location: `/${n + 1}` }); res.end(); return; }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("end");
  }, async (srv, f) => {
    await rejectsWith(f.fetch(req(`${srv.base}/0`, { maxRedirects: 3 })), "GLEANER_ERR_TOO_MANY_REDIRECTS", "skip");
    const ok = await f.fetch(req(`${srv.base}/0`, { maxRedirects: 5 }));
    assert.equal(ok.redirects.length, 5);
    assert.equal(ok.text, "end");
    const none = await f.fetch(req(`${srv.base}/0`, { maxRedirects: 0 }));
    assert.equal(none.status, 301);
    assert.equal(none.headers["location"], "/1");
    assert.deepEqual(none.redirects, []);
  }));

test("bad URLs, unsupported schemes and non-http redirects are skipped", T, () =>
  withServer((_r, res) => {
    res.writeHead(302, { location: "ftp://example.com/file" });
    res.end();
  }, async (srv, f) => {
    await rejectsWith(f.fetch(req("not a url")), "GLEANER_ERR_BAD_URL", "skip");
    await rejectsWith(f.fetch(req("ftp://example.com/")), "GLEANER_ERR_BAD_URL", "skip");
    const err = await rejectsWith(f.fetch(req(srv.base)), "GLEANER_ERR_BAD_URL", "skip");
    assert.match(err.message, /ftp:/);
  }));

test("a body over the cap is refused: declared length, chunked, and endless", T, () => {
  let endlessWritten = 0;
  return withServer((r, res) => {
    res.setHeader("content-type", "text/html");
    if (r.url === "/declared") { res.end(Buffer.alloc(2048, 0x61)); return; }
    if (r.url === "/declared-big") { res.end(Buffer.alloc(16 * 1024 * 1024, 0x61)); return; }
    if (r.url === "/chunked") { res.write(Buffer.alloc(1500, 0x61)); res.end(Buffer.alloc(1500, 0x61)); return; }
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = (): void => {
      while (!res.destroyed && endlessWritten < 1024 * 1024 * 1024) {
        endlessWritten += chunk.length;
        if (!res.write(chunk)) { res.once("drain", pump); return; }
      }
      res.end();
    };
    pump();
  }, async (srv, f) => {
    const cap = { maxBodyBytes: 1024 };
    await rejectsWith(f.fetch(req(`${srv.base}/declared`, cap)), "GLEANER_ERR_BODY_TOO_LARGE", "skip");
    // refused on its content-length before reading: the connection is dropped, not left stalled
    const closedBefore = srv.closedSockets;
    await rejectsWith(f.fetch(req(`${srv.base}/declared-big`, cap)), "GLEANER_ERR_BODY_TOO_LARGE", "skip");
    await until(() => srv.closedSockets > closedBefore);
    await rejectsWith(f.fetch(req(`${srv.base}/chunked`, cap)), "GLEANER_ERR_BODY_TOO_LARGE", "skip");
    await rejectsWith(f.fetch(req(`${srv.base}/endless`, { maxBodyBytes: 256 * 1024 })), "GLEANER_ERR_BODY_TOO_LARGE", "skip");
    assert.ok(endlessWritten < 256 * 1024 * 1024, `server wrote ${endlessWritten} bytes before the client stopped`);
    // exactly at the cap is fine
    const page = await f.fetch(req(`${srv.base}/declared`, { maxBodyBytes: 2048 }));
    assert.equal(page.bodyBytes, 2048);
  });
});

test("gzip and brotli bombs stop as soon as the decompressed size passes the cap", T, () => {
  const written: Record<string, number> = { gzip: 0, br: 0 };
  return withServer((r, res) => {
    const coding = r.url === "/br" ? "br" : "gzip";
    res.writeHead(200, { "content-type": "text/html", "content-encoding": coding });
    const z = coding === "br" ? zlib.createBrotliCompress() : zlib.createGzip({ level: 1 });
    z.pipe(res);
    const zeros = Buffer.alloc(256 * 1024);
    let stopped = false;
    res.on("close", () => { stopped = true; z.destroy(); });
    const pump = (): void => {
      while (!stopped && written[coding]! < 4 * 1024 * 1024 * 1024) {
        written[coding]! += zeros.length;
        if (!z.write(zeros)) { z.once("drain", pump); return; }
      }
      if (!stopped) z.end();
    };
    pump();
  }, async (srv, f) => {
    for (const coding of ["gzip", "br"]) {
      await rejectsWith(f.fetch(req(`${srv.base}/${coding}`, { maxBodyBytes: 1024 * 1024 })), "GLEANER_ERR_BODY_TOO_LARGE", "skip");
      // decompressed bytes produced by the server before the client hung up: far below the 4 GiB it would send
      assert.ok(written[coding]! < 512 * 1024 * 1024, `${coding}: server produced ${written[coding]} bytes`);
    }
  });
});

test("a server that never answers times out (retry)", T, () =>
  withServer(() => { /* never respond */ }, async (srv, f) => {
    const err = await rejectsWith(f.fetch(req(`${srv.base}/slow`, { timeoutMs: 300 })), "GLEANER_ERR_FETCH_TIMEOUT", "retry");
    assert.match(err.message, /\/slow/);
  }));

test("a body that stalls halfway times out (retry)", T, () =>
  withServer((_r, res) => {
    res.writeHead(200, { "content-type": "text/html", "content-length": "1000" });
    res.write("<html>partial");
  }, async (srv, f) => {
    await rejectsWith(f.fetch(req(srv.base, { timeoutMs: 300 })), "GLEANER_ERR_FETCH_TIMEOUT", "retry");
  }));

test("connection refused is a network error naming the URL (retry)", T, async () => {
  const srv = await serve(() => {});
  const url = `${srv.base}/`;
  await srv.close(); // the port is now closed
  const f = createHttpFetcher();
  try {
    const err = await rejectsWith(f.fetch(req(url)), "GLEANER_ERR_FETCH_NETWORK", "retry");
    assert.equal(err.message, `GET ${url} failed: connection refused (ECONNREFUSED)`);
    assert.equal(err.context.systemCode, "ECONNREFUSED");
    assert.equal(err.context.url, url);
  } finally {
    await f.close();
  }
});

test("a connection reset mid-body is a network error (retry)", T, () =>
  withServer((r, res) => {
    res.writeHead(200, { "content-type": "text/html", "content-length": "100000" });
    res.write(Buffer.alloc(1000, 0x61), () => setTimeout(() => r.socket.resetAndDestroy(), 20));
  }, async (srv, f) => {
    const err = await rejectsWith(f.fetch(req(srv.base)), "GLEANER_ERR_FETCH_NETWORK", "retry");
    assert.ok(typeof err.context.systemCode === "string", "system code recorded");
    assert.match(err.message, new RegExp(`^GET ${srv.base}/ failed: `));
  }));

test("an abort from the caller rejects with GLEANER_ERR_FETCH_ABORTED", T, () =>
  withServer(() => { /* never respond */ }, async (srv, f) => {
    const ac = new AbortController();
    const p = f.fetch(req(srv.base, { signal: ac.signal }));
    setTimeout(() => ac.abort(), 50);
    await rejectsWith(p, "GLEANER_ERR_FETCH_ABORTED", "retry");
    await rejectsWith(f.fetch(req(srv.base, { signal: AbortSignal.abort() })), "GLEANER_ERR_FETCH_ABORTED", "retry");
  }));

test("keep-alive: 50 sequential requests (and redirected ones) reuse connections", T, () =>
  withServer((r, res) => {
    if (r.url === "/redir") { res.writeHead(302, { location: "/page", "content-type": "text/html" }); res.end("<a href=/page>moved</a>"); return; }
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<html>${r.url}</html>`);
  }, async (srv, f) => {
    for (let i = 0; i < 50; i++) {
      const page = await f.fetch(req(`${srv.base}/p${i}`));
      assert.equal(page.text, `<html>/p${i}</html>`);
    }
    assert.ok(srv.connections <= 2, `${srv.connections} connections for 50 requests`);
    const before = srv.connections;
    for (let i = 0; i < 20; i++) assert.equal((await f.fetch(req(`${srv.base}/redir`))).finalUrl, `${srv.base}/page`);
    assert.ok(srv.connections - before <= 2, `${srv.connections - before} new connections for 20 redirected requests`);
  }));

test("fetches after close() fail instead of hanging", T, async () => {
  const f = createHttpFetcher();
  await f.close();
  await f.close(); // idempotent
  await rejectsWith(f.fetch(req("http://127.0.0.1:9/")), "GLEANER_ERR_FETCH_NETWORK", "retry");
});

test("spec credentials are kept on same-origin redirects and dropped on cross-origin ones", T, async () => {
  const echo = (r: http.IncomingMessage, res: http.ServerResponse): void => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(r.headers));
  };
  const other = await serve(echo);
  try {
    await withServer((r, res) => {
      if (r.url === "/same") { res.writeHead(302, { location: "/echo" }); res.end(); return; }
      if (r.url === "/cross") { res.writeHead(302, { location: `${other.base}/echo` }); res.end(); return; }
      echo(r, res);
    }, async (srv, f) => {
      const headers = { Authorization: "Bearer secret", Cookie: "s=1", "X-Keep": "yes" };
      const same = JSON.parse((await f.fetch(req(`${srv.base}/same`, { headers }))).text!) as Record<string, string>;
      assert.equal(same["authorization"], "Bearer secret");
      assert.equal(same["cookie"], "s=1");
      const cross = await f.fetch(req(`${srv.base}/cross`, { headers }));
      assert.equal(cross.finalUrl, `${other.base}/echo`);
      const seen = JSON.parse(cross.text!) as Record<string, string>;
      assert.equal(seen["authorization"], undefined);
      assert.equal(seen["cookie"], undefined);
      assert.equal(seen["x-keep"], "yes");
    });
  } finally {
    await other.close();
  }
});
