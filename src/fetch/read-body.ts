/**
 * Reads a response body while decompressing it as it arrives, enforcing the cap on the
 * decompressed size: the body (and the decompressor) are destroyed as soon as it is passed,
 * so a gzip bomb costs at most `cap` bytes of memory.
 */
import type { Readable } from "node:stream";
import * as zlib from "node:zlib";
import { FetchError, FetchErrorCode } from "./errors.js";

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
export function readBody(body: Readable, coding: Coding, cap: number, keep: boolean, url: string): Promise<BodyResult> {
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

    // The decompressor is created on the first byte: an empty body (e.g. a 204 or a HEAD-like
    // reply labelled gzip) is not an error, and deflate needs its first two bytes to pick a mode.
    body.on("data", (chunk: Buffer) => {
      if (settled) return;
      if (coding === "identity") return onOutput(chunk);
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
    });
    body.on("end", () => {
      if (settled) return;
      if (coding === "identity") return done();
      if (z === null) {
        if (pending === null) return done(); // empty body: nothing to decompress
        startDecompressor(zlib.createInflateRaw(ZLIB_OPTS)); // a single byte: let zlib judge it
        write(pending);
      }
      z!.end();
    });
    body.on("error", fail);
    // A body destroyed without an error (should not happen) must not leave us hanging.
    body.on("close", () => {
      if (!settled && !body.readableEnded) fail(new Error("response body closed before its end"));
    });
  });
}
