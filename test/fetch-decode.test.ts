/**
 * Content decoding through the HTTP fetcher (compression, charsets, binary types) against
 * real node:http servers on 127.0.0.1, plus direct decodeBody cases.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as zlib from "node:zlib";
import { createHttpFetcher, decodeBody, FetchError, textSize, utf8Markup, type FetchedPage } from "../src/fetch/index.js";

interface Reply { headers: Record<string, string>; body: Buffer }

/** Serves one fixed reply, fetches it and returns the page (server and fetcher closed after). */
async function fetchReply(reply: Reply): Promise<FetchedPage> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, reply.headers);
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const f = createHttpFetcher();
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return await f.fetch({ url, userAgent: "gleaner-test/1", timeoutMs: 5_000, maxRedirects: 5, maxBodyBytes: 1 << 20 });
  } finally {
    await f.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const HTML = "<!doctype html><html><head><title>Café ☕ naïve</title></head><body>" + "<p>ünïcödé</p>".repeat(200) + "</body></html>";
const HTML_BYTES = Buffer.from(HTML, "utf8");
const T = { timeout: 15_000 };

async function decodesTo(coding: string, body: Buffer): Promise<void> {
  const page = await fetchReply({ headers: { "content-type": "text/html; charset=utf-8", "content-encoding": coding }, body });
  assert.equal(page.text, HTML, coding);
  assert.equal(page.bodyBytes, HTML_BYTES.length, coding);
  assert.equal(page.isHtml, true);
  assert.equal(page.charset, "utf-8");
}

test("gzip, x-gzip, zlib deflate, raw deflate, br and identity bodies are decompressed", T, async () => {
  await decodesTo("gzip", zlib.gzipSync(HTML_BYTES));
  await decodesTo("x-gzip", zlib.gzipSync(HTML_BYTES));
  await decodesTo("deflate", zlib.deflateSync(HTML_BYTES));
  await decodesTo("deflate", zlib.deflateRawSync(HTML_BYTES));
  await decodesTo("br", zlib.brotliCompressSync(HTML_BYTES));
  await decodesTo("identity", HTML_BYTES);
  await decodesTo("GZIP", zlib.gzipSync(HTML_BYTES)); // coding names are case-insensitive
});

test("an empty compressed body is an empty text", T, async () => {
  const page = await fetchReply({ headers: { "content-type": "text/html", "content-encoding": "gzip" }, body: Buffer.alloc(0) });
  assert.equal(page.text, "");
  assert.equal(page.bodyBytes, 0);
});

test("corrupt or truncated compressed bodies and unknown codings are decode errors (skip)", T, async () => {
  const gz = zlib.gzipSync(HTML_BYTES);
  const corrupt = Buffer.from(gz);
  corrupt.fill(0x55, 20, 60);
  const cases: [string, Buffer][] = [
    ["gzip", corrupt],
    ["gzip", gz.subarray(0, gz.length - 30)],
    ["br", Buffer.from("definitely not brotli data, no no no")],
    ["deflate", Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])],
    ["zstd", HTML_BYTES],
  ];
  for (const [coding, body] of cases) {
    await assert.rejects(fetchReply({ headers: { "content-type": "text/html", "content-encoding": coding }, body }), (err) => {
      assert.ok(err instanceof FetchError);
      assert.equal(err.code, "GLEANER_ERR_DECODE", `${coding}: ${err.message}`);
      assert.equal(err.action, "skip");
      return true;
    });
  }
});

// "Café €" in windows-1252: 0xE9 = é, 0x80 = € (ISO-8859-1 would give U+0080 there)
const LATIN = Buffer.concat([Buffer.from("<html><body>Caf"), Buffer.from([0xe9, 0x20, 0x80]), Buffer.from("</body></html>")]);

test("latin-1 declared in the Content-Type header decodes as windows-1252", T, async () => {
  const page = await fetchReply({ headers: { "content-type": "text/html; charset=ISO-8859-1" }, body: LATIN });
  assert.equal(page.charset, "windows-1252");
  assert.equal(page.text, "<html><body>Café €</body></html>");
  const quoted = await fetchReply({ headers: { "content-type": 'text/plain; charset="latin1"' }, body: Buffer.from([0x63, 0x61, 0x66, 0xe9]) });
  assert.equal(quoted.text, "café");
  assert.equal(quoted.isHtml, false);
});

test("latin-1 declared only in <meta> (both forms) is found by the prescan", T, async () => {
  const forms = [
    '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
    "<meta charset='latin1'>",
  ];
  for (const meta of forms) {
    const body = Buffer.concat([Buffer.from(`<!doctype html><html><head>${meta}</head><body>Caf`), Buffer.from([0xe9]), Buffer.from("</body></html>")]);
    const page = await fetchReply({ headers: { "content-type": "text/html" }, body });
    assert.equal(page.charset, "windows-1252", meta);
    assert.match(page.text!, /<body>Café<\/body>/);
  }
});

test("a UTF-8 BOM wins over the header charset and is stripped", T, async () => {
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), HTML_BYTES]);
  const page = await fetchReply({ headers: { "content-type": "text/html; charset=iso-8859-1" }, body });
  assert.equal(page.charset, "utf-8");
  assert.equal(page.text, HTML);
});

test("a UTF-16LE BOM is honoured and stripped; UTF-16BE too", T, async () => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("<html>héllo ☕</html>", "utf16le")]);
  const page = await fetchReply({ headers: { "content-type": "text/html" }, body: le });
  assert.equal(page.charset, "utf-16le");
  assert.equal(page.text, "<html>héllo ☕</html>");
  const be = Buffer.from(le).swap16(); // FE FF + big-endian code units
  assert.deepEqual(decodeBody(be, "text/html", true), { text: "<html>héllo ☕</html>", charset: "utf-16be" });
});

test("shift_jis from the header is decoded", T, async () => {
  const body = Buffer.concat([Buffer.from("<html><body>"), Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea]), Buffer.from("</body></html>")]);
  const page = await fetchReply({ headers: { "content-type": "text/html; charset=Shift_JIS" }, body });
  assert.equal(page.charset, "shift_jis");
  assert.equal(page.text, "<html><body>日本語</body></html>");
});

test("a PDF is recorded (bytes counted) with text null", T, async () => {
  const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(5000, 0x00), Buffer.from("%%EOF")]);
  const page = await fetchReply({ headers: { "content-type": "application/pdf" }, body: pdf });
  assert.equal(page.contentType, "application/pdf");
  assert.equal(page.text, null);
  assert.equal(page.charset, null);
  assert.equal(page.isHtml, false);
  assert.equal(page.bodyBytes, pdf.length);
  const gz = await fetchReply({ headers: { "content-type": "image/png", "content-encoding": "gzip" }, body: zlib.gzipSync(pdf) });
  assert.equal(gz.bodyBytes, pdf.length); // decompressed length
  assert.equal(gz.text, null);
});

test("without a content-type, HTML is sniffed and binary stays binary", T, async () => {
  const html = await fetchReply({ headers: {}, body: Buffer.from("\n  <!DOCTYPE HTML><html><p>x</p></html>") });
  assert.equal(html.contentType, "");
  assert.equal(html.isHtml, true);
  assert.equal(html.text, "\n  <!DOCTYPE HTML><html><p>x</p></html>");
  const bin = await fetchReply({ headers: {}, body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]) });
  assert.equal(bin.isHtml, false);
  assert.equal(bin.text, null);
  assert.equal(bin.bodyBytes, 11);
  const plain = await fetchReply({ headers: {}, body: Buffer.from("just some words") });
  assert.equal(plain.isHtml, false);
  assert.equal(plain.text, "just some words");
});

test("decodeBody: unknown labels fall through, meta in comments is ignored, undeclared non-UTF-8 HTML is windows-1252", () => {
  const utf8 = Buffer.from("<p>né</p>");
  assert.deepEqual(decodeBody(utf8, "text/html; charset=no-such-charset", false), { text: "<p>né</p>", charset: "utf-8" });
  assert.deepEqual(decodeBody(utf8, "text/html", true), { text: "<p>né</p>", charset: "utf-8" });

  const commented = Buffer.concat([Buffer.from('<!-- <meta charset="shift_jis"> --><meta charset="windows-1252"><p>n'), Buffer.from([0xe9])]);
  assert.equal(decodeBody(commented, undefined, true).charset, "windows-1252");
  assert.equal(decodeBody(commented, undefined, true).text.endsWith("né"), true);

  // unknown header label, then a meta prescan still applies
  const metaAfterBadHeader = Buffer.from('<meta charset="iso-8859-2"><p>x</p>');
  assert.equal(decodeBody(metaAfterBadHeader, "text/html; charset=bogus", true).charset, "iso-8859-2");
  // a meta claiming UTF-16 is read as UTF-8 (WHATWG)
  assert.equal(decodeBody(Buffer.from('<meta charset="utf-16"><p>é</p>'), undefined, true).charset, "utf-8");
  // no declaration, invalid UTF-8 in HTML: legacy default
  const legacy = decodeBody(Buffer.from([0x3c, 0x70, 0x3e, 0x63, 0x61, 0x66, 0xe9]), "text/html", true);
  assert.deepEqual(legacy, { text: "<p>café", charset: "windows-1252" });
  // windows-1252's 0x80-0x9F block (Node's own decoder gets these wrong)
  const smart = Buffer.from([0x93, 0x68, 0x69, 0x94, 0x20, 0x97, 0x20, 0x99, 0x20, 0x8c, 0x9f, 0x81]);
  assert.deepEqual(decodeBody(smart, "text/plain; charset=us-ascii", false), { text: "\u201chi\u201d \u2014 \u2122 \u0152\u0178\u0081", charset: "windows-1252" });
  // meta beyond the first 1024 bytes is not seen
  const late = Buffer.concat([Buffer.from(" ".repeat(1100)), Buffer.from('<meta charset="shift_jis">')]);
  assert.equal(decodeBody(late, undefined, true).charset, "utf-8");
});

test("a UTF-8 HTML page is decoded on first read of text; until then its bytes go out one per char", T, async () => {
  const html = "<html><body><p title=\"caf\u00e9\">\u201cna\u00efve\u201d \u20ac5 \ud83d\ude00</p>\ufffd</body></html>";
  const bytes = Buffer.concat([Buffer.from(html, "utf8"), Buffer.from([0xe2, 0x82])]); // ends in a cut sequence
  const page = await fetchReply({ headers: { "content-type": "text/html; charset=utf-8" }, body: bytes });
  assert.equal(page.charset, "utf-8");
  // Not decoded yet: the markup is the bytes, one char per byte, flagged as UTF-8 bytes.
  assert.equal(textSize(page), bytes.length);
  const markup = utf8Markup(page);
  assert.deepEqual(markup, { html: bytes.toString("latin1"), utf8Bytes: true });
  // Reading text decodes it, as decodeBody would (the cut sequence becomes U+FFFD).
  assert.equal(page.text, bytes.toString("utf8"));
  assert.equal(page.text, decodeBody(bytes, "text/html; charset=utf-8", true).text);
  assert.equal(utf8Markup(page), null, "once decoded, the text is what goes out");
  assert.equal(textSize(page), bytes.toString("utf8").length);
  // A copy made by spreading keeps the text; setting null drops it.
  assert.equal({ ...page }.text, bytes.toString("utf8"));
  page.text = null;
  assert.equal(page.text, null);
  assert.equal(textSize(page), 0);
});

test("only undecoded UTF-8 HTML goes out as bytes: ASCII says so, a BOM is skipped, other charsets and types are decoded", T, async () => {
  const ascii = await fetchReply({ headers: { "content-type": "text/html" }, body: Buffer.from("<p>plain &amp; simple</p>") });
  assert.deepEqual(utf8Markup(ascii), { html: "<p>plain &amp; simple</p>", utf8Bytes: false });

  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("<p>\u00e9t\u00e9</p>", "utf8")]);
  const withBom = await fetchReply({ headers: { "content-type": "text/html; charset=iso-8859-1" }, body: bom });
  assert.deepEqual(utf8Markup(withBom), { html: Buffer.from("<p>\u00e9t\u00e9</p>", "utf8").toString("latin1"), utf8Bytes: true });
  assert.equal(withBom.text, "<p>\u00e9t\u00e9</p>");

  const latin = await fetchReply({ headers: { "content-type": "text/html; charset=ISO-8859-1" }, body: LATIN });
  assert.equal(utf8Markup(latin), null);
  assert.equal(latin.charset, "windows-1252");

  const plain = await fetchReply({ headers: { "content-type": "text/plain; charset=utf-8" }, body: Buffer.from("caf\u00e9", "utf8") });
  assert.equal(utf8Markup(plain), null, "only HTML is parsed from bytes");
  assert.equal(plain.text, "caf\u00e9");
});
