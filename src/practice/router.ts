/**
 * The list of sections and the dispatch over them. To add an area of the site, write
 * a section (see types.ts `Section`) and add it to `createSections`: the home page
 * links it and the manifest includes it automatically.
 */
import { NOT_FOUND } from "./reply.js";
import { authorsSection } from "./sections/authors.js";
import type { SectionContext } from "./sections/context.js";
import { encodingsSection } from "./sections/encodings.js";
import { filesSection } from "./sections/files.js";
import { homeSection } from "./sections/home.js";
import { jobsSection } from "./sections/jobs.js";
import { linksSection } from "./sections/links.js";
import { markupSection } from "./sections/markup.js";
import { quotesSection } from "./sections/quotes.js";
import { redirectsSection } from "./sections/redirects.js";
import { robotsSection } from "./sections/robots.js";
import { tableSection } from "./sections/table.js";
import type { PracticeRequest, Reply, Section, SiteManifest } from "./types.js";

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
  return [homeSection(ctx, others), ...others];
}

export class Router {
  constructor(readonly sections: readonly Section[]) {}

  /** The section's reply, or the shared 404 page. */
  handle(req: PracticeRequest): Reply {
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
    return m;
  }

  /** Every static path the sections want pre-rendered. */
  *warmPaths(): Iterable<string> {
    for (const s of this.sections) if (s.warmPaths) yield* s.warmPaths();
  }
}
