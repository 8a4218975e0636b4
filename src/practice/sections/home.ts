/** `/`: the index, linking every section so one crawl from `/` reaches everything. */
import { esc, shell } from "../html.js";
import { htmlReply } from "../reply.js";
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";

export function homeSection(ctx: SectionContext, others: readonly Section[]): Section {
  const render = (): Reply => {
    let groups = "";
    for (const s of others) {
      if (s.homeLinks.length === 0) continue;
      let links = "";
      for (const l of s.homeLinks) links += `\n        <li><a href="${esc(l.href)}">${esc(l.label)}</a></li>`;
      groups += `\n<section class="home-section" id="${s.name}">\n    <h2>${esc(s.name)}</h2>\n    <ul>${links}\n    </ul>\n</section>`;
    }
    return htmlReply(shell({
      title: "Practice Site",
      body: `<div class="header-box"><h1>Practice Site</h1>
<p>A deterministic site for crawler tests: ${ctx.model.quotePages} pages of quotes, ${ctx.model.authors.length} authors,
${ctx.model.jobs.length} jobs, a product table and a collection of awkward cases.</p></div>${groups}`,
    }));
  };
  return {
    name: "home",
    homeLinks: [],
    handle(req: PracticeRequest): Reply | undefined {
      return req.path === "/" ? ctx.cache.get("/", render) : undefined;
    },
    contribute(manifest: SiteManifest): void {
      manifest.pages.push("/");
    },
    warmPaths: () => ["/"],
  };
}
