/**
 * Cookies between a browser context and the rest of gleaner: an explicit list seeded into the
 * context, or an HTTP session's jar (CookieAccess) shared both ways, so that a login done over
 * HTTP carries into the browser and cookies set by pages carry back to HTTP fetches.
 */
import type { BrowserContext, Cookie } from "playwright-core";
import type { CookieAccess } from "../types.js";
import type { BrowserCookie } from "./types.js";

/** Jar cookies sent to the browser, as "name=value" (the unchanged ones are not stored back). */
export type Seeded = ReadonlySet<string>;

export function isJar(c: BrowserCookie[] | CookieAccess): c is CookieAccess {
  return !Array.isArray(c);
}

/**
 * Adds the jar's cookies for `url` to the context. The Cookie header carries no attributes,
 * so they become host cookies of the URL with path "/".
 */
export async function seedFromJar(context: BrowserContext, jar: CookieAccess, url: string): Promise<Seeded> {
  const header = jar.header(url);
  const seeded = new Set<string>();
  if (!header) return seeded;
  const host = new URL(url).hostname;
  const cookies: BrowserCookie[] = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === "") continue;
    cookies.push({ name, value, domain: host, path: "/" });
    seeded.add(`${name}=${value}`);
  }
  if (cookies.length > 0) await context.addCookies(cookies);
  return seeded;
}

/** Stores the context's cookies into the jar, skipping those that only echo what the jar gave. */
export function storeToJar(jar: CookieAccess, cookies: readonly Cookie[], seeded: Seeded): void {
  for (const c of cookies) {
    if (seeded.has(`${c.name}=${c.value}`)) continue;
    const domainCookie = c.domain.startsWith(".");
    const host = domainCookie ? c.domain.slice(1) : c.domain;
    let line = `${c.name}=${c.value}; Path=${c.path}`;
    if (domainCookie) line += `; Domain=${host}`;
    if (c.expires > 0) line += `; Expires=${new Date(c.expires * 1000).toUTCString()}`;
    if (c.secure) line += "; Secure";
    if (c.httpOnly) line += "; HttpOnly";
    line += `; SameSite=${c.sameSite}`;
    jar.store(`${c.secure ? "https" : "http"}://${host}${c.path}`, [line]);
  }
}

export function toBrowserCookie(c: Cookie): BrowserCookie {
  const out: BrowserCookie = { name: c.name, value: c.value, domain: c.domain, path: c.path, httpOnly: c.httpOnly, secure: c.secure, sameSite: c.sameSite };
  if (c.expires > 0) out.expires = c.expires;
  return out;
}
