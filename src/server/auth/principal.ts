/** Who is calling, from request headers: a Bearer key or session, X-API-Key, or the session cookie. */
import type { AuthService } from "./auth-service.js";
import type { Principal } from "./types.js";

export const SESSION_COOKIE = "gleaner_session";

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * An explicit credential (Authorization, X-API-Key) wins over the cookie; when it is present but
 * invalid the answer is null, not a fallback to the cookie, so a bad key never acts as someone else.
 */
export function principalFrom(auth: AuthService, headers: Headers): Principal | null {
  const authorization = header(headers, "authorization");
  if (authorization !== undefined) {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!m) return null;
    const token = m[1]!;
    return token.startsWith("gl_") ? auth.authenticateKey(token) : auth.authenticateSession(token);
  }
  const apiKey = header(headers, "x-api-key");
  if (apiKey !== undefined) return auth.authenticateKey(apiKey.trim());
  const cookie = header(headers, "cookie");
  if (cookie === undefined) return null;
  const token = cookieValue(cookie, SESSION_COOKIE);
  return token === undefined ? null : auth.authenticateSession(token);
}

function cookieValue(cookie: string, name: string): string | undefined {
  for (const part of cookie.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let v = part.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    return v;
  }
  return undefined;
}
