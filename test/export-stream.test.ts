/**
 * Export streaming: backpressure against a slow reader, chunking of multi-byte and oversized
 * records, flushed-on-resolve, and output errors (a failing stream, EPIPE on a real stdout pipe).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { GleanerError } from "../src/shared/errors.js";
import { isBrokenPipe, writeExport, type ExportRow } from "../src/export/index.js";

const dir = mkdtempSync(join(tmpdir(), "gleaner-export-stream-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Quote-like rows with a counter of how many the exporter has pulled. */
function quoteRows(n: number, pulled = { count: 0 }): Iterable<ExportRow> {
  return (function* () {
    for (let i = 0; i < n; i++) {
      pulled.count++;
      yield {
        type: "quote",
        url: `https://quotes.example/page/${i % 10}/#${i}`,
        json: JSON.stringify({ text: `quote number ${i}: ${"é漢🎉".repeat(i % 40)}`, author: `author ${i % 7}`, tags: ["a", "b"] }),
      };
    }
  })();
}

function expectedJsonl(rows: Iterable<ExportRow>): string {
  let s = "";
  for (const r of rows) s += JSON.stringify({ _type: r.type, _url: r.url, ...JSON.parse(r.json) }) + "\n";
  return s;
}

test("backpressure: with a slow reader, pending output stays bounded and rows are pulled lazily", async () => {
  const N = 40_000; // ~5 MB of JSONL
  const pulled = { count: 0 };
  const out = new PassThrough(); // default highWaterMark
  let maxPending = 0; // bytes buffered in the stream (writable side + unread readable side)
  let maxAhead = 0; // rows pulled beyond what the reader has seen
  const write = out.write.bind(out) as (chunk: Buffer, cb?: (err?: Error | null) => void) => boolean;
  (out as { write: unknown }).write = (chunk: Buffer, cb?: (err?: Error | null) => void): boolean => {
    const ok = write(chunk, cb);
    maxPending = Math.max(maxPending, out.writableLength + out.readableLength);
    return ok;
  };
  const received: Buffer[] = [];
  let linesSeen = 0;
  const reader = (async () => {
    for await (const chunk of out) {
      received.push(chunk as Buffer);
      for (const b of chunk as Buffer) if (b === 10) linesSeen++;
      maxAhead = Math.max(maxAhead, pulled.count - linesSeen);
      await new Promise((r) => setTimeout(r, 1)); // slow consumer
    }
  })();
  const listeners = () => ["error", "drain", "close"].map((e) => out.listenerCount(e));
  const before = listeners(); // the for-await reader has its own
  const result = await writeExport(quoteRows(N, pulled), { format: "jsonl", fields: [], out });
  assert.deepEqual(listeners(), before, "writeExport removed its listeners after success");
  out.end();
  await reader;
  assert.equal(result.count, N);
  const text = Buffer.concat(received).toString("utf8");
  assert.equal(Buffer.byteLength(text), result.bytes);
  assert.ok(result.bytes > 4_000_000, `export is large enough to need backpressure (${result.bytes} B)`);
  assert.equal(text, expectedJsonl(quoteRows(N)));
  // Without backpressure the whole ~5 MB would be queued in the PassThrough.
  assert.ok(maxPending <= 320 * 1024, `pending bytes peaked at ${maxPending}`);
  assert.ok(maxAhead <= 3_000, `rows pulled ahead of the reader peaked at ${maxAhead}`);
});

test("multi-byte text across chunk boundaries and records larger than a chunk round-trip exactly", async () => {
  const rows: ExportRow[] = [...quoteRows(3000)];
  // one that overflows the room left in a chunk, one far larger than a chunk
  rows.splice(1000, 0, { type: "big", url: "https://x.example/b", json: JSON.stringify({ text: "漢".repeat(40_000) }) });
  rows.splice(2000, 0, { type: "huge", url: "https://x.example/h", json: JSON.stringify({ text: "é🎉".repeat(200_000) }) });
  const file = join(dir, "multibyte.jsonl");
  const out = createWriteStream(file);
  const { count, bytes } = await writeExport(rows, { format: "jsonl", fields: [], out });
  // Resolved means flushed: the file holds everything before the stream is ended.
  const before = readFileSync(file);
  assert.equal(before.length, bytes);
  out.end();
  await finished(out);
  assert.equal(count, rows.length);
  assert.equal(before.toString("utf8"), expectedJsonl(rows));
});

test("a stream that fails mid-export rejects with GLEANER_ERR_EXPORT_WRITE and stops pulling rows", async () => {
  let accepted = 0;
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      accepted += chunk.length;
      if (accepted > 200_000) {
        const err = Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
        cb(err);
      } else setImmediate(cb);
    },
  });
  const pulled = { count: 0 };
  let returned = false;
  const source = (function* () {
    try {
      yield* quoteRows(100_000, pulled);
    } finally {
      returned = true; // a SQLite statement would be released here
    }
  })();
  await assert.rejects(writeExport(source, { format: "csv", fields: ["text", "author"], out }), (err: unknown) => {
    assert.ok(err instanceof GleanerError);
    assert.equal(err.code, "GLEANER_ERR_EXPORT_WRITE");
    assert.equal(err.action, "stop");
    assert.equal(err.context.errno, "ENOSPC");
    assert.equal(typeof err.context.rows, "number");
    assert.equal((err.cause as { code?: string }).code, "ENOSPC");
    assert.equal(isBrokenPipe(err), false);
    return true;
  });
  assert.ok(returned, "the row iterator was closed");
  assert.ok(pulled.count < 10_000, `stopped pulling rows soon after the failure (pulled ${pulled.count})`);
  // The stream's 'error' may come on a later tick; our listener stays so it cannot crash the process.
  await new Promise((r) => setImmediate(r));
  assert.ok(out.destroyed);
});

test("a stream destroyed or ended by someone else rejects instead of hanging", async () => {
  const destroyed = new PassThrough();
  const pending = writeExport(quoteRows(50_000), { format: "jsonl", fields: [], out: destroyed });
  setImmediate(() => destroyed.destroy()); // nobody reads: the export is waiting for 'drain'
  await assert.rejects(pending, (err: unknown) => err instanceof GleanerError && err.code === "GLEANER_ERR_EXPORT_WRITE");

  const ended = new PassThrough();
  ended.end();
  await assert.rejects(
    writeExport(quoteRows(10), { format: "json", fields: [], out: ended }),
    (err: unknown) => err instanceof GleanerError && err.code === "GLEANER_ERR_EXPORT_WRITE",
  );
});

test("EPIPE on a real stdout pipe (gleaner export | head) is a GLEANER_ERR_EXPORT_WRITE that isBrokenPipe recognises", async () => {
  const script = join(dir, "export-to-stdout.mjs");
  const exportUrl = pathToFileURL(join(import.meta.dirname, "../src/export/index.js")).href;
  writeFileSync(
    script,
    `import { writeExport, isBrokenPipe } from ${JSON.stringify(exportUrl)};
function* rows() {
  for (let i = 0; ; i++) yield { type: "q", url: "https://x.example/" + i, json: JSON.stringify({ text: "row " + i }) };
}
try {
  await writeExport(rows(), { format: "jsonl", fields: [], out: process.stdout });
  process.stderr.write(JSON.stringify({ resolved: true }));
} catch (err) {
  process.stderr.write(JSON.stringify({ code: err.code, brokenPipe: isBrokenPipe(err), rows: err.context?.rows }));
}
`,
  );
  const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  // Like `head -n 1`: read one chunk, then close the read end of the pipe.
  const [first] = (await once(child.stdout, "data")) as [Buffer];
  assert.match(first.toString("utf8"), /^\{"_type":"q","_url":"https:\/\/x\.example\/0","text":"row 0"\}\n/);
  child.stdout.destroy();
  const [exitCode] = (await once(child, "exit")) as [number | null];
  assert.equal(exitCode, 0, `child exited cleanly (stderr: ${stderr})`);
  const report = JSON.parse(stderr) as { code: string; brokenPipe: boolean; rows: number };
  assert.equal(report.code, "GLEANER_ERR_EXPORT_WRITE");
  assert.equal(report.brokenPipe, true);
  assert.ok(report.rows > 0);
});

test("isBrokenPipe follows the cause chain and rejects everything else", () => {
  const epipe = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
  assert.equal(isBrokenPipe(epipe), true);
  assert.equal(isBrokenPipe(new GleanerError("GLEANER_ERR_EXPORT_WRITE", "x", { cause: epipe })), true);
  assert.equal(isBrokenPipe(Object.assign(new Error("x"), { code: "ENOSPC" })), false);
  assert.equal(isBrokenPipe(null), false);
  assert.equal(isBrokenPipe("EPIPE"), false);
});
