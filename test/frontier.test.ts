import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalize, compileScope, hostOf } from "../src/frontier/index.js";

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

test("scope: domains with subdomains, include/exclude globs, URL length", () => {
  const scope = compileScope({ domains: ["example.com"], include: [], exclude: ["/login*", "*/private/*"], maxDepth: 3, maxPages: 10 });
  assert.equal(scope("http://example.com/a"), null);
  assert.equal(scope("http://www.example.com/a"), null);
  assert.equal(scope("http://badexample.com/a"), "domain");
  assert.equal(scope("http://example.com.evil.org/a"), "domain");
  assert.equal(scope("http://example.com/login?next=/"), "exclude");
  assert.equal(scope("http://example.com/x/private/y"), "exclude");
  assert.equal(scope("http://example.com/" + "a".repeat(3000)), "url-too-long");
  const only = compileScope({ domains: ["example.com"], include: ["/docs/*"], exclude: [], maxDepth: 3, maxPages: 10 });
  assert.equal(only("http://example.com/docs/intro"), null);
  assert.equal(only("http://example.com/blog/intro"), "include");
});
