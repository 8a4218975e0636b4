/**
 * Turns one fetched page into one PageCommit: extraction, hooks, link filtering
 * (canonical, in scope, within depth, not seen), and first-seen field names.
 */
import { canonicalize, hostOf, type ScopeCheck, type TrapDetector } from "../frontier/index.js";
import type { Extractor } from "../extract/index.js";
import type { FetchedPage } from "../fetch/index.js";
import { applyItemHook, type CrawlHooks, type HookItem, type PageContext } from "../pipeline/index.js";
import { errorMessage } from "../shared/errors.js";
import type { LeasedRequest, NewRequest, PageCommit } from "../store/index.js";

export interface ProcessorDeps {
  extractor: Extractor;
  scope: ScopeCheck;
  traps: TrapDetector;
  maxDepth: number;
  hooks: CrawlHooks;
  /** Canonical URLs this process already sent to the store (skips needless inserts). */
  seen: Set<string>;
  /** Absolute href -> canonical URL (bounded). */
  canonical: Map<string, string | null>;
  /** (type \u0000 field) pairs already registered. */
  knownFields: Set<string>;
}

const SEEN_CAP = 2_000_000;
const CANON_CACHE_CAP = 50_000;

/**
 * Extracted links are absolute already, and the same ones recur on many pages (navigation,
 * pagination): remember their canonical form instead of parsing them again.
 */
function canonicalCached(deps: ProcessorDeps, href: string, base: string): string | null {
  // Only absolute hrefs are keyed (hooks may add relative ones, whose meaning depends on the base).
  if (!href.startsWith("http://") && !href.startsWith("https://")) return canonicalize(href, base);
  let c = deps.canonical.get(href);
  if (c === undefined) {
    c = canonicalize(href, base);
    if (deps.canonical.size >= CANON_CACHE_CAP) deps.canonical.clear();
    deps.canonical.set(href, c);
  }
  return c;
}

/** What extraction made of a fetched page, before hooks and link filtering. */
export interface Extracted {
  items: HookItem[];
  links: { url: string; priority: number }[];
  base: string;
  warning?: PageCommit["warning"];
  /** Item types expected on this page, and whether each probe selector (waitFor) matched. */
  applicableItems: number;
  probes: boolean[];
}

export function extractPage(page: FetchedPage, deps: ProcessorDeps): Extracted {
  const out: Extracted = { items: [], links: [], base: page.finalUrl, applicableItems: 0, probes: [] };
  if (!page.isHtml || page.text === null) return out;
  try {
    const r = deps.extractor.extract(page.text, page.finalUrl);
    out.items = r.items;
    out.base = r.baseUrl;
    out.links = r.links;
    out.applicableItems = r.applicableItems;
    out.probes = r.probes;
  } catch (err) {
    // A page that breaks the parser is recorded and the crawl goes on.
    out.warning = { code: (err as { code?: string }).code ?? "GLEANER_ERR_EXTRACT", message: `extraction failed on ${page.finalUrl}: ${errorMessage(err)}` };
  }
  return out;
}

export async function processPage(req: LeasedRequest, page: FetchedPage, deps: ProcessorDeps, fetcher: string, extracted = extractPage(page, deps)): Promise<PageCommit> {
  let items = extracted.items;
  const rawLinks = extracted.links;
  const warning = extracted.warning;
  const base = extracted.base;

  if (deps.hooks.onPage || deps.hooks.onItem) {
    const ctx: PageContext = {
      url: req.url,
      finalUrl: page.finalUrl,
      status: page.status,
      contentType: page.contentType,
      depth: req.depth,
      text: page.text,
      items,
      addItem: (type, data) => void items.push({ type, data }),
      addLink: (url, priority = 0) => void rawLinks.push({ url, priority }),
    };
    if (deps.hooks.onPage) await deps.hooks.onPage(ctx);
    items = await applyItemHook(ctx.items, ctx, deps.hooks);
  }

  const discovered: NewRequest[] = [];
  let skipped: { request: NewRequest; reason: string }[] | undefined;
  const depth = req.depth + 1;
  if (depth <= deps.maxDepth) {
    for (const link of rawLinks) {
      const url = canonicalCached(deps, link.url, base);
      if (url === null || deps.seen.has(url)) continue;
      if (deps.scope(url) !== null) continue;
      if (deps.seen.size >= SEEN_CAP) deps.seen.clear(); // bounded memory; the store still dedups
      deps.seen.add(url);
      const request = { url, host: hostOf(url), depth, priority: link.priority, parentId: req.id };
      const trap = deps.traps.check(url);
      if (trap === null) discovered.push(request);
      else (skipped ??= []).push({ request, reason: trap });
    }
  }

  // Field names are registered as known only after the commit succeeds (see crawler).
  const newFields: [string, string][] = [];
  let local: Set<string> | undefined;
  const stored = items.map((it) => {
    for (const name in it.data) {
      const key = it.type + "\u0000" + name;
      if (!deps.knownFields.has(key) && !(local ??= new Set()).has(key)) {
        local.add(key);
        newFields.push([it.type, name]);
      }
    }
    return { type: it.type, json: JSON.stringify(it.data) };
  });

  const finalCanonical = page.finalUrl === req.url ? req.url : canonicalize(page.finalUrl);
  return {
    requestId: req.id,
    status: page.status,
    finalUrl: page.finalUrl,
    contentType: page.contentType,
    bytes: page.bodyBytes,
    elapsedMs: page.elapsedMs,
    fetcher,
    items: stored,
    discovered,
    ...(skipped ? { skipped } : {}),
    newFields,
    ...(finalCanonical && finalCanonical !== req.url ? { aliasUrl: { url: finalCanonical, host: hostOf(finalCanonical), depth: req.depth } } : {}),
    ...(warning ? { warning } : {}),
  };
}
