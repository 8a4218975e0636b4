/**
 * `cookies` mode: a members area. `/members/` and `/members/1`..`/members/5` need a
 * `session` cookie the site issued; without one they answer 302 to
 * `/login?next=<path>`, and `/login` sets `session=<token>; Path=/; HttpOnly` and
 * answers 302 back to `next`. A crawler with a cookie jar ends on the members pages
 * (each holds one quote); one without loops between them and `/login`. Those redirects
 * depend on cookie state, so they are not in the manifest's `redirects`.
 */
import { randomBytes } from "node:crypto";
import { redirectReply } from "../reply.js";
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";
import { extraQuote, modePage, modesOf, pageNumber, QUOTE_BLOCK, quoteItem } from "./mode-pages.js";

const INDEX = "/members/";
const LOGIN = "/login";
const COOKIE = "session";
export const MEMBER_PAGES = 5;
export const memberPath = (n: number): string => `${INDEX}${n}`;

const SESSION = /(?:^|;\s*)session=([^;\s]*)/;
/** Only same-site paths may be redirect targets: no "//host", no backslashes, and only
 * printable ASCII (anything else would be an invalid Location header). */
const SAFE_NEXT = /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/;

export function cookiesSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const sessions = new Set<string>();
  const quoteOf = (n: number) => extraQuote(model, QUOTE_BLOCK.cookies + n - 1);

  const loggedIn = (req: PracticeRequest): boolean => {
    const header = req.headers.cookie;
    if (header === undefined) return false;
    const m = SESSION.exec(header);
    return m !== null && sessions.has(m[1]!);
  };

  const login = (req: PracticeRequest): Reply => {
    const next = new URLSearchParams(req.query).get("next") ?? INDEX;
    const token = randomBytes(18).toString("base64url");
    sessions.add(token);
    const reply = redirectReply(302, SAFE_NEXT.test(next) ? next : INDEX);
    reply.headers!["set-cookie"] = `${COOKIE}=${token}; Path=/; HttpOnly`;
    return reply;
  };

  const page = (path: string, n: number): Reply =>
    cache.get(path, () => n === 0
      ? modePage(model, {
        title: "Members area",
        intro: "Welcome back. These pages need the session cookie <code>/login</code> sets.",
        links: Array.from({ length: MEMBER_PAGES }, (_, i) => ({ href: memberPath(i + 1), label: `Members page ${i + 1}` })),
      })
      : modePage(model, {
        title: `Members page ${n}`,
        intro: `For members only. <a href="${INDEX}">Members area</a>.`,
        quotes: [quoteOf(n)],
      }));

  return {
    name: "cookies",
    homeLinks: [{ href: INDEX, label: "Members area (session cookie)" }],
    handle(req: PracticeRequest): Reply | undefined {
      if (req.path === LOGIN) return login(req);
      if (!req.path.startsWith(INDEX)) return undefined;
      const n = req.path === INDEX ? 0 : pageNumber(req.path, INDEX, MEMBER_PAGES);
      if (n === 0 && req.path !== INDEX) return undefined;
      if (!loggedIn(req)) {
        const target = req.query ? `${req.path}?${req.query}` : req.path;
        return redirectReply(302, `${LOGIN}?next=${encodeURIComponent(target)}`);
      }
      return page(req.path, n);
    },
    contribute(manifest: SiteManifest): void {
      const paths = [INDEX];
      for (let n = 1; n <= MEMBER_PAGES; n++) {
        paths.push(memberPath(n));
        manifest.items.quote.push(quoteItem(model, quoteOf(n)));
      }
      manifest.pages.push(...paths);
      modesOf(manifest).cookies = { cookie: COOKIE, login: LOGIN, paths };
    },
  };
}
