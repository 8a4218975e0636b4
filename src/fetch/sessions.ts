/**
 * Sessions: cookie jars that requests are spread over. A session that a host keeps refusing
 * (401/403/429 several times in a row) is retired and replaced by a fresh one, so a crawl
 * does not keep knocking with a cookie the site has flagged.
 */
import { createRequire } from "node:module";
import type { CookieJar } from "tough-cookie";
import type { CookieAccess } from "./types.js";

// Loaded on the first Set-Cookie: most crawls of public pages never see one, and the module
// costs ~35 ms of start-up (and an empty jar still costs a lookup per request).
let Jar: typeof CookieJar | null = null;
const newJar = (): CookieJar => new (Jar ??= (createRequire(import.meta.url)("tough-cookie") as typeof import("tough-cookie")).CookieJar)();

export interface Session {
  readonly id: string;
  readonly cookies: CookieAccess;
}

const REFUSALS = new Set([401, 403, 429]);

class JarSession implements Session {
  private jar: CookieJar | null = null;
  /** Consecutive refusals per host. */
  readonly refusals = new Map<string, number>();
  readonly cookies: CookieAccess;

  constructor(readonly id: string) {
    this.cookies = {
      header: (url) => (this.jar === null ? "" : this.jar.getCookieStringSync(url)),
      store: (url, setCookies) => {
        const jar = (this.jar ??= newJar());
        for (const c of setCookies) jar.setCookieSync(c, url, { ignoreError: true });
      },
    };
  }
}

export class SessionPool {
  private readonly sessions: JarSession[] = [];
  private next = 0;
  private generation = 0;
  retired = 0;

  constructor(
    count: number,
    private readonly retireAfter: number,
    private readonly onRetire?: (info: { session: string; host: string; status: number }) => void,
  ) {
    for (let i = 0; i < count; i++) this.sessions.push(this.fresh());
  }

  /** The next session, round robin. */
  pick(): Session {
    const s = this.sessions[this.next]!;
    this.next = (this.next + 1) % this.sessions.length;
    return s;
  }

  /** Tell the pool how `host` answered a request made with `session`. */
  report(session: Session, host: string, status: number): void {
    const s = session as JarSession;
    if (!REFUSALS.has(status)) {
      if (s.refusals.size > 0) s.refusals.delete(host);
      return;
    }
    const n = (s.refusals.get(host) ?? 0) + 1;
    s.refusals.set(host, n);
    if (n < this.retireAfter) return;
    const i = this.sessions.indexOf(s);
    if (i < 0) return; // already retired
    this.sessions[i] = this.fresh();
    this.retired++;
    this.onRetire?.({ session: s.id, host, status });
  }

  private fresh(): JarSession {
    return new JarSession(`s${++this.generation}`);
  }
}
