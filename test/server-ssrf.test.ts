import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpFetcher } from "../src/fetch/index.js";
import { blockedAddressRule, fetchGuard } from "../src/server/ssrf.js";
import { startServer } from "./support/server-harness.js";

test("address rules: private, loopback, link-local, CGNAT, metadata, mapped forms; public passes", () => {
  const cases: [string, RegExp | null][] = [
    ["127.0.0.1", /loopback/], ["127.9.9.9", /loopback/], ["::1", /loopback/],
    ["10.1.2.3", /private \(10/], ["172.16.0.1", /private \(172\.16/], ["172.31.255.255", /private/], ["192.168.1.1", /private \(192\.168/],
    ["169.254.169.254", /cloud metadata/], ["169.254.1.1", /link-local/], ["fe80::1", /link-local/],
    ["fc00::1", /unique local/], ["fd12:3456::1", /unique local/], ["fd00:ec2::254", /cloud metadata/],
    ["0.0.0.0", /this network/], ["100.64.0.1", /carrier-grade NAT/], ["::", /unspecified/],
    ["::ffff:127.0.0.1", /loopback/], ["::ffff:7f00:1", /loopback/], ["::ffff:a9fe:a9fe", /cloud metadata/], ["64:ff9b::10.0.0.1", /private/],
    ["8.8.8.8", null], ["172.32.0.1", null], ["100.128.0.1", null], ["2606:4700::1111", null], ["::ffff:8.8.8.8", null],
  ];
  for (const [addr, want] of cases) {
    const got = blockedAddressRule(addr);
    if (want === null) assert.equal(got, null, addr);
    else assert.match(got ?? "(allowed)", want, addr);
  }
});

test("specs aimed at loopback, metadata or localhost are refused at submission, naming the URL and the rule", async (t) => {
  const h = await startServer(t);
  const cases: [string, RegExp][] = [
    ["http://127.0.0.1:8080/", /loopback/],
    ["http://169.254.169.254/latest/meta-data/", /cloud metadata/],
    ["http://[::1]/", /loopback/],
    ["http://localhost:9/", /loopback/],
    ["http://10.0.0.5/", /private/],
    ["http://2130706433/", /loopback/], // decimal form of 127.0.0.1, normalized by the URL parser
  ];
  for (const [url, rule] of cases) {
    const r = await h.req("POST", "/api/jobs", { key: h.memberKey, body: { spec: { name: "x", start: [url] } } });
    assert.equal(r.status, 400, url);
    const body = (await r.json()) as { error: { code: string; message: string; issues: { path: string; message: string }[] } };
    assert.equal(body.error.code, "GLEANER_ERR_TARGET_REFUSED");
    assert.equal(body.error.issues[0]!.path, "start.0");
    assert.match(body.error.issues[0]!.message, rule, url);
    assert.ok(body.error.message.includes(new URL(url).href), body.error.message);
  }
  const browser = await h.req("POST", "/api/jobs", { key: h.memberKey, body: { spec: { name: "x", start: ["https://example.com/"], fetch: { mode: "browser" } } } });
  assert.equal(browser.status, 400);
  assert.equal(((await browser.json()) as { error: { issues: { path: string }[] } }).error.issues[0]!.path, "fetch.mode");
  assert.deepEqual(((await (await h.req("GET", "/api/jobs", { key: h.memberKey })).json()) as { jobs: unknown[] }).jobs, []);
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port };
}

test("the fetcher guard checks the resolved address: a name resolving to loopback is refused before connecting", async (t) => {
  let hits = 0;
  const { server, port } = await listen((_req, res) => {
    hits++;
    res.end("secret");
  });
  t.after(() => server.close());
  const fetcher = createHttpFetcher({ guard: fetchGuard({ allowPrivateTargets: false, allowHosts: new Set() }) });
  t.after(() => fetcher.close());
  const req = { userAgent: "t", timeoutMs: 5000, maxRedirects: 5, maxBodyBytes: 1e6 };
  await assert.rejects(fetcher.fetch({ ...req, url: `http://localhost:${port}/x` }), (err: Error & { code: string }) => {
    assert.equal(err.code, "GLEANER_ERR_BAD_URL");
    assert.match(err.message, new RegExp(`^GET http://localhost:${port}/x refused: localhost \\(resolves to (127\\.0\\.0\\.1|::1)\\) is a loopback`));
    return true;
  });
  await assert.rejects(fetcher.fetch({ ...req, url: `http://127.0.0.1:${port}/y` }), /GET http:\/\/127\.0\.0\.1:\d+\/y refused: 127\.0\.0\.1 is a loopback/);
  assert.equal(hits, 0);
  // An allowed host passes; the same fetcher without a guard is the CLI's behaviour.
  const allowed = createHttpFetcher({ guard: fetchGuard({ allowPrivateTargets: false, allowHosts: new Set(["127.0.0.1"]) }) });
  t.after(() => allowed.close());
  assert.equal((await allowed.fetch({ ...req, url: `http://127.0.0.1:${port}/ok` })).status, 200);
  assert.equal(hits, 1);
});

test("a crawl allowed on one host cannot reach another private name through links or redirects", async (t) => {
  const paths: string[] = [];
  let port = 0;
  const site = await listen((req, res) => {
    paths.push(req.url!);
    if (req.url === "/") {
      res.setHeader("content-type", "text/html");
      res.end(`<a href="http://localhost:${port}/via-link">a</a> <a href="/hop">b</a>`);
    } else if (req.url === "/hop") {
      res.writeHead(302, { location: `http://localhost:${port}/via-redirect` }).end();
    } else {
      res.end("should not be reached");
    }
  });
  port = site.port;
  t.after(() => site.server.close());
  const h = await startServer(t, { allowHosts: ["127.0.0.1"] });
  const spec = { name: "ssrf", start: [`http://127.0.0.1:${port}/`], scope: { domains: ["127.0.0.1", "localhost"] }, politeness: { robots: "ignore" }, retries: { max: 0 } };
  const r = await h.req("POST", "/api/jobs", { key: h.memberKey, body: { spec } });
  assert.equal(r.status, 201, await r.clone().text());
  const { job } = (await r.json()) as { job: { id: number } };
  const done = await h.waitForState(job.id, ["done", "failed"], h.memberKey);
  assert.equal(done.state, "done");
  assert.deepEqual(paths.sort(), ["/", "/hop"]);
  const failed = h.app.gleaner.store.listRequests(job.id, { state: "failed", limit: 10 });
  assert.equal(failed.length, 2);
  for (const f of failed) {
    assert.equal(f.errorCode, "GLEANER_ERR_BAD_URL");
    assert.match(f.error!, /refused: localhost \(resolves to .*\) is a loopback/);
  }
  assert.ok(failed.some((f) => f.error!.includes(`http://localhost:${port}/via-link`)));
  assert.ok(failed.some((f) => f.error!.includes(`http://localhost:${port}/via-redirect`)));
});
