import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseSpecText, validateSpec, specJsonSchema, parseDuration, parseRate, parseSize } from "../src/spec/index.js";
import { parseStrictJson } from "../src/spec/json-spec.js";
import { SpecError } from "../src/shared/errors.js";

// examples/quotes-toscrape.yaml is the design sketch's example spec, copied verbatim.
function designExample(): string {
  return readFileSync(new URL("../../examples/quotes-toscrape.yaml", import.meta.url), "utf8");
}

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SpecError, `expected SpecError, got ${String(err)}`);
    return err.issues;
  }
  assert.fail("expected the spec to be rejected");
}

test("the example spec of DESIGN.md is accepted as written and normalized", () => {
  const spec = parseSpecText(designExample());
  assert.equal(spec.name, "quotes");
  assert.deepEqual(spec.start, ["https://quotes.toscrape.com/"]);
  assert.deepEqual(spec.scope.domains, ["quotes.toscrape.com"]);
  assert.equal(spec.scope.maxPages, 5000);
  assert.equal(spec.follow?.length, 2);
  assert.equal(spec.follow?.[0]?.selector, "li.next a");
  const quote = spec.extract.find((i) => i.type === "quote")!;
  assert.equal(quote.each, "div.quote");
  assert.equal(quote.fields.text?.selector, "span.text");
  assert.equal(quote.fields.tags?.all, true);
  const author = spec.extract.find((i) => i.type === "author")!;
  assert.equal(author.when, "/author/*");
  assert.equal(author.fields.born?.type, "date");
  assert.equal(author.fields.contacts?.regex, "email");
  assert.equal(spec.fetch.mode, "auto");
  assert.equal(spec.fetch.timeoutMs, 15000);
  assert.equal(spec.politeness.perHost.rate.perSecond, 2);
  assert.equal(spec.politeness.perHost.concurrency, 2);
  assert.deepEqual(spec.politeness.jitterMs, [200, 1000]);
  assert.deepEqual(spec.retries, { max: 4, backoff: "exponential", baseMs: 1000, capMs: 60000 });
});

test("defaults fill a minimal spec", () => {
  const spec = validateSpec({ name: "min", start: "http://Example.COM" });
  assert.deepEqual(spec.start, ["http://example.com/"]);
  assert.deepEqual(spec.scope.domains, ["example.com"]);
  assert.equal(spec.follow, null);
  assert.deepEqual(spec.extract, []);
  assert.equal(spec.politeness.robots, "obey");
  assert.match(spec.fetch.userAgent, /gleaner/);
  assert.match(spec.fetch.userAgent, /https?:\/\//);
});

test("a wrong field type names the path and the allowed values", () => {
  const issues = issuesOf(() =>
    validateSpec({ name: "q", start: "http://x.test/", extract: { quote: { fields: { born: { selector: ".b", type: "dat" } } } } }),
  );
  assert.equal(issues[0]?.path, "extract.quote.fields.born.type");
  assert.match(issues[0]!.message, /date/);
  assert.match(issues[0]!.message, /number/);
});

test("unknown keys are named with a suggestion", () => {
  const issues = issuesOf(() => validateSpec({ name: "q", start: "http://x.test/", scope: { maxPage: 3 } }));
  assert.equal(issues[0]?.path, "scope.maxPage");
  assert.match(issues[0]!.message, /did you mean "maxPages"/);
  const top = issuesOf(() => validateSpec({ name: "q", start: "http://x.test/", extracts: {} }));
  assert.match(top[0]!.message, /did you mean "extract"/);
});

test("missing required keys, bad URLs, bad units and bad selectors are reported with paths", () => {
  const missing = issuesOf(() => validateSpec({ start: "http://x.test/" }));
  assert.equal(missing[0]?.path, "name");
  assert.match(missing[0]!.message, /required/);
  const url = issuesOf(() => validateSpec({ name: "q", start: ["ftp://x.test/"] }));
  assert.equal(url[0]?.path, "start.0");
  assert.match(url[0]!.message, /http/);
  const rate = issuesOf(() => validateSpec({ name: "q", start: "http://x.test/", politeness: { perHost: { rate: "fast" } } }));
  assert.equal(rate[0]?.path, "politeness.perHost.rate");
  assert.match(rate[0]!.message, /2\/s/);
  const sel = issuesOf(() => validateSpec({ name: "q", start: "http://x.test/", follow: ["a[href"] }));
  assert.equal(sel[0]?.path, "follow.0");
  assert.match(sel[0]!.message, /not a valid CSS selector/);
  const field = issuesOf(() => validateSpec({ name: "q", start: "http://x.test/", extract: { q: { fields: { t: "div >> p" } } } }));
  assert.equal(field[0]?.path, "extract.q.fields.t");
  const re = issuesOf(() => validateSpec({ name: "q", start: "http://x.test/", extract: { q: { fields: { t: { regex: "/(unclosed/" } } } } }));
  assert.equal(re[0]?.path, "extract.q.fields.t.regex");
});

test("YAML syntax errors are spec errors, not crashes", () => {
  const issues = issuesOf(() => parseSpecText("name: q\nstart: [http://x.test/\n"));
  assert.match(issues[0]!.message, /YAML/);
  const notMap = issuesOf(() => parseSpecText("- just\n- a list\n"));
  assert.match(notMap[0]!.message, /mapping/);
});

test("JSON specs read the same as YAML ones, and a key given twice is an error in both", () => {
  const yaml = parseSpecText("name: q\nstart: http://x.test/\nextract:\n  quote:\n    each: div.quote\n    fields: { text: span.text }\n");
  const json = parseSpecText('{ "name": "q", "start": "http://x.test/", "extract": { "quote": { "each": "div.quote", "fields": { "text": "span.text" } } } }');
  assert.deepEqual(json, yaml);
  assert.deepEqual(parseStrictJson('[{"a": 1}, {"a": 2}]'), [{ a: 1 }, { a: 2 }], "equal keys in different objects");
  assert.deepEqual(parseStrictJson('{"a": {"a": "a,\\"a\\":"}, "b": [1, {"a": 1}]}'), { a: { a: 'a,"a":' }, b: [1, { a: 1 }] });
  for (const dup of ['{"name": "q", "name": "r", "start": "http://x.test/"}', '{"name": "q", "start": "http://x.test/", "scope": {"maxPages": 1, "max\\u0050ages": 2}}']) {
    assert.equal(parseStrictJson(dup), undefined, dup);
    const issues = issuesOf(() => parseSpecText(dup));
    assert.match(issues[0]!.message, /unique|duplicate/i, dup);
  }
  assert.equal(parseStrictJson("name: q"), undefined, "YAML is left to the YAML reader");
  assert.equal(parseStrictJson('{"name": "q",}'), undefined, "not JSON (trailing comma): YAML reads it");
});

test("units: durations, sizes and rates", () => {
  assert.equal(parseDuration("15s"), 15000);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("2m"), 120000);
  assert.equal(parseDuration(1.5), 1500);
  assert.equal(parseDuration("soon"), null);
  assert.equal(parseSize("10MB"), 10 * 1024 * 1024);
  assert.equal(parseSize("512kb"), 512 * 1024);
  assert.equal(parseSize("lots"), null);
  assert.equal(parseRate("2/s"), 2);
  assert.equal(parseRate("30/min"), 0.5);
  assert.equal(parseRate("unlimited"), Infinity);
  assert.equal(parseRate("0/s"), null);
});

test("the JSON Schema describes the spec's keys", () => {
  const schema = specJsonSchema() as { properties: Record<string, unknown>; required: string[] };
  assert.ok(schema.properties.start && schema.properties.extract && schema.properties.politeness);
  assert.deepEqual([...schema.required].sort(), ["name", "start"]);
});
