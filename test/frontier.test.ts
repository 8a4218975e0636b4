import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalize, compileScope, hostOf, TrapDetector } from "../src/frontier/index.js";
import type { ScopeSpec } from "../src/spec/index.js";

const base: ScopeSpec = { domains: [], include: [], exclude: [], maxDepth: 3, maxPages: 10, maxPagesPerHost: Infinity, sitemaps: false, maxUrlLength: 2048, traps: null };

test("canonicalize: one spelling per resource", () => {
  const cases: [string, string | undefined, string | null][] = [
    ["HTTP://Example.COM:80/a/b?x=1#frag", undefined, "http://example.com/a/b?x=1"],
    ["https://example.com:443", undefined, "https://example.com/"],
    ["https://example.com:8443/", undefined, "https://example.com:8443/"],
    ["http://example.com/p?b=2&a=1", undefined, "http://example.com/p?a=1&b=2"],
    ["http://example.com/p?a=2&a=1", undefined, "http://example.com/p?a=2&a=1"],
    ["http://example.com/p?", undefined, "http://example.com/p"],
    ["http://example.com/p?&&a=1&", undefined, "http://example.com/p?a=1"],
    ["http://example.com/a/./b/../c", undefined, "http://example.com/a/c"],
    ["http://example.com/%7euser/%2f", undefined, "http://example.com/~user/%2F"],
    ["http://example.com./x", undefined, "http://example.com/x"],
    ["http://user:pw@example.com/x", undefined, "http://example.com/x"],
    ["../up", "http://example.com/a/b/c", "http://example.com/a/up"],
    ["?q=1", "http://example.com/a/b", "http://example.com/a/b?q=1"],
    ["//other.org/x", "https://example.com/", "https://other.org/x"],
    ["mailto:a@b.c", undefined, null],
    ["javascript:void(0)", "http://example.com/", null],
    ["not a url", undefined, null],
  ];
  for (const [raw, base, want] of cases) assert.equal(canonicalize(raw, base), want, `${raw} (base ${base})`);
});

test("hostOf reads the host of a canonical URL", () => {
  assert.equal(hostOf("http://example.com:8080/x?y"), "example.com:8080");
  assert.equal(hostOf("https://a.b.c"), "a.b.c");
});

test("scope: domains with subdomains, include/exclude globs", () => {
  const scope = compileScope({ ...base, domains: ["example.com"], exclude: ["/login*", "*/private/*"] });
  assert.equal(scope("http://example.com/a"), null);
  assert.equal(scope("http://www.example.com/a"), null);
  assert.equal(scope("http://badexample.com/a"), "domain");
  assert.equal(scope("http://example.com.evil.org/a"), "domain");
  assert.equal(scope("http://example.com/login?next=/"), "exclude");
  assert.equal(scope("http://example.com/x/private/y"), "exclude");
  const only = compileScope({ ...base, domains: ["example.com"], include: ["/docs/*"] });
  assert.equal(only("http://example.com/docs/intro"), null);
  assert.equal(only("http://example.com/blog/intro"), "include");
});

test("traps: long URLs, repeated path segments, query explosions", () => {
  const t = new TrapDetector({ repeatedSegments: 3, maxQueryParams: 4, maxQueryVariants: 3 }, 100);
  assert.match(t.check("http://e.com/" + "a".repeat(200)) ?? "", /longer than 100/);
  assert.equal(t.check("http://e.com/a/b/a/c"), null);
  assert.match(t.check("http://e.com/a/b/a/c/a/") ?? "", /segment "a" repeated 3/);
  assert.match(t.check("http://e.com/s?a=1&b=2&c=3&d=4&e=5") ?? "", /5 query parameters/);
  assert.equal(t.check("http://e.com/list?page=1"), null);
  assert.equal(t.check("http://e.com/list?page=2"), null);
  assert.equal(t.check("http://e.com/list?page=3"), null);
  assert.match(t.check("http://e.com/list?page=4") ?? "", /more than 3 query variants of http:\/\/e.com\/list/);
  assert.equal(t.check("http://e.com/other?page=4"), null, "variants are counted per path");
  const off = new TrapDetector(null, 100);
  assert.equal(off.check("http://e.com/a/a/a/a"), null);
});
