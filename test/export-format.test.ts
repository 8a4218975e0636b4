/**
 * Export formats, parsed back: CSV with an RFC 4180 parser written here, JSON via JSON.parse,
 * JSONL line by line. Every export goes to a real temp file.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { GleanerError } from "../src/shared/errors.js";
import {
  csvCell,
  EXPORT_FORMATS,
  writeExport,
  type ExportFormat,
  type ExportRow,
} from "../src/export/index.js";

const dir = mkdtempSync(join(tmpdir(), "gleaner-export-format-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

/** Exports to a fresh temp file and returns its text (and the reported totals). */
async function exportToFile(
  rows: Iterable<ExportRow> | AsyncIterable<ExportRow>,
  format: ExportFormat,
  fields: string[] = [],
  meta?: boolean,
): Promise<{ text: string; count: number; bytes: number }> {
  const file = join(dir, `out-${fileNo++}.${format}`);
  const out = createWriteStream(file);
  let result;
  try {
    result = await writeExport(rows, { format, fields, out, ...(meta === undefined ? {} : { meta }) });
    assert.equal(out.writableEnded, false, "writeExport must leave ending the stream to the caller");
  } finally {
    out.end(); // the caller owns the stream, on failure too
    await finished(out);
  }
  const { count, bytes } = result;
  const buf = readFileSync(file);
  assert.equal(buf.length, bytes, "reported bytes = file size");
  return { text: buf.toString("utf8"), count, bytes };
}

/** Strict RFC 4180 parser: records end with CRLF; CR or LF outside quotes is an error. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let i = 0;
  let quoted = false; // the current cell started with a quote
  let atCellStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false; // closing quote: next must be , or CRLF or end
        i++;
        const n = text[i];
        if (n !== undefined && n !== "," && n !== "\r") throw new Error(`garbage after closing quote at ${i}`);
        continue;
      }
      cell += c;
      i++;
      continue;
    }
    if (atCellStart && c === '"') {
      quoted = true;
      atCellStart = false;
      i++;
      continue;
    }
    if (c === ",") {
      record.push(cell);
      cell = "";
      atCellStart = true;
      i++;
      continue;
    }
    if (c === "\r") {
      if (text[i + 1] !== "\n") throw new Error(`bare CR at ${i}`);
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
      atCellStart = true;
      i += 2;
      continue;
    }
    if (c === "\n") throw new Error(`bare LF outside quotes at ${i}`);
    if (c === '"') throw new Error(`quote inside an unquoted cell at ${i}`);
    cell += c;
    atCellStart = false;
    i++;
  }
  if (quoted) throw new Error("unterminated quoted cell");
  if (!atCellStart || record.length > 0) throw new Error("last record does not end with CRLF");
  return records;
}

const quotes: ExportRow[] = [
  {
    type: "quote",
    url: "https://quotes.example/page/1/",
    json: JSON.stringify({ text: "“The world”, he said, \"is ours\"", author: "Albert Einstein", tags: ["change", "deep-thoughts"] }),
  },
  {
    type: "quote",
    url: "https://quotes.example/page/1/?q=\"x\",y",
    json: JSON.stringify({ text: "line one\r\nline two\nline three", author: "Zoë 日本語 🎉", tags: [] }),
  },
  { type: "quote", url: "https://quotes.example/page/2/", json: JSON.stringify({ text: "", author: null, tags: ["a"] }) },
  { type: "author", url: "https://quotes.example/author/x/", json: JSON.stringify({ name: "André", born: "1869-11-22", n: -3 }) },
  { type: "empty", url: "https://quotes.example/e", json: "{}" },
];

test("JSONL: one spliced object per line, equal to the stored fields plus _type/_url", async () => {
  const { text, count } = await exportToFile(quotes, "jsonl");
  assert.equal(count, quotes.length);
  assert.ok(text.endsWith("\n"));
  const lines = text.slice(0, -1).split("\n");
  assert.equal(lines.length, quotes.length);
  lines.forEach((line, i) => {
    const row = quotes[i]!;
    assert.deepEqual(JSON.parse(line), { _type: row.type, _url: row.url, ...JSON.parse(row.json) });
    assert.deepEqual(Object.keys(JSON.parse(line)).slice(0, 2), ["_type", "_url"]);
  });
  assert.equal(lines[4], '{"_type":"empty","_url":"https://quotes.example/e"}');
});

test("JSONL without meta is the stored text, one per line", async () => {
  const { text } = await exportToFile(quotes, "jsonl", [], false);
  assert.equal(text, quotes.map((r) => r.json + "\n").join(""));
});

test("JSONL escapes _type and _url; tolerates whitespace in an empty object", async () => {
  const rows: ExportRow[] = [
    { type: 'we"ird\\type', url: "https://x.example/\u2028\"\\\n", json: "{ }" },
    { type: "t", url: "u", json: '{"a":1}' },
  ];
  const lines = (await exportToFile(rows, "jsonl")).text.trimEnd().split("\n");
  assert.deepEqual(JSON.parse(lines[0]!), { _type: 'we"ird\\type', _url: "https://x.example/\u2028\"\\\n" });
  assert.deepEqual(JSON.parse(lines[1]!), { _type: "t", _url: "u", a: 1 });
});

test("JSON: one array, records separated by ,\\n", async () => {
  const { text } = await exportToFile(quotes, "json");
  assert.ok(text.startsWith("[\n{") && text.endsWith("}\n]\n"));
  const parsed = JSON.parse(text) as unknown[];
  assert.deepEqual(
    parsed,
    quotes.map((r) => ({ _type: r.type, _url: r.url, ...JSON.parse(r.json) })),
  );
  const plain = JSON.parse((await exportToFile(quotes, "json", [], false)).text) as unknown[];
  assert.deepEqual(plain, quotes.map((r) => JSON.parse(r.json)));
});

test("empty input: csv is the header, json is []\\n, jsonl is empty", async () => {
  assert.deepEqual(await exportToFile([], "jsonl"), { text: "", count: 0, bytes: 0 });
  assert.deepEqual(await exportToFile([], "json"), { text: "[]\n", count: 0, bytes: 3 });
  const csv = await exportToFile([], "csv", ["text", "author"]);
  assert.equal(csv.text, "_type,_url,text,author\r\n");
  assert.equal(csv.count, 0);
  assert.deepEqual(JSON.parse((await exportToFile([], "json", [], false)).text), []);
  assert.equal(EXPORT_FORMATS.length, 3);
});

test("CSV: union header, missing fields empty, quotes/commas/CRLF/LF/unicode round-trip", async () => {
  const fields = ["text", "author", "tags", "name", "born", "n"];
  const { text, count } = await exportToFile(quotes, "csv", fields);
  assert.equal(count, quotes.length);
  const records = parseCsv(text);
  assert.deepEqual(records, [
    ["_type", "_url", ...fields],
    ["quote", "https://quotes.example/page/1/", "“The world”, he said, \"is ours\"", "Albert Einstein", "change; deep-thoughts", "", "", ""],
    ["quote", "https://quotes.example/page/1/?q=\"x\",y", "line one\r\nline two\nline three", "Zoë 日本語 🎉", "", "", "", ""],
    ["quote", "https://quotes.example/page/2/", "", "", "a", "", "", ""],
    ["author", "https://quotes.example/author/x/", "", "", "", "André", "1869-11-22", "-3"],
    ["empty", "https://quotes.example/e", "", "", "", "", "", ""],
  ]);
  assert.ok(!text.startsWith("\uFEFF"), "no BOM");
});

test("CSV without meta has only the fields; a lone empty column is kept as a record", async () => {
  const rows: ExportRow[] = [
    { type: "q", url: "u1", json: '{"a":"x"}' },
    { type: "q", url: "u2", json: '{"b":"y"}' },
  ];
  const { text } = await exportToFile(rows, "csv", ["a"], false);
  assert.equal(text, 'a\r\nx\r\n""\r\n');
  assert.deepEqual(parseCsv(text), [["a"], ["x"], [""]]);
});

test("CSV reads own fields only: 'constructor' and '__proto__' columns are empty when absent", async () => {
  const rows: ExportRow[] = [
    { type: "q", url: "u", json: "{}" },
    { type: "q", url: "u", json: '{"constructor":"c","__proto__":"p"}' },
  ];
  const records = parseCsv((await exportToFile(rows, "csv", ["constructor", "__proto__"], false)).text);
  assert.deepEqual(records, [["constructor", "__proto__"], ["", ""], ["c", "p"]]);
});

test("formula-injection guard on cells, header and _url; real numbers untouched", async () => {
  const table: [unknown, string][] = [
    ["=1+1", "'=1+1"],
    ["+x", "'+x"],
    ["-x", "'-x"],
    ["@x", "'@x"],
    ["\tx", "'\tx"],
    ["\rx", "\"'\rx\""],
    ["-", "'-"],
    ["-3", "'-3"], // scraped text that looks like a number is still text
    [-3, "-3"],
    [1.5e21, "1.5e+21"],
    [0, "0"],
    ["a=b", "a=b"],
    ["", ""],
    [null, ""],
    [undefined, ""],
    [true, "true"],
    [false, "false"],
    [["a", "b"], "a; b"],
    [["=x", "y"], "'=x; y"],
    [[null, "z"], "; z"],
    [[1, { k: 1 }, [2]], '"1; {""k"":1}; [2]"'],
    [{ a: 1 }, '"{""a"":1}"'],
    ['say "hi", ok', '"say ""hi"", ok"'],
    ["=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""],
  ];
  for (const [value, cell] of table) assert.equal(csvCell(value), cell, `csvCell(${JSON.stringify(value)})`);

  const rows: ExportRow[] = [
    { type: "q", url: "=cmd|' /C calc'!A0", json: JSON.stringify({ "=sum": "=1+1", n: -3, s: "-3", tags: ["@a", "b"] }) },
  ];
  const records = parseCsv((await exportToFile(rows, "csv", ["=sum", "n", "s", "tags"])).text);
  assert.deepEqual(records, [
    ["_type", "_url", "'=sum", "n", "s", "tags"],
    ["q", "'=cmd|' /C calc'!A0", "'=1+1", "-3", "'-3", "'@a; b"],
  ]);
});

test("async iterable input", async () => {
  async function* slowRows(): AsyncGenerator<ExportRow> {
    for (const row of quotes) {
      await new Promise((r) => setImmediate(r));
      yield row;
    }
  }
  for (const format of EXPORT_FORMATS) {
    const fromAsync = await exportToFile(slowRows(), format, ["text", "author"]);
    const fromSync = await exportToFile(quotes, format, ["text", "author"]);
    assert.equal(fromAsync.count, quotes.length);
    assert.equal(fromAsync.text, fromSync.text, format);
  }
});

test("a corrupt stored row rejects with GLEANER_ERR_EXPORT_ROW naming the item; unknown format rejects", async () => {
  const bad = (json: string): ExportRow[] => [quotes[0]!, { type: "q", url: "https://bad.example/", json }];
  for (const [format, json] of [["csv", "{not json"], ["csv", "[1,2]"], ["jsonl", "[1,2]"], ["json", "null"]] as const) {
    await assert.rejects(exportToFile(bad(json), format, ["text"]), (err: unknown) => {
      assert.ok(err instanceof GleanerError);
      assert.equal(err.code, "GLEANER_ERR_EXPORT_ROW");
      assert.equal(err.context.url, "https://bad.example/");
      return true;
    });
  }
  await assert.rejects(
    exportToFile(quotes, "xml" as ExportFormat),
    (err: unknown) => err instanceof GleanerError && err.code === "GLEANER_ERR_EXPORT_FORMAT",
  );
});
