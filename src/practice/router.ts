/**
 * The list of sections and the dispatch over them. To add an area of the site, write
 * a section (see types.ts `Section`) and add it to `createSections`: the home page
 * links it and the manifest includes it automatically. Opt-in areas go in `MODE_SECTIONS`.
 */
import { NOT_FOUND } from "./reply.js";
import { authorsSection } from "./sections/authors.js";
import type { SectionContext } from "./sections/context.js";
import { cookiesSection } from "./sections/cookies.js";
import { encodingsSection } from "./sections/encodings.js";
import { filesSection } from "./sections/files.js";
import { flakySection } from "./sections/flaky.js";
import { homeSection } from "./sections/home.js";
import { jobsSection } from "./sections/jobs.js";
import { jsSection } from "./sections/js-pages.js";
import { linksSection } from "./sections/links.js";
import { markupSection } from "./sections/markup.js";
import { quotesSection } from "./sections/quotes.js";
import { rateLimitSection } from "./sections/ratelimit.js";
import { redirectsSection } from "./sections/redirects.js";
import { robotsModeSection } from "./sections/robots-mode.js";
import { robotsSection } from "./sections/robots.js";
import { slowSection } from "./sections/slow.js";
import { tableSection } from "./sections/table.js";
import { trapsSection } from "./sections/traps.js";
import { userAgentSection } from "./sections/useragent.js";
import type { PracticeMode, PracticeRequest, Reply, Section, SiteManifest } from "./types.js";

/** One section per mode, in the order the home page lists them (after the default ones). */
const MODE_SECTIONS: readonly [PracticeMode, (ctx: SectionContext) => Section][] = [
  ["ratelimit", rateLimitSection],
  ["flaky", flakySection],
  ["robots", robotsModeSection],
  ["cookies", cookiesSection],
  ["useragent", userAgentSection],
  ["trap", trapsSection],
  ["slow", slowSection],
  ["js", jsSection],
];

/** Sections in dispatch order (busiest first); home comes first and links the rest. */
export function createSections(ctx: SectionContext): Section[] {
  const others = [
    quotesSection(ctx),
    authorsSection(ctx),
    jobsSection(ctx),
    tableSection(ctx),
    encodingsSection(ctx),
    markupSection(ctx),
    redirectsSection(ctx),
    linksSection(ctx),
    filesSection(ctx),
    robotsSection(ctx),
  ];
  for (const [mode, make] of MODE_SECTIONS) if (ctx.modes.enabled.has(mode)) others.push(make(ctx));
  return [homeSection(ctx, others), ...others];
}

export class Router {
  /** Sections that see every request first (none on the default site). */
  private readonly gates: readonly Section[];

  constructor(readonly sections: readonly Section[]) {
    this.gates = sections.filter((s) => s.gate !== undefined);
  }

  /** A gate's reply, else the section's reply, else the shared 404 page. */
  handle(req: PracticeRequest): Reply {
    for (const g of this.gates) {
      const reply = g.gate!(req);
      if (reply !== undefined) return reply;
    }
    return this.dispatch(req);
  }

  /** The section's reply or the 404, past the gates (warming must not count as traffic). */
  dispatch(req: PracticeRequest): Reply {
    for (const s of this.sections) {
      const reply = s.handle(req);
      if (reply !== undefined) return reply;
    }
    return NOT_FOUND;
  }

  manifest(): SiteManifest {
    const m: SiteManifest = {
      pages: [], redirects: [], redirectLoops: [], notFound: [], files: [],
      items: { quote: [], author: [], job: [], product: [] },
    };
    for (const s of this.sections) s.contribute(m);
    for (const s of this.sections) s.finish?.(m);
    return m;
  }

  /** Every static path the sections want pre-rendered. */
  *warmPaths(): Iterable<string> {
    for (const s of this.sections) if (s.warmPaths) yield* s.warmPaths();
  }
}
