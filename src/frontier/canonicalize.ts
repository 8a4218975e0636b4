/**
 * URL canonicalization: one spelling per resource, so the dedup key is the canonical URL.
 * WHATWG URL parsing already lowercases scheme and host, drops default ports, resolves
 * dot segments and percent-encodes; on top of that we drop the fragment, sort the query,
 * normalize percent-escapes and strip a trailing dot from the host.
 */

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const ESCAPE = /%([0-9a-fA-F]{2})/g;

/** Canonical form of `raw` resolved against `base`, or null if it is not an http(s) URL. */
export function canonicalize(raw: string, base?: string): string | null {
  let u: URL;
  try {
    u = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  if (u.username || u.password) {
    u.username = "";
    u.password = "";
  }
  if (u.hostname.endsWith(".")) u.hostname = u.hostname.slice(0, -1);
  const path = normalizeEscapes(u.pathname);
  const search = u.search.length > 1 ? "?" + sortQuery(u.search.slice(1)) : "";
  // href without fragment; rebuilding from parts keeps the port only when non-default.
  return `${u.protocol}//${u.host}${path}${search === "?" ? "" : search}`;
}

/** Sorted `a=1&b=2` (stable for repeated keys); empty pairs dropped; escapes normalized. */
function sortQuery(query: string): string {
  const parts = query.split("&").filter((p) => p.length > 0);
  if (parts.length > 1) {
    const keyed = parts.map((p, i) => {
      const eq = p.indexOf("=");
      return { key: eq < 0 ? p : p.slice(0, eq), p, i };
    });
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
    return keyed.map((k) => normalizeEscapes(k.p)).join("&");
  }
  return parts.length === 1 ? normalizeEscapes(parts[0]!) : "";
}

/** Uppercase hex in escapes; decode escapes of unreserved characters (RFC 3986 §6.2.2). */
function normalizeEscapes(s: string): string {
  if (s.indexOf("%") < 0) return s;
  return s.replace(ESCAPE, (_m, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : "%" + hex.toUpperCase();
  });
}

/** Lower-case host of a canonical URL (fast path: no URL parse). */
export function hostOf(canonicalUrl: string): string {
  const start = canonicalUrl.indexOf("//") + 2;
  let end = canonicalUrl.indexOf("/", start);
  if (end < 0) end = canonicalUrl.length;
  return canonicalUrl.slice(start, end);
}
