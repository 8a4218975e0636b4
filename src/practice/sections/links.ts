/**
 * `/links`: 5,000 links to pages that exist, in many spellings of few URLs: fragments,
 * absolute and upper-case-scheme URLs, relative and dot-segment paths, and swapped
 * query order for the `/links/target?a=N&b=M` pages. Canonicalized, they all land on
 * manifest pages, so a crawler that dedups correctly fetches each page once.
 */
import { esc, shell } from "../html.js";
import { LINK_TARGETS } from "../model.js";
import { Rng } from "../random.js";
import { htmlReply } from "../reply.js";
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";
import { jobPath, jobsPath } from "./jobs.js";
import { authorPath, quotePath, tagPath } from "./quotes.js";

export const LINK_COUNT = 5000;

interface Target { a: number; b: number }
const TARGETS: Target[] = Array.from({ length: LINK_TARGETS }, (_, i) => ({ a: i + 1, b: i + 2 }));
const targetPath = (t: Target): string => `/links/target?a=${t.a}&b=${t.b}`;

export function linksSection(ctx: SectionContext): Section {
  const { model, cache, origin } = ctx;

  const renderLinks = (): Reply => {
    const pool: string[] = ["/", "/table", jobsPath(1)];
    for (let n = 1; n <= Math.min(model.quotePages, 100); n++) pool.push(quotePath(n));
    for (const a of model.authors.slice(0, 50)) pool.push(authorPath(a.slug));
    for (const j of model.jobs.slice(0, 20)) pool.push(jobPath(j.id));
    for (const t of model.tags) pool.push(tagPath(t));
    const r = Rng.forEntity(model.seed, "links");
    const upper = origin.replace(/^http:/, "HTTP:");
    let items = "";
    for (let i = 0; i < LINK_COUNT; i++) {
      // One in five links goes to a query-string target, in either parameter order.
      const href = r.chance(0.2) ? targetVariant(r, r.pick(TARGETS), origin) : pathVariant(r, r.pick(pool), origin, upper);
      items += `\n<li><a href="${esc(href)}">link ${i + 1}</a></li>`;
    }
    return htmlReply(shell({
      title: "Five thousand links",
      body: `<div class="header-box"><h1>Five thousand links</h1><p>Many spellings of few pages.</p></div>\n<ol class="links">${items}\n</ol>`,
    }));
  };

  const targetReplies = TARGETS.map((t) => (): Reply => htmlReply(shell({
    title: `Link target a=${t.a} b=${t.b}`,
    body: `<div class="header-box"><h1>Link target</h1></div>
<p>Parameters: a = ${t.a}, b = ${t.b}. The same page answers whatever the parameter order.</p>
<p><a href="/links">Back to the links page</a></p>`,
  })));

  return {
    name: "links",
    homeLinks: [{ href: "/links", label: "Five thousand links" }],
    handle(req: PracticeRequest): Reply | undefined {
      if (req.path === "/links") return cache.get("/links", renderLinks);
      if (req.path !== "/links/target") return undefined;
      const params = new URLSearchParams(req.query);
      let count = 0;
      params.forEach(() => count++);
      if (count !== 2) return undefined;
      const i = TARGETS.findIndex((t) => params.get("a") === String(t.a) && params.get("b") === String(t.b));
      return i < 0 ? undefined : cache.get(targetPath(TARGETS[i]!), targetReplies[i]!);
    },
    contribute(manifest: SiteManifest): void {
      manifest.pages.push("/links", ...TARGETS.map(targetPath));
    },
    warmPaths: () => ["/links", ...TARGETS.map(targetPath)],
  };
}

function pathVariant(r: Rng, path: string, origin: string, upper: string): string {
  switch (r.int(0, 6)) {
    case 0: return path;
    case 1: return `${path}#section-${r.int(1, 9)}`;
    case 2: return origin + path;
    case 3: return upper + path;
    case 4: return path === "/" ? "./" : path.slice(1); // relative to /links, i.e. to "/"
    case 5: return `/quotes/../${path.slice(1)}`;
    default: return `${upper}${path}#top`;
  }
}

function targetVariant(r: Rng, t: Target, origin: string): string {
  const query = r.chance(0.5) ? `a=${t.a}&b=${t.b}` : `b=${t.b}&a=${t.a}`;
  switch (r.int(0, 3)) {
    case 0: return `/links/target?${query}`;
    case 1: return `/links/target?${query}#frag`;
    case 2: return `${origin}/links/target?${query}`;
    default: return `links/target?${query}`; // relative to /links, i.e. to "/"
  }
}
