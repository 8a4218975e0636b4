/**
 * The built-in regex extractors' shortcuts give exactly what their patterns give: the email
 * finder (matches found from each "@") and skipping whitespace collapsing for the space-blind
 * built-ins (email, url, ipv4).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { BUILTIN_EXTRACTORS, compileRegex, eachMatch, firstMatch } from "../src/extract/regex.js";
import { collapseWhitespace } from "../src/extract/text.js";
import { compileExtractor } from "../src/extract/index.js";
import type { BuiltinRegex, FieldSpec } from "../src/spec/types.js";
import { mulberry32 } from "../src/practice/random.js";

/** Every match of the built-in's own pattern, as a plain global regex loop finds them. */
function patternMatches(name: BuiltinRegex, text: string): string[] {
  const b = BUILTIN_EXTRACTORS[name];
  return [...text.matchAll(new RegExp(b.source, b.flags + "g"))].map((m) => m[0]);
}

function extracted(name: BuiltinRegex, text: string): string[] {
  const out: string[] = [];
  eachMatch(compileRegex(name), text, (v) => (out.push(v), true));
  return out;
}

test("the email finder returns the pattern's matches on hand-picked text", () => {
  const cases: [string, string[]][] = [
    ["write to ann@example.com today", ["ann@example.com"]],
    ["a@b@c.com", ["b@c.com"]],
    ["x@a.com.b@c.com", ["x@a.com"]],
    ["first.last+tag@mail.example.org, second@x.io.", ["first.last+tag@mail.example.org", "second@x.io"]],
    ["@example.com and a@ and @ and a@b", []],
    ["ann@example.c ann@example.co", ["ann@example.co"]],
    ["ann@-bad.com ann@bad-.com ann@ok-ok.com", ["ann@ok-ok.com"]],
    ["ann@example.com-x ann@example.com_x ann@example.comé", ["ann@example.com"]],
    ["é@example.com éann@example.com", ["ann@example.com"]],
    ["%+-.@a.bc", ["%+-.@a.bc"]],
    ["ann@example.com@example.org", ["ann@example.com"]],
  ];
  for (const [text, want] of cases) {
    assert.deepEqual(patternMatches("email", text), want, `the pattern itself on ${JSON.stringify(text)}`);
    assert.deepEqual(extracted("email", text), want, JSON.stringify(text));
  }
  assert.equal(firstMatch(compileRegex("email"), "no address here"), null);
});

test("the email finder equals the pattern on 30,000 random texts", () => {
  const next = mulberry32(7);
  const pieces = ["a", "Z", "0", "_", ".", "%", "+", "-", "@", "@", " ", "\n", "co", "com", "example", "x-y", "é", "“", "#", ",", ".org"];
  let matches = 0;
  for (let k = 0; k < 30_000; k++) {
    let text = "";
    const n = 1 + Math.floor(next() * 30);
    for (let i = 0; i < n; i++) text += pieces[Math.floor(next() * pieces.length)];
    const want = patternMatches("email", text);
    assert.deepEqual(extracted("email", text), want, JSON.stringify(text));
    matches += want.length;
  }
  assert.ok(matches > 300, `the random texts held matches (${matches})`);
});

test("email, url and ipv4 match the same in a text as in its collapsed form; phone does not", () => {
  const next = mulberry32(11);
  const ws = [" ", "  ", "\n", "\t \n", "\u00a0", "\u2003"];
  const words = ["ann@example.com", "https://example.com/a?b=1", "http://x.io/path.", "10.0.0.1", "192.168.1.255", "word", "(555)", "123-4567", "a@b.co", ".", ",", "-"];
  for (let k = 0; k < 5_000; k++) {
    let text = ws[Math.floor(next() * ws.length)]!;
    const n = 1 + Math.floor(next() * 12);
    for (let i = 0; i < n; i++) text += words[Math.floor(next() * words.length)]! + (next() < 0.2 ? "" : ws[Math.floor(next() * ws.length)]!);
    for (const name of ["email", "url", "ipv4"] as const) {
      assert.ok(compileRegex(name).spaceBlind);
      assert.deepEqual(extracted(name, text), extracted(name, collapseWhitespace(text)), `${name} on ${JSON.stringify(text)}`);
    }
  }
  // Why phone and date still get the collapsed text: one space is part of their patterns.
  assert.equal(compileRegex("phone").spaceBlind, false);
  assert.equal(compileRegex("date").spaceBlind, false);
  assert.deepEqual(extracted("phone", "(555)\n 123-4567"), []);
  assert.deepEqual(extracted("phone", collapseWhitespace("(555)\n 123-4567")), ["(555) 123-4567"]);
  assert.equal(compileRegex("/a b/").spaceBlind, false);
});

test("fields with a space-blind regex give the values they gave from collapsed text", () => {
  const f = (o: Partial<FieldSpec>): FieldSpec => ({ all: false, type: "string", trim: true, required: false, ...o });
  const bio = `<div class="bio">\n  <p>Born   in Ghent.</p>\n  <p>Mail:\n\t<b>ann.smith@example.org</b>  or\u00a0<i>a@b.co</i></p>\n  <p>Site: https://ann.example/  , box 10.1.2.3</p>\n</div>`;
  const r = compileExtractor(
    [{
      type: "page",
      fields: {
        email: f({ selector: ".bio", regex: "email" }),
        emails: f({ selector: ".bio p", regex: "email", all: true }),
        url: f({ selector: ".bio", regex: "url" }),
        ip: f({ selector: ".bio", regex: "ipv4" }),
        phone: f({ selector: ".bio", regex: "phone" }),
        place: f({ selector: ".bio", regex: "/in (\\w+)/" }),
        whole: f({ regex: "email", all: true }),
      },
    }],
    [],
  ).extract(`<html><body>${bio}</body></html>`, "https://site.test/");
  assert.deepEqual(r.items[0]?.data, {
    email: "ann.smith@example.org",
    emails: ["ann.smith@example.org", "a@b.co"],
    url: "https://ann.example/",
    ip: "10.1.2.3",
    phone: null,
    place: "Ghent",
    whole: ["ann.smith@example.org", "a@b.co"],
  });
});
