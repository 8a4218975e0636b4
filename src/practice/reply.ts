/**
 * Building replies, and the cache of static ones. Static pages are rendered once and
 * kept with their compressed forms, so serving is a Map lookup plus a socket write.
 */
import type { Reply } from "./types.js";
import { esc, shell } from "./html.js";

export const HTML_UTF8 = "text/html; charset=utf-8";

export function htmlReply(html: string, status = 200, contentType = HTML_UTF8): Reply {
  return { status, contentType, body: Buffer.from(html, "utf8"), compressible: true };
}

export function bytesReply(body: Buffer, contentType: string, compressible: boolean, status = 200): Reply {
  return { status, contentType, body, compressible };
}

export function redirectReply(status: 301 | 302 | 303 | 307 | 308, location: string): Reply {
  const body = `<!DOCTYPE html><html><head><title>Moved</title></head><body><p>Moved to <a href="${esc(location)}">${esc(location)}</a>.</p></body></html>\n`;
  return { status, contentType: HTML_UTF8, body: Buffer.from(body), headers: { location }, compressible: false };
}

/** One shared 404 (unknown paths are unbounded, so they are never cached per path). */
export const NOT_FOUND: Reply = htmlReply(
  shell({
    title: "404 Not Found",
    body: `<div class="header-box"><h1>Page not found</h1></div>
<p>The page you asked for does not exist. It may have moved, or the link that brought you here may be wrong.</p>
<p><a href="/">Back to the index</a></p>`,
  }),
  404,
);

export const METHOD_NOT_ALLOWED: Reply = {
  status: 405,
  contentType: "text/plain; charset=utf-8",
  body: Buffer.from("405 Method Not Allowed\n"),
  headers: { allow: "GET, HEAD" },
  compressible: false,
};

/**
 * Insertion-ordered cache with a byte budget: past it, the oldest entries go. Bodies
 * are counted at 1.3x to leave room for their gzip/br forms.
 */
export class ReplyCache {
  private readonly map = new Map<string, Reply>();
  private bytes = 0;

  constructor(private readonly budgetBytes = 256 * 1024 * 1024) {}

  get(key: string, make: () => Reply): Reply {
    let reply = this.map.get(key);
    if (reply !== undefined) return reply;
    reply = make();
    this.map.set(key, reply);
    this.bytes += Math.ceil(reply.body.length * 1.3);
    while (this.bytes > this.budgetBytes && this.map.size > 1) {
      const [oldKey, old] = this.map.entries().next().value as [string, Reply];
      this.map.delete(oldKey);
      this.bytes -= Math.ceil(old.body.length * 1.3);
    }
    return reply;
  }

  get size(): number {
    return this.map.size;
  }

  /** At the byte budget: more entries would evict older ones. */
  get full(): boolean {
    return this.bytes >= this.budgetBytes * 0.95;
  }
}
