/** Plain HTTP to the practice site for its tests: one request, nothing added, and the quotes of a page. */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { selectAll, selectOne } from "css-select";
import { textContent } from "domutils";
import { parseDocument } from "htmlparser2";
import type { QuoteItem } from "../../src/practice/index.js";

export interface RawBytes { status: number; headers: IncomingHttpHeaders; body: Buffer }
export interface RawResponse { status: number; headers: IncomingHttpHeaders; body: string }

/** One request on a fresh connection, no redirects followed, no headers added (not even a User-Agent). */
export function rawBytes(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<RawBytes> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** rawBytes with the body as UTF-8 text. */
export async function raw(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const r = await rawBytes(url, headers);
  return { ...r, body: r.body.toString("utf8") };
}

export const norm = (s: string): string => s.replace(/\s+/g, " ").trim();

/** The div.quote items of a page, as the practice manifest describes them. */
export function quotesIn(html: string): QuoteItem[] {
  return selectAll("div.quote", parseDocument(html)).map((q) => ({
    text: norm(textContent(selectOne("span.text", q)!)),
    author: norm(textContent(selectOne("small.author", q)!)),
    tags: selectAll("a.tag", q).map((a) => norm(textContent(a))),
  }));
}

/** The charset a browser would use: Content-Type, then a UTF-8 BOM, then <meta charset>, else UTF-8. */
export function charsetOf(res: RawBytes): string {
  const header = /charset=([^;\s]+)/i.exec(res.headers["content-type"] ?? "");
  if (header) return header[1]!;
  if (res.body[0] === 0xef && res.body[1] === 0xbb && res.body[2] === 0xbf) return "utf-8";
  const meta = /<meta\s+charset=["']?([\w-]+)/i.exec(res.body.subarray(0, 1024).toString("latin1"));
  return meta ? meta[1]! : "utf-8";
}
