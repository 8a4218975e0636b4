import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startPracticeSite } from "../src/practice/index.js";
import { SqliteStore } from "../src/store/index.js";
import { runCli } from "./support/cli.js";
import { practiceSpec } from "./support/practice-spec.js";
import { tempDir } from "./support/tmp.js";

function lastLine(s: string): string {
  return s.trimEnd().split("\n").at(-1) ?? "";
}

test("unknown commands and flags exit 2 and name the problem", async () => {
  const a = await runCli(["crawl"]);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /unknown command "crawl"/);
  const b = await runCli(["run", "x.yaml", "--fast"]);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /--fast/);
  const c = await runCli(["export", "1", "--format", "xml"]);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /--format must be one of csv, json, jsonl/);
  const d = await runCli(["run", new URL("../../examples/practice.yaml", import.meta.url).pathname, "--extract-workers", "50"]);
  assert.equal(d.code, 2);
  assert.match(d.stderr, /--extract-workers expects at most 16, got 50/);
  const help = await runCli(["run", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Example:/);
});

test("a broken spec exits 2 naming the path and nothing is stored", async (t) => {
  const dir = tempDir(t);
  const spec = join(dir, "bad.yaml");
  writeFileSync(spec, "name: bad\nstart: [http://127.0.0.1:9/]\nextract:\n  q:\n    fields:\n      born: { selector: .b, type: dat }\n");
  const r = await runCli(["run", spec, "--db", join(dir, "g.db")]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /extract\.q\.fields\.born\.type/);
  assert.match(r.stderr, /date/);
  const missing = await runCli(["run", join(dir, "nope.yaml")]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /file not found/);
  const check = await runCli(["check", spec, "--offline"]);
  assert.equal(check.code, 2);
});

test("run --json, jobs and export work end to end", async (t) => {
  const site = await startPracticeSite({ pages: 120 });
  t.after(() => site.close());
  const dir = tempDir(t);
  const spec = join(dir, "practice.json");
  writeFileSync(spec, JSON.stringify(practiceSpec(site.url)));
  const db = join(dir, "g.db");
  const badWorkers = await runCli(["run", spec, "--db", db, "--extract-workers", "many"]);
  assert.equal(badWorkers.code, 2);
  assert.match(badWorkers.stderr, /--extract-workers expects a whole number >= 0, got "many"/);
  const r = await runCli(["run", spec, "--db", db, "--json", "--extract-workers", "2"]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(lastLine(r.stdout));
  assert.deepEqual(Object.keys(summary).sort(), ["failed", "items", "job", "pages", "seconds", "state"]);
  assert.equal(summary.state, "done");
  const expectedItems = Object.values(site.manifest.items).reduce((n, l) => n + l.length, 0);
  assert.equal(summary.items, expectedItems);
  assert.ok(summary.pages >= site.manifest.pages.length);
  assert.match(r.stderr, /gleaner export 1/);

  const jobs = await runCli(["jobs", "--db", db]);
  assert.equal(jobs.code, 0);
  assert.match(jobs.stdout, /practice\s+done/);

  const jsonl = await runCli(["export", String(summary.job), "--db", db, "--format", "jsonl", "--type", "quote"]);
  assert.equal(jsonl.code, 0, jsonl.stderr);
  const lines = jsonl.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, site.manifest.items.quote.length);
  assert.equal(lines[0]._type, "quote");
  assert.ok(lines[0]._url.startsWith(site.url));

  const csvFile = join(dir, "all.csv");
  const csv = await runCli(["export", "practice", "--db", db, "--format", "csv", "-o", csvFile]);
  assert.equal(csv.code, 0, csv.stderr);
  const text = readFileSync(csvFile, "utf8");
  const header = text.slice(0, text.indexOf("\r\n")).split(",");
  assert.deepEqual(header.slice(0, 2), ["_type", "_url"]);
  for (const f of ["text", "author", "tags", "name", "born", "price", "sku"]) assert.ok(header.includes(f), `header has ${f}`);

  const json = await runCli(["export", String(summary.job), "--db", db, "--format", "json", "--type", "product"]);
  assert.equal(JSON.parse(json.stdout).length, site.manifest.items.product.length);

  const unknownType = await runCli(["export", String(summary.job), "--db", db, "--type", "nope"]);
  assert.equal(unknownType.code, 2);
  assert.match(unknownType.stderr, /its types: author, job, product, quote/);
});

test("an unreachable start URL ends the job as failed with a clear message (exit 1)", async (t) => {
  const dir = tempDir(t);
  const spec = join(dir, "dead.yaml");
  // Port 9 (discard) is closed on loopback here: the connection is refused.
  writeFileSync(spec, "name: dead\nstart: [http://127.0.0.1:9/]\nretries: { max: 1, base: 10ms, cap: 20ms }\n");
  const db = join(dir, "g.db");
  const r = await runCli(["run", spec, "--db", db, "--json"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /FAILED/);
  assert.match(r.stderr, /ECONNREFUSED|refused/);
  const summary = JSON.parse(lastLine(r.stdout));
  assert.equal(summary.state, "failed");
  const store = new SqliteStore(db);
  t.after(() => store.close());
  const job = store.getJob(summary.job)!;
  assert.equal(job.state, "failed");
  assert.match(job.error ?? "", /127\.0\.0\.1:9/);
});

test("schema prints a JSON Schema and check dry-runs one page", async (t) => {
  const schema = await runCli(["schema"]);
  assert.equal(schema.code, 0);
  assert.ok(JSON.parse(schema.stdout).properties.extract);
  const site = await startPracticeSite({ pages: 100 });
  t.after(() => site.close());
  const dir = tempDir(t);
  const spec = join(dir, "p.json");
  writeFileSync(spec, JSON.stringify(practiceSpec(site.url)));
  const r = await runCli(["check", spec, "--url", site.url + "/quotes/page/1/", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.status, 200);
  assert.equal(out.items.filter((i: { type: string }) => i.type === "quote").length, 10);
  assert.ok(out.follow.includes(site.url + "/quotes/page/2/"));
  const human = await runCli(["check", spec]);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /would follow \d+ link/);
});
