/**
 * Content coding for replies. A reply is compressed once per coding and keeps the
 * result; compression runs on the libuv thread pool so an in-process site does not
 * steal the main thread from the crawler under test.
 */
import { brotliCompress, constants as zlibConstants, gzip } from "node:zlib";
import type { Reply } from "./types.js";

export type Encoding = "gzip" | "br";

const inflight = new WeakMap<Reply, Partial<Record<Encoding, Promise<Buffer>>>>();

/** The compressed body: a Buffer when already known, else a promise of it. */
export function encodedBody(reply: Reply, encoding: Encoding): Buffer | Promise<Buffer> {
  const done = reply.encoded?.[encoding];
  if (done !== undefined) return done;
  let pending = inflight.get(reply);
  if (pending === undefined) inflight.set(reply, (pending = {}));
  return (pending[encoding] ??= compress(reply.body, encoding).then((out) => {
    (reply.encoded ??= {})[encoding] = out;
    delete pending[encoding];
    return out;
  }));
}

function compress(body: Buffer, encoding: Encoding): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, out: Buffer): void => (err ? reject(err) : resolve(out));
    if (encoding === "gzip") gzip(body, { level: 6 }, done);
    else {
      brotliCompress(body, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: 4,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }, done);
    }
  });
}

const choices = new Map<string, Encoding | null>();

/**
 * gzip if accepted, else br, else none (q=0 means refused). gzip first because warmed
 * sites hold gzip forms already. Results cached per header value.
 */
export function acceptedEncoding(header: string | undefined): Encoding | null {
  if (!header) return null;
  let choice = choices.get(header);
  if (choice !== undefined) return choice;
  let br = false;
  let gz = false;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    if (params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p))) continue;
    if (name === "br") br = true;
    else if (name === "gzip" || name === "x-gzip" || name === "*") gz = true;
  }
  choice = gz ? "gzip" : br ? "br" : null;
  if (choices.size < 256) choices.set(header, choice);
  return choice;
}
