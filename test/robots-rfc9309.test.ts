/**
 * robots.txt parsing and matching, case by case from RFC 9309 (sections 2.1-2.5 and the
 * examples of 2.2.2, 2.2.3 and 5). Each row names the section its verdict was read from.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ALLOW_ALL,
  DISALLOW_ALL,
  MAX_ROBOTS_BYTES,
  normalizePath,
  parseRobots,
  productToken,
} from "../src/politeness/robots/index.js";
import { mulberry32 } from "../src/practice/random.js";

const UA = "gleaner/0.1 (+https://example.org/bot)";

interface Case {
  section: string;
  name: string;
  robots: string;
  /** Full User-Agent string; defaults to UA (product token "gleaner"). */
  ua?: string;
  allowed: string[];
  disallowed: string[];
}

// RFC 9309 section 5.1, verbatim.
const RFC_EXAMPLE = `User-Agent: *
Disallow: *.gif$
Disallow: /example/
Allow: /publications/

User-Agent: foobot
Disallow:/
Allow:/example/page.html
Allow:/example/allowed.gif

User-Agent: barbot
User-Agent: bazbot
Disallow: /example/page.html

User-Agent: quxbot
`;

const CASES: Case[] = [
  // ---- 5.1 example: group selection --------------------------------------------------
  {
    section: "5.1, 2.2.1", name: "foobot obeys only its own group",
    robots: RFC_EXAMPLE, ua: "foobot",
    allowed: ["/example/page.html", "/example/allowed.gif", "/robots.txt"],
    disallowed: ["/", "/example/other.html", "/publications/a", "/a.gif"],
  },
  {
    section: "5.1, 2.2.1", name: "barbot and bazbot share one group (consecutive user-agent lines)",
    robots: RFC_EXAMPLE, ua: "barbot",
    allowed: ["/", "/example/other.html", "/a.gif"],
    disallowed: ["/example/page.html", "/example/page.html?x=1"],
  },
  {
    section: "5.1, 2.2.1", name: "the second user-agent line of the group",
    robots: RFC_EXAMPLE, ua: "bazbot/3.0",
    allowed: ["/a.gif"],
    disallowed: ["/example/page.html"],
  },
  {
    section: "5.1, 2.1", name: "quxbot's group has no rules: everything allowed, no fallback to *",
    robots: RFC_EXAMPLE, ua: "quxbot",
    allowed: ["/example/page.html", "/a.gif", "/example/x"],
    disallowed: [],
  },
  {
    section: "5.1, 2.2.1", name: "an unnamed crawler obeys the * group",
    robots: RFC_EXAMPLE, ua: UA,
    allowed: ["/", "/a.gif?size=2", "/a.gifs", "/example", "/publications/a"],
    disallowed: ["/a.gif", "/x/y/z.gif", "/example/", "/example/page.html"],
  },
  {
    section: "2.2.1", name: "product token matching is case-insensitive, and uses the UA's first token",
    robots: RFC_EXAMPLE, ua: "FooBot/2.1 (compatible; +http://foo.example)",
    allowed: ["/example/page.html"],
    disallowed: ["/example/other.html"],
  },
  {
    section: "2.2.1", name: "the user-agent value is matched case-insensitively",
    robots: "User-agent: GLEANER\nDisallow: /x\n\nUser-agent: *\nDisallow: /",
    allowed: ["/y"], disallowed: ["/x"],
  },
  {
    section: "2.2.1", name: "a user-agent value with a version still names its product token",
    robots: "User-agent: Gleaner/9.9\nDisallow: /x\n",
    allowed: ["/y"], disallowed: ["/x"],
  },
  {
    section: "2.2.1", name: "tokens match whole, not by prefix",
    robots: "User-agent: glean\nDisallow: /\n\nUser-agent: gleaner-news\nDisallow: /\n\nUser-agent: *\nDisallow: /star",
    allowed: ["/x"], disallowed: ["/star"],
  },
  {
    section: "2.2.1", name: "several groups for our token are combined",
    robots:
      "User-agent: gleaner\nAllow: /jobs/\n\nUser-agent: *\nDisallow: /\n\nUser-agent: Gleaner\nDisallow: /jobs/internal/\n",
    allowed: ["/jobs/1", "/other"],
    disallowed: ["/jobs/internal/7"],
  },
  {
    section: "2.2.1", name: "several * groups are combined",
    robots: "User-agent: *\nDisallow: /a\n\nUser-agent: other\nDisallow: /\n\nUser-agent: *\nDisallow: /b\n",
    allowed: ["/c"], disallowed: ["/a", "/b"],
  },
  {
    section: "2.2.1", name: "a group naming both * and us applies to us",
    robots: "User-agent: *\nUser-agent: gleaner\nDisallow: /both\n\nUser-agent: *\nDisallow: /star-only\n",
    allowed: ["/star-only"], disallowed: ["/both"],
  },
  {
    section: "2.2.1", name: "no group for us and no * group: no rules apply",
    robots: "User-agent: otherbot\nDisallow: /\n",
    allowed: ["/", "/x"], disallowed: [],
  },
  {
    section: "2.2.1", name: "no groups at all",
    robots: "# nothing here\n\nSitemap: https://example.com/s.xml\n",
    allowed: ["/", "/x"], disallowed: [],
  },
  {
    section: "2.2 (ABNF)", name: "a blank line between user-agent lines does not split the group",
    robots: "User-agent: gleaner\n\nUser-agent: *\nDisallow: /\n",
    allowed: [], disallowed: ["/x"],
  },
  {
    section: "2.2.2", name: "rules before the first user-agent line are ignored",
    robots: "Disallow: /\nAllow: /x\nUser-agent: *\nDisallow: /y\n",
    allowed: ["/", "/z"], disallowed: ["/y"],
  },
  {
    section: "2.2.4", name: "a Sitemap record does not end a group",
    robots: "User-agent: gleaner\nDisallow: /a\nSitemap: https://example.com/s.xml\nDisallow: /b\n",
    allowed: ["/c"], disallowed: ["/a", "/b"],
  },
  {
    section: "2.2.4", name: "a Sitemap record between user-agent lines keeps them in one group",
    robots: "User-agent: gleaner\nSitemap: /s.xml\nUser-agent: other\nDisallow: /a\n",
    allowed: ["/c"], disallowed: ["/a"],
  },
  {
    section: "2.2.4", name: "unknown records are ignored and do not end a group",
    robots: "User-agent: gleaner\nNoindex: /a\nUser-agent: other\nDisallow: /b\n",
    allowed: ["/a"], disallowed: ["/b"],
  },
  {
    section: "2.1", name: "a rule then a user-agent line starts a new group",
    robots: "User-agent: gleaner\nDisallow: /a\nUser-agent: other\nDisallow: /b\n",
    allowed: ["/b"], disallowed: ["/a"],
  },

  // ---- 2.2.2 allow / disallow, longest match -----------------------------------------
  {
    section: "5.2", name: "the longest match wins",
    robots: "User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n", ua: "foobot",
    allowed: ["/example/page/", "/example/page/other.gif"],
    disallowed: ["/example/page/disallowed.gif"],
  },
  {
    section: "2.2.2", name: "order in the file does not matter, only length",
    robots: "User-agent: *\nAllow: /\nDisallow: /apply\n",
    allowed: ["/", "/jobs"], disallowed: ["/apply", "/apply/now"],
  },
  {
    section: "2.2.2", name: "allow wins over an equivalent disallow",
    robots: "User-agent: *\nDisallow: /x/page.html\nAllow: /x/page.html\nDisallow: /\nAllow: /\n",
    allowed: ["/x/page.html", "/y"], disallowed: [],
  },
  {
    section: "2.2.2", name: "allow wins a tie in length even when listed second",
    robots: "User-agent: *\nDisallow: /x/\nAllow: /x/\n",
    allowed: ["/x/", "/x/y"], disallowed: [],
  },
  {
    section: "2.2.2", name: "a shorter allow loses to a longer disallow and vice versa",
    robots: "User-agent: *\nDisallow: /x/page.html\nAllow: /x/\nDisallow: /y/\nAllow: /y/page.html\n",
    allowed: ["/x/other.html", "/y/page.html"], disallowed: ["/x/page.html", "/y/other.html"],
  },
  {
    section: "2.2.2", name: "matching is case-sensitive",
    robots: "User-agent: *\nDisallow: /X/\n",
    allowed: ["/x/y"], disallowed: ["/X/y"],
  },
  {
    section: "2.2.2", name: "matching starts at the first octet of the path",
    robots: "User-agent: *\nDisallow: /private\n",
    allowed: ["/a/private", "/Private"], disallowed: ["/private", "/private-x", "/private/a?b=c"],
  },
  {
    section: "2.2.2", name: "the query is part of the path that rules match",
    robots: "User-agent: *\nDisallow: /search?\nDisallow: /*?*sort=\n",
    allowed: ["/search", "/list?page=2"], disallowed: ["/search?q=x", "/list?page=2&sort=asc"],
  },
  {
    section: "2.2.2", name: "an empty Disallow disallows nothing",
    robots: "User-agent: *\nDisallow:\n",
    allowed: ["/", "/x"], disallowed: [],
  },
  {
    section: "2.2.2", name: "an empty Disallow still makes the group ours (no fallback to *)",
    robots: "User-agent: gleaner\nDisallow:\n\nUser-agent: *\nDisallow: /\n",
    allowed: ["/", "/x"], disallowed: [],
  },
  {
    section: "2.2.2", name: "an empty Allow does not override a Disallow",
    robots: "User-agent: *\nAllow:\nDisallow: /\n",
    allowed: [], disallowed: ["/x"],
  },
  {
    section: "2.2.2", name: "/robots.txt is always allowed",
    robots: "User-agent: *\nDisallow: /\nDisallow: /robots.txt\n",
    allowed: ["/robots.txt"], disallowed: ["/", "/robots.txt?x", "/robots.txtx"],
  },
  {
    section: "2.2 (ABNF)", name: "patterns start with / (or a wildcard); others are ignored",
    robots: "User-agent: *\nDisallow: x\nDisallow: private/\n",
    allowed: ["/x", "/private/a"], disallowed: [],
  },

  // ---- 2.2.3 special characters ------------------------------------------------------
  {
    section: "2.2.3", name: "* matches any sequence, including / and nothing",
    robots: "User-agent: *\nDisallow: /\nAllow: /this/*/exactly\n",
    allowed: ["/this/a/exactly", "/this/a/b/exactly", "/this//exactly", "/this/a/exactly/more"],
    disallowed: ["/this/exactly", "/this/a/exact"],
  },
  {
    section: "2.2.3", name: "$ anchors the end of the pattern",
    robots: "User-agent: *\nDisallow: /\nAllow: /this/path/exactly$\n",
    allowed: ["/this/path/exactly"],
    disallowed: ["/this/path/exactly/", "/this/path/exactly?x=1", "/this/path/exactl"],
  },
  {
    section: "2.2.3", name: "* and $ together",
    robots: "User-agent: *\nDisallow: /*.php$\nDisallow: /a*b*c$\n",
    allowed: ["/index.php?x=1", "/index.phps", "/acb", "/abcd"],
    disallowed: ["/index.php", "/dir/x.php", "/abc", "/abcbc", "/aXbYc"],
  },
  {
    section: "2.2.3", name: "a trailing * changes nothing",
    robots: "User-agent: *\nDisallow: /fish*\n",
    allowed: ["/Fish", "/fis"], disallowed: ["/fish", "/fish.html", "/fishheads/x"],
  },
  {
    section: "2.2.3", name: "longest match counts wildcards as written",
    robots: "User-agent: *\nAllow: /page\nDisallow: /*.html\nAllow: /x/page.\n",
    allowed: ["/page", "/x/page.html"], disallowed: ["/page.html"],
  },
  {
    section: "2.2.2, 2.2.3", name: "octets are counted as written: /* is longer than /",
    robots: "User-agent: *\nAllow: /\nDisallow: /*\nDisallow: /x\nAllow: /x*\n",
    allowed: ["/x", "/xy"], disallowed: ["/", "/b"],
  },
  {
    section: "2.2.3", name: "allow /$ opens only the root",
    robots: "User-agent: *\nAllow: /$\nDisallow: /\n",
    allowed: ["/"], disallowed: ["/page.html", "/?x"],
  },
  {
    section: "2.2.3", name: "a $ that is not last is a literal character",
    robots: "User-agent: *\nDisallow: /a$b\n",
    allowed: ["/a", "/ab"], disallowed: ["/a$b", "/a%24b", "/a$bc"],
  },
  {
    section: "2.2.3", name: "a literal * is written %2A",
    robots: "User-agent: *\nDisallow: /path/file-with-a-%2A.html\n",
    allowed: ["/path/file-with-a-x.html", "/path/file-with-a-.html"],
    disallowed: ["/path/file-with-a-*.html", "/path/file-with-a-%2A.html", "/path/file-with-a-%2a.html"],
  },
  {
    section: "2.2.3", name: "a literal $ is written %24",
    robots: "User-agent: *\nDisallow: /path/foo-%24\n",
    allowed: ["/path/foo-", "/path/foo-x"], disallowed: ["/path/foo-$", "/path/foo-%24", "/path/foo-$/more"],
  },
  {
    section: "2.2.3", name: "# starts a comment, in a line or on its own",
    robots: "# header\nUser-agent: * # everyone\nDisallow: /a # no a\n# Disallow: /b\nDisallow: /c#d\n",
    allowed: ["/b", "/"], disallowed: ["/a", "/c", "/cd"],
  },

  // ---- 2.2.2 percent-encoding (the RFC's table and the rules under it) ---------------
  {
    section: "2.2.2 table", name: "/foo/bar?baz=quz",
    robots: "User-agent: *\nDisallow: /foo/bar?baz=quz\n",
    allowed: ["/foo/bar?baz=qux"], disallowed: ["/foo/bar?baz=quz"],
  },
  {
    section: "2.2.2 table", name: "reserved characters keep their form: literal matches literal",
    robots: "User-agent: *\nDisallow: /foo/bar?baz=https://foo.bar\n",
    allowed: ["/foo/bar?baz=https%3A%2F%2Ffoo.bar"], disallowed: ["/foo/bar?baz=https://foo.bar"],
  },
  {
    section: "2.2.2 table", name: "reserved characters keep their form: encoded matches encoded (any hex case)",
    robots: "User-agent: *\nDisallow: /foo/bar?baz=https%3A%2F%2Ffoo.bar\n",
    allowed: ["/foo/bar?baz=https://foo.bar"],
    disallowed: ["/foo/bar?baz=https%3A%2F%2Ffoo.bar", "/foo/bar?baz=https%3a%2f%2ffoo.bar"],
  },
  {
    section: "2.2.2 table", name: "a non-ASCII pattern matches its UTF-8 percent-encoding",
    robots: "User-agent: *\nDisallow: /foo/bar/\u30c4\n",
    allowed: ["/foo/bar/", "/foo/bar/%E3%83"], disallowed: ["/foo/bar/%E3%83%84", "/foo/bar/%e3%83%84", "/foo/bar/\u30c4x"],
  },
  {
    section: "2.2.2 table", name: "an encoded pattern matches the encoded and the raw non-ASCII path",
    robots: "User-agent: *\nDisallow: /foo/bar/%E3%83%84\n",
    allowed: ["/foo/bar/%E3%83%85"], disallowed: ["/foo/bar/%E3%83%84", "/foo/bar/\u30c4"],
  },
  {
    section: "2.2.2 table", name: "encoded unreserved octets are decoded in the pattern",
    robots: "User-agent: *\nDisallow: /foo/bar/%62%61%7A\n",
    allowed: ["/foo/bar/ba"], disallowed: ["/foo/bar/baz", "/foo/bar/%62%61%7A", "/foo/bar/b%61z"],
  },
  {
    section: "2.2.2", name: "encoded unreserved octets are decoded in the URL",
    robots: "User-agent: *\nDisallow: /foo/bar/baz\nDisallow: /~user\n",
    allowed: [], disallowed: ["/foo/bar/%62%61%7a", "/%7Euser", "/%7euser/x"],
  },
  {
    section: "2.2.2", name: "an encoded / is not a /",
    robots: "User-agent: *\nDisallow: /a%2Fb\n",
    allowed: ["/a/b", "/a/bc"], disallowed: ["/a%2fb", "/a%2Fb", "/a%2Fbc"],
  },
  {
    section: "2.2.2", name: "a / is not an encoded /",
    robots: "User-agent: *\nDisallow: /a/b\n",
    allowed: ["/a%2Fb", "/a%2fb"], disallowed: ["/a/b"],
  },
  {
    section: "2.2.2", name: "characters that must be encoded compare equal to their encoding",
    robots: "User-agent: *\nDisallow: /a b\nDisallow: /{x}\n",
    allowed: ["/ab"], disallowed: ["/a%20b", "/%7Bx%7D", "/%7bx%7d"],
  },
  {
    section: "2.2.2", name: "a % that starts no escape is a literal %",
    robots: "User-agent: *\nDisallow: /100%\n",
    allowed: ["/100", "/1000"], disallowed: ["/100%", "/100%25", "/100%zz"],
  },
  {
    section: "2.2.2", name: "specificity counts octets of the encoded pattern",
    // "/café" compares as "/caf%C3%A9" (10 octets), longer than "/caf"; "/x/%61" is "/x/a" (4) < "/x/ab" (5)
    robots: "User-agent: *\nDisallow: /caf\nAllow: /caf\u00e9\nDisallow: /x/%61\nAllow: /x/ab\n",
    allowed: ["/caf%C3%A9", "/caf\u00e9/menu", "/x/ab"], disallowed: ["/cafe", "/x/a"],
  },
  {
    section: "2.2.2", name: "non-BMP characters encode to four octets",
    robots: "User-agent: *\nDisallow: /\u{1F600}\n",
    allowed: ["/x"], disallowed: ["/%F0%9F%98%80", "/\u{1F600}/a"],
  },

  // ---- syntax ------------------------------------------------------------------------
  {
    section: "2.2 (ABNF)", name: "field names are case-insensitive; blanks around : are allowed",
    robots: "USER-AGENT:*\n  disALLOW   :   /a   \n\tAllow\t:\t/a/b\t\n",
    allowed: ["/a/b"], disallowed: ["/a"],
  },
  {
    section: "2.2 (ABNF)", name: "CRLF line ends",
    robots: "User-agent: *\r\nDisallow: /a\r\n\r\nUser-agent: gleaner\r\nDisallow: /b\r\n",
    allowed: ["/a"], disallowed: ["/b"],
  },
  {
    section: "2.2 (ABNF)", name: "CR-only line ends",
    robots: "User-agent: gleaner\rDisallow: /b\rAllow: /b/ok\r",
    allowed: ["/b/ok"], disallowed: ["/b"],
  },
  {
    section: "2.2 (ABNF)", name: "mixed line ends",
    robots: "User-agent: gleaner\nDisallow: /a\r\nDisallow: /b\rDisallow: /c",
    allowed: ["/d"], disallowed: ["/a", "/b", "/c"],
  },
  {
    section: "2.3", name: "a UTF-8 byte order mark is ignored",
    robots: "\ufeffUser-agent: gleaner\nDisallow: /bom\n",
    allowed: ["/x"], disallowed: ["/bom"],
  },
  {
    section: "2.3.1.5", name: "unparseable lines are skipped, the rest is used",
    robots: "<html>oops\nUser-agent *\nUser-agent: gleaner\nthis line has no colon\nDisallow /x\nDisallow: /y\n",
    allowed: ["/x"], disallowed: ["/y"],
  },
];

for (const c of CASES) {
  test(`RFC 9309 ${c.section}: ${c.name}`, () => {
    const rules = parseRobots(c.robots, c.ua ?? UA, "https://example.com/robots.txt");
    for (const p of c.allowed) assert.equal(rules.isAllowed(p), true, `${p} should be allowed`);
    for (const p of c.disallowed) assert.equal(rules.isAllowed(p), false, `${p} should be disallowed`);
  });
}

test("match() names the deciding rule as written and its line", () => {
  const rules = parseRobots("User-agent: *\n\nDisallow: /private # staff only\nAllow: /private/%7Epub*\n", UA);
  assert.deepEqual(rules.match("/private/a"), { allow: false, pattern: "/private", line: 3 });
  assert.deepEqual(rules.match("/private/~pub/x"), { allow: true, pattern: "/private/%7Epub*", line: 4 });
  assert.equal(rules.match("/public"), null);
  assert.equal(rules.match("/robots.txt"), null);
  assert.equal(rules.match(""), null, "an empty path is /");
});

test("ALLOW_ALL and DISALLOW_ALL", () => {
  assert.equal(ALLOW_ALL.isAllowed("/anything?x=1"), true);
  assert.equal(ALLOW_ALL.match("/x"), null);
  assert.equal(ALLOW_ALL.crawlDelayMs, null);
  assert.deepEqual(ALLOW_ALL.sitemaps, []);
  assert.equal(DISALLOW_ALL.isAllowed("/"), false);
  assert.equal(DISALLOW_ALL.isAllowed("/a/b?c"), false);
  assert.equal(DISALLOW_ALL.isAllowed("/robots.txt"), true);
  assert.deepEqual(DISALLOW_ALL.match("/x"), { allow: false, pattern: "/", line: 0 });
  assert.throws(() => DISALLOW_ALL.sitemaps.push("x"), TypeError, "shared constants cannot be mutated");
});

test("product token: the UA's leading letters, _ and -", () => {
  assert.equal(productToken(UA), "gleaner");
  assert.equal(productToken("Googlebot-Image/1.0"), "googlebot-image");
  assert.equal(productToken("my_bot"), "my_bot");
  assert.equal(productToken("Mozilla/5.0 (compatible; gleaner)"), "mozilla");
  assert.equal(productToken(""), "");
  assert.equal(productToken("1bot"), "");
  // An empty product token matches no named group, only *.
  const rules = parseRobots("User-agent: bot\nDisallow: /a\nUser-agent: *\nDisallow: /b\n", "123");
  assert.equal(rules.isAllowed("/a"), true);
  assert.equal(rules.isAllowed("/b"), false);
});

test("crawl-delay: seconds of the chosen group, decimals allowed, invalid ignored, capped at 60 s", () => {
  const delay = (robots: string, ua = UA) => parseRobots(robots, ua).crawlDelayMs;
  assert.equal(delay("User-agent: *\nCrawl-delay: 2.5\n"), 2500);
  assert.equal(delay("User-agent: *\ncrawl-DELAY: .5\n"), 500);
  assert.equal(delay("User-agent: *\nCrawl-delay: 10\n"), 10_000);
  assert.equal(delay("User-agent: *\nCrawl-delay: 3600\n"), 60_000);
  assert.equal(delay("User-agent: *\nCrawl-delay: 0\n"), 0);
  for (const bad of ["-1", "abc", "", "1e3", "0x10", "5s", "1.2.3"]) {
    assert.equal(delay(`User-agent: *\nCrawl-delay: ${bad}\n`), null, `Crawl-delay: ${bad}`);
  }
  assert.equal(delay("User-agent: *\nDisallow: /x\n"), null, "none given");
  assert.equal(delay("Crawl-delay: 5\nUser-agent: *\nDisallow: /x\n"), null, "before any group");
  const both = "User-agent: *\nCrawl-delay: 10\n\nUser-agent: gleaner\nCrawl-delay: 3\nDisallow: /x\n";
  assert.equal(delay(both), 3000, "our group's, not *'s");
  assert.equal(delay(both, "otherbot"), 10_000);
  assert.equal(delay("User-agent: other\nCrawl-delay: 7\n"), null, "another bot's delay is not ours");
  // crawl-delay is a group member: it ends a run of user-agent lines like a rule does
  const r = parseRobots("User-agent: other\nCrawl-delay: 7\nUser-agent: gleaner\nDisallow: /a\n", UA);
  assert.equal(r.crawlDelayMs, null);
  assert.equal(r.isAllowed("/a"), false);
});

test("sitemaps: global, resolved against the robots.txt URL, deduplicated", () => {
  const text = [
    "Sitemap: https://cdn.example.net/all.xml",
    "User-agent: other",
    "Disallow: /",
    "Sitemap: /sitemaps/news.xml # relative",
    "User-agent: *",
    "sitemap: https://cdn.example.net/all.xml",
    "SITEMAP:   sitemap-2.xml   ",
    "Sitemap: ftp://example.com/x.xml",
    "Sitemap: http://[bad",
    "Sitemap:",
  ].join("\n");
  const rules = parseRobots(text, UA, "https://www.example.com/robots.txt");
  assert.deepEqual(rules.sitemaps, [
    "https://cdn.example.net/all.xml",
    "https://www.example.com/sitemaps/news.xml",
    "https://www.example.com/sitemap-2.xml",
  ]);
  // Without the robots.txt URL, only absolute sitemap URLs can be kept.
  assert.deepEqual(parseRobots(text, UA).sitemaps, ["https://cdn.example.net/all.xml"]);
});

test("size cap: only the first 500 KiB (512000 bytes) are parsed", () => {
  const head = "User-agent: *\nDisallow: /early\n";
  const filler = (bytes: number) => "#" + "x".repeat(bytes - 2) + "\n";
  // Rules wholly after the cap are ignored.
  const past = head + filler(MAX_ROBOTS_BYTES) + "Disallow: /late\n";
  let rules = parseRobots(past, UA);
  assert.equal(rules.isAllowed("/early"), false);
  assert.equal(rules.isAllowed("/late"), true);
  // A rule ending exactly at the cap is used.
  const line = "Disallow: /last\n";
  const exact = head + filler(MAX_ROBOTS_BYTES - head.length - line.length) + line + "Disallow: /after\n";
  assert.equal(Buffer.byteLength(exact.slice(0, exact.indexOf("Disallow: /after"))), MAX_ROBOTS_BYTES);
  rules = parseRobots(exact, UA);
  assert.equal(rules.isAllowed("/last"), false);
  assert.equal(rules.isAllowed("/after"), true);
  // A line cut by the cap is dropped, not read as a shorter (different) rule.
  const cut = head + filler(MAX_ROBOTS_BYTES - head.length - "Disallow: /abc".length) + "Disallow: /abcdef\n";
  rules = parseRobots(cut, UA);
  assert.equal(rules.isAllowed("/abc"), true);
  assert.equal(rules.isAllowed("/abcdef"), true);
  // The cap counts UTF-8 bytes, not characters: 300k "é" are 300k chars but 600 KB.
  const wide = head + "#" + "\u00e9".repeat(300_000) + "\nDisallow: /late\n";
  assert.ok(wide.length < MAX_ROBOTS_BYTES);
  rules = parseRobots(wide, UA);
  assert.equal(rules.isAllowed("/early"), false);
  assert.equal(rules.isAllowed("/late"), true);
});

test("normalizePath returns the same string when already canonical", () => {
  const p = "/a/b-c_d.e~f?x=1&y=%2F%E3%83%84";
  assert.equal(normalizePath(p), p);
  assert.equal(normalizePath("/%7e%2f%e3"), "/~%2F%E3");
  assert.equal(normalizePath("/\u30c4*$"), "/%E3%83%84%2A%24");
  assert.equal(normalizePath("/\ud800x"), "/%EF%BF%BDx", "a lone surrogate becomes U+FFFD");
});

test("wildcard matching agrees with a regular-expression reference on random patterns", () => {
  const rand = mulberry32(9309);
  const pick = (chars: string, n: number) => {
    let s = "";
    for (let i = 0; i < n; i++) s += chars[Math.floor(rand() * chars.length)];
    return s;
  };
  let checked = 0;
  for (let i = 0; i < 3000; i++) {
    const pattern = "/" + pick("ab/**", Math.floor(rand() * 7)) + (rand() < 0.4 ? "$" : "");
    const path = "/" + pick("ab/", Math.floor(rand() * 9));
    const anchored = pattern.endsWith("$");
    const body = anchored ? pattern.slice(0, -1) : pattern;
    const re = new RegExp("^" + body.split("*").join(".*") + (anchored ? "$" : ""));
    const rules = parseRobots(`User-agent: *\nDisallow: ${pattern}\n`, UA);
    assert.equal(rules.isAllowed(path), !re.test(path), `pattern ${pattern} vs path ${path}`);
    checked++;
  }
  assert.equal(checked, 3000);
});

test("longest match over many rules agrees with a brute-force reference", () => {
  const rand = mulberry32(2022);
  const pick = (chars: string, n: number) => {
    let s = "";
    for (let i = 0; i < n; i++) s += chars[Math.floor(rand() * chars.length)];
    return s;
  };
  for (let file = 0; file < 200; file++) {
    const rules: { allow: boolean; re: RegExp; priority: number }[] = [];
    let text = "User-agent: *\n";
    const count = 1 + Math.floor(rand() * 40);
    for (let i = 0; i < count; i++) {
      const allow = rand() < 0.5;
      const pattern = (rand() < 0.1 ? "*" : "/") + pick("ab/ab*", Math.floor(rand() * 6)) + (rand() < 0.3 ? "$" : "");
      text += `${allow ? "Allow" : "Disallow"}: ${pattern}\n`;
      const anchored = pattern.endsWith("$");
      const body = (anchored ? pattern.slice(0, -1) : pattern).replace(/\*+/g, "*");
      const re = new RegExp("^" + body.split("*").join(".*") + (anchored ? "$" : ""));
      rules.push({ allow, re, priority: body.length + (anchored ? 1 : 0) });
    }
    const parsed = parseRobots(text, UA);
    for (let j = 0; j < 30; j++) {
      const path = "/" + pick("ab/", Math.floor(rand() * 8));
      let best = -1;
      let allowed = true;
      for (const r of rules) {
        if (!r.re.test(path)) continue;
        if (r.priority > best) {
          best = r.priority;
          allowed = r.allow;
        } else if (r.priority === best && r.allow) {
          allowed = true;
        }
      }
      assert.equal(parsed.isAllowed(path), allowed, `${path} against\n${text}`);
    }
  }
});

test("a hostile pattern is matched in polynomial time", () => {
  const pattern = "/" + "a*".repeat(2000) + "b";
  const rules = parseRobots(`User-agent: *\nDisallow: ${pattern}\nDisallow: /${"*a".repeat(500)}$\n`, UA);
  assert.equal(rules.isAllowed("/" + "a".repeat(5000)), false, "second rule: ends in enough a's");
  assert.equal(rules.isAllowed("/" + "a".repeat(5000) + "c"), true);
  assert.equal(rules.isAllowed("/" + "a".repeat(3000) + "b"), false);
});
