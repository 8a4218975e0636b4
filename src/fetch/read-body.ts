/**
 * Reads a response body while decompressing it as it arrives, enforcing the cap on the
 * decompressed size: the body (and the decompressor) are destroyed as soon as it is passed,
 * so a gzip bomb costs at most `cap` bytes of memory.
 */
import * as zlib from "node:zlib";
import { FetchError, FetchErrorCode } from "./errors.js";
import type { BodyStream } from "./response-body.js";

export interface BodyResult {
  /** Decompressed body; null when the caller asked only for the length. */
  buf: Buffer | null;
  bytes: number;
}

type Decompressor = zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress;

// Bigger output chunks than zlib's 16 KiB default: fewer chunks to collect and concatenate.
const ZLIB_OPTS: zlib.ZlibOptions = { chunkSize: 64 * 1024 };
const BROTLI_OPTS: zlib.BrotliOptions = { chunkSize: 64 * 1024 };

export type Coding = "identity" | "gzip" | "deflate" | "br";

/** Normalizes a Content-Encoding header; throws GLEANER_ERR_DECODE for codings we cannot undo. */
export function parseCoding(header: string | undefined, url: string): Coding {
  if (header === undefined) return "identity";
  const c = header.trim().toLowerCase();
  switch (c) {
    case "": case "identity": return "identity";
    case "gzip": case "x-gzip": return "gzip";
    case "deflate": return "deflate";
    case "br": return "br";
    default:
      throw new FetchError(FetchErrorCode.DECODE, `GET ${url}: unsupported content-encoding "${header}"`, {
        context: { url, contentEncoding: header },
      });
  }
}

/** Compressed bodies up to this size, arriving in this many chunks, are decompressed in one synchronous call. */
const SYNC_LIMIT = 256 * 1024;
const SYNC_MAX_CHUNKS = 4;

/** One-shot decompression; output beyond `cap` throws ERR_BUFFER_TOO_LARGE (so a bomb stops at the cap). */
function decompressSync(coding: Exclude<Coding, "identity">, input: Buffer, cap: number): Buffer {
  const opts = { maxOutputLength: cap };
  if (coding === "gzip") return zlib.gunzipSync(input, opts);
  if (coding === "br") return zlib.brotliDecompressSync(input, opts);
  return isZlibHeader(input[0]!, input[1] ?? 0) ? zlib.inflateSync(input, opts) : zlib.inflateRawSync(input, opts);
}

/** "deflate" is meant to be zlib-wrapped but many servers send raw deflate: check the zlib header. */
function isZlibHeader(b0: number, b1: number): boolean {
  return (b0 & 0x0f) === 8 && b0 >> 4 <= 7 && ((b0 << 8) | b1) % 31 === 0;
}

function tooLarge(url: string, cap: number): FetchError {
  return new FetchError(FetchErrorCode.BODY_TOO_LARGE, `GET ${url}: body larger than the ${cap}-byte limit (maxBodyBytes)`, {
    context: { url, maxBodyBytes: cap },
  });
}

/** Fails fast on a declared length over the cap (identity only: a compressed length says little). */
export function checkContentLength(header: string | undefined, coding: Coding, cap: number, url: string): void {
  if (header === undefined || coding !== "identity") return;
  const n = Number(header);
  if (n > cap) throw tooLarge(url, cap);
}

/**
 * Collects `body`, decompressed per `coding`. `keep` = false only counts bytes (binary types).
 * Transport errors reject with the raw error (the caller maps them); cap and codec errors
 * reject with a FetchError.
 */
export function readBody(body: BodyStream, coding: Coding, cap: number, keep: boolean, url: string): Promise<BodyResult> {
  return new Promise<BodyResult>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    let z: Decompressor | null = null;
    let pending: Buffer | null = null; // deflate: bytes held until the header can be checked

    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      body.destroy();
      z?.destroy();
      reject(err);
    };
    const done = (): void => {
      if (settled) return;
      settled = true;
      const buf = !keep ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
      resolve({ buf, bytes });
    };
    const onOutput = (chunk: Buffer): void => {
      if (settled) return;
      bytes += chunk.length;
      if (bytes > cap) return fail(tooLarge(url, cap));
      if (keep) chunks.push(chunk);
    };
    const startDecompressor = (d: Decompressor): void => {
      z = d;
      d.on("data", onOutput);
      d.on("end", done);
      d.on("error", (err: Error) =>
        fail(new FetchError(FetchErrorCode.DECODE, `GET ${url}: corrupt ${coding} body (${err.message})`, {
          cause: err, context: { url, contentEncoding: coding },
        })));
      d.on("drain", () => body.resume());
    };
    const write = (chunk: Buffer): void => {
      if (!z!.write(chunk)) body.pause(); // backpressure: resumed on "drain"
    };

    // Small compressed bodies (most pages) are collected and decompressed in one call: a
    // streaming decompressor costs more to set up than the whole job. Past SYNC_LIMIT we stream.
    let small: Buffer[] | null = [];
    let smallBytes = 0;
    const streamFrom = (first: Buffer): void => {
      const collected = small!;
      small = null;
      for (const c of collected) feed(c);
      feed(first);
    };

    // The decompressor is created on the first byte: an empty body (e.g. a 204 or a HEAD-like
    // reply labelled gzip) is not an error, and deflate needs its first two bytes to pick a mode.
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      if (coding === "identity") return onOutput(chunk);
      if (small !== null) {
        // A body still arriving after a few chunks may be a bomb being streamed: decompress as it comes.
        if (small.length < SYNC_MAX_CHUNKS && smallBytes + chunk.length <= SYNC_LIMIT) {
          small.push(chunk);
          smallBytes += chunk.length;
          return;
        }
        return streamFrom(chunk);
      }
      feed(chunk);
    };
    const feed = (chunk: Buffer): void => {
      if (settled) return;
      if (z === null) {
        if (coding === "gzip") startDecompressor(zlib.createGunzip(ZLIB_OPTS));
        else if (coding === "br") startDecompressor(zlib.createBrotliDecompress(BROTLI_OPTS));
        else {
          pending = pending === null ? chunk : Buffer.concat([pending, chunk]);
          if (pending.length < 2) return;
          startDecompressor(isZlibHeader(pending[0]!, pending[1]!) ? zlib.createInflate(ZLIB_OPTS) : zlib.createInflateRaw(ZLIB_OPTS));
          chunk = pending;
          pending = null;
        }
      }
      write(chunk);
    };
    const onEnd = (): void => {
      if (settled) return;
      if (coding === "identity") return done();
      if (small !== null) {
        if (smallBytes === 0) return done(); // empty body: nothing to decompress
        const input = small.length === 1 ? small[0]! : Buffer.concat(small, smallBytes);
        try {
          onOutput(decompressSync(coding, input, cap));
        } catch (err) {
          return fail(
            (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE"
              ? tooLarge(url, cap)
              : new FetchError(FetchErrorCode.DECODE, `GET ${url}: corrupt ${coding} body (${(err as Error).message})`, {
                  cause: err, context: { url, contentEncoding: coding },
                }),
          );
        }
        return done();
      }
      if (z === null) {
        if (pending === null) return done(); // empty body: nothing to decompress
        startDecompressor(zlib.createInflateRaw(ZLIB_OPTS)); // a single byte: let zlib judge it
        write(pending);
      }
      z!.end();
    };
    body.read({ data: onData, end: onEnd, error: fail });
  });
}
