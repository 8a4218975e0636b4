/**
 * `robots` mode: robots.txt gets real rules (below), and the home page links pages on
 * both sides of them: `/private/` pages (blocked), `/private/public-*` pages (allowed
 * by the longer Allow), `.pdf` files (blocked only when the path ends in `.pdf`) and
 * `/docs/pdf-guide` (allowed). The manifest describes an obedient crawl for the `*`
 * group: blocked paths (the default site's `/files/report.pdf` included) move to
 * `disallowed`, and `/private/report-2`, linked only from a blocked page, is nowhere.
 */
import { bytesReply } from "../reply.js";
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import type { SectionContext } from "./context.js";
import { makePdf } from "./files.js";
import { extraQuote, modePage, modesOf, QUOTE_BLOCK, quoteItem } from "./mode-pages.js";

interface Rule { allow: boolean; pattern: string }

/** The `*` group's rules, in robots.txt order. */
const RULES: readonly Rule[] = [
  { allow: false, pattern: "/private/" },
  { allow: false, pattern: "/*.pdf$" },
  { allow: true, pattern: "/private/public-*" },
];
/** Other groups: everything is off limits to badbot. */
const GROUPS: Record<string, string[]> = { badbot: ["/"] };

/** The robots.txt body in robots mode (the caller appends the Sitemap line). */
export function robotsModeRules(crawlDelay: number): string {
  let out = "User-agent: *\n";
  for (const r of RULES) out += `${r.allow ? "Allow" : "Disallow"}: ${r.pattern}\n`;
  out += `Crawl-delay: ${crawlDelay}\n`;
  for (const [agent, disallow] of Object.entries(GROUPS)) {
    out += `\nUser-agent: ${agent}\n`;
    for (const p of disallow) out += `Disallow: ${p}\n`;
  }
  return out;
}

// RFC 9309 matching: `*` any run, trailing `$` anchors, longest pattern wins, Allow wins ties.
const MATCHERS = RULES.map((r) => ({
  ...r,
  re: new RegExp("^" + r.pattern.replace(/[.+?^{}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")),
}));

/** Whether the `*` group blocks `path` (path plus query). */
export function blockedByRobots(path: string): boolean {
  let best: { allow: boolean; length: number } | null = null;
  for (const m of MATCHERS) {
    if (!m.re.test(path)) continue;
    const length = m.pattern.length;
    if (best === null || length > best.length || (length === best.length && m.allow)) best = { allow: m.allow, length };
  }
  return best !== null && !best.allow;
}

const PAGES: Record<string, { title: string; quote: number }> = {
  "/private/report-1": { title: "Private report 1", quote: 0 },
  "/private/report-2": { title: "Private report 2", quote: 1 },
  "/private/public-info": { title: "Public information", quote: 2 },
  "/private/public-notes": { title: "Public notes", quote: 3 },
};
const PDFS = new Set(["/private/public-guide.pdf", "/docs/manual.pdf"]);
const HOME_LINKS = [
  "/private/", "/private/report-1", "/private/public-info", "/private/public-notes",
  "/private/public-guide.pdf", "/docs/manual.pdf", "/docs/manual.pdf?download=1", "/docs/pdf-guide",
];

export function robotsModeSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const quoteOf = (i: number) => extraQuote(model, QUOTE_BLOCK.robots + i);
  const pdf = bytesReply(makePdf(), "application/pdf", false);

  const known = (path: string): boolean => path === "/private/" || path === "/docs/pdf-guide" || PAGES[path] !== undefined;
  const render = (path: string): Reply => {
    if (path === "/private/") {
      return modePage(model, {
        title: "Private area",
        intro: "robots.txt disallows this area, except pages whose names start with <code>public-</code>.",
        links: Object.entries(PAGES).map(([href, p]) => ({ href, label: p.title })),
      });
    }
    if (path === "/docs/pdf-guide") {
      return modePage(model, {
        title: "A guide to PDFs",
        intro: "This page has pdf in its path but does not end in <code>.pdf</code>, so robots.txt allows it.",
        links: [{ href: "/docs/manual.pdf?download=1", label: "Download the manual" }],
      });
    }
    const page = PAGES[path]!;
    return modePage(model, {
      title: page.title,
      intro: `Back to the <a href="/private/">private area</a>.`,
      quotes: [quoteOf(page.quote)],
    });
  };

  return {
    name: "robots-rules",
    homeLinks: HOME_LINKS.map((href) => ({ href, label: `${blockedByRobots(href) ? "Blocked" : "Allowed"}: ${href}` })),
    handle(req: PracticeRequest): Reply | undefined {
      if (!req.path.startsWith("/private/") && !req.path.startsWith("/docs/")) return undefined;
      if (PDFS.has(req.path)) return pdf;
      return known(req.path) ? cache.get(req.path, () => render(req.path)) : undefined;
    },
    contribute(manifest: SiteManifest): void {
      const disallowed = (manifest.disallowed ??= []);
      for (const href of HOME_LINKS) {
        if (blockedByRobots(href)) disallowed.push(href);
        else if (href.endsWith(".pdf") || href.includes(".pdf?")) manifest.files.push({ path: href, contentType: "application/pdf" });
        else {
          manifest.pages.push(href);
          const page = PAGES[href];
          if (page !== undefined) manifest.items.quote.push(quoteItem(model, quoteOf(page.quote)));
        }
      }
      modesOf(manifest).robots = { crawlDelay: ctx.modes.crawlDelay, groups: structuredClone(GROUPS) };
    },
    finish(manifest: SiteManifest): void {
      // Other sections' links that the rules block (the default site's .pdf files).
      const disallowed = (manifest.disallowed ??= []);
      const keep = (path: string): boolean => {
        if (!blockedByRobots(path)) return true;
        if (!disallowed.includes(path)) disallowed.push(path);
        return false;
      };
      manifest.pages = manifest.pages.filter(keep);
      manifest.notFound = manifest.notFound.filter(keep);
      manifest.files = manifest.files.filter((f) => keep(f.path));
    },
  };
}
