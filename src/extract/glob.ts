/**
 * URL globs for `when` (and any other stage that wants the same rules):
 * - a glob starting with "/" is matched against the URL's path + query ("/jobs/*" matches
 *   "/jobs/?page=2"), and, failing that, against the path alone ("/jobs/*.html" matches
 *   "/jobs/a.html?page=2");
 * - any other glob is matched against the whole URL string as given;
 * - `*` is any run of characters (including "/"), `?` exactly one character, the rest literal;
 *   the whole target must match (anchored).
 */

export interface UrlParts {
  href: string;
  /** pathname + search, or null if the URL does not parse. */
  pathAndSearch: string | null;
  pathname: string | null;
}

export function urlParts(url: string): UrlParts {
  try {
    const u = new URL(url);
    return { href: url, pathAndSearch: u.pathname + u.search, pathname: u.pathname };
  } catch {
    return { href: url, pathAndSearch: null, pathname: null };
  }
}

export type UrlGlob = (url: UrlParts) => boolean;

const CACHE_LIMIT = 1024;
const cache = new Map<string, UrlGlob>();

function globToRegExp(glob: string): RegExp {
  let src = "^";
  for (const ch of glob) {
    if (ch === "*") src += "[^]*";
    else if (ch === "?") src += "[^]";
    else src += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(src + "$");
}

/** Compile (and cache) a glob into a matcher over pre-parsed URL parts. */
export function compileUrlGlob(glob: string): UrlGlob {
  let m = cache.get(glob);
  if (m !== undefined) return m;
  const re = globToRegExp(glob);
  if (glob.startsWith("/")) {
    m = (u) =>
      u.pathAndSearch !== null && (re.test(u.pathAndSearch) || (u.pathname !== u.pathAndSearch && re.test(u.pathname!)));
  } else {
    m = (u) => re.test(u.href);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear(); // globs come from specs: a full cache means misuse
  cache.set(glob, m);
  return m;
}

/** Does `url` match `glob`? See the rules at the top of this file. */
export function matchUrlGlob(glob: string, url: string): boolean {
  return compileUrlGlob(glob)(urlParts(url));
}
