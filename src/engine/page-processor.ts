/**
 * Turns one fetched page into one PageCommit: extraction, hooks, link filtering
 * (canonical, in scope, within depth, not seen), and first-seen field names.
 */
import { canonicalize, hostOf, type ScopeCheck, type TrapDetector } from "../frontier/index.js";
import type { Extractor } from "../extract/index.js";
import { utf8Markup, type FetchedPage } from "../fetch/index.js";
import { applyItemHook, type CrawlHooks, type HookItem, type PageContext } from "../pipeline/index.js";
import { errorMessage, GleanerError } from "../shared/errors.js";
import { ownCopy, type RecentSet } from "../shared/recent-set.js";
import type { LeasedRequest, NewRequest, PageCommit } from "../store/index.js";
import { EXTRACT_LOST, type ExtractPool, type PreparedExtract } from "./extract-pool/index.js";

export interface ProcessorDeps {
  extractor: Extractor;
  scope: ScopeCheck;
  traps: TrapDetector;
  maxDepth: number;
  hooks: CrawlHooks;
  /** Canonical URLs this process already sent to the store (skips needless inserts). */
  seen: RecentSet;
  /** Absolute href -> canonical URL (bounded). */
  canonical: Map<string, string | null>;
  /** (type \u0000 field) pairs already registered. */
  knownFields: Set<string>;
  /** Extraction worker threads; null: extract on this thread (always, when hooks are set). */
  pool: ExtractPool | null;
}

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
    deps.canonical.set(ownCopy(href), c);
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
  /** From an extraction worker (`items` and `links` then empty): items serialized, links canonical and in scope. */
  prepared?: PreparedExtract;
}

export const itemCount = (e: Extracted): number => (e.prepared ? e.prepared.items.length : e.items.length);

/**
 * Extraction in a worker thread when the crawl has a pool, else on this thread. `linkDepth`:
 * the depth the page's links would get. `final: false` when a browser render may replace this
 * extraction (auto mode), so the worker must not count its links as reported.
 *
 * A final extraction takes the page's text away (`page.text` becomes null): the worker gets a
 * copy, and a string kept here while dozens of pages wait for the worker would be promoted to
 * the old space before it dies. If the pool then loses the page (its worker died before
 * reaching it), this throws EXTRACT_LOST and the crawl fetches the page again.
 */
export function extractPage(page: FetchedPage, deps: ProcessorDeps, linkDepth: number, final = true): Promise<Extracted> {
  // Until the first worker has started (~70 ms of module loading), this thread extracts: the
  // first pages hold the only links the crawl knows, so waiting for the worker would stall it all.
  // (`started` also means the pool is neither broken nor closed: it takes this page.)
  const pool = deps.pool;
  if (!pool?.started || !page.isHtml) return Promise.resolve(extractHere(page, deps));
  // A UTF-8 page goes as its bytes, one per char: copied, never decoded on this thread.
  const markup = utf8Markup(page);
  const html = markup !== null ? markup.html : page.text;
  if (html === null || html.length > pool.maxPageChars) return Promise.resolve(extractHere(page, deps));
  const sent = pool.extract(html, page.finalUrl, linkDepth, final, markup?.utf8Bytes ?? false);
  if (final) page.text = null;
  return fromPool(sent, page.finalUrl); // not an async function here: its frame would keep `html` alive
}

async function fromPool(sent: Promise<PreparedExtract>, url: string): Promise<Extracted> {
  try {
    const prepared = await sent;
    return { items: [], links: [], base: prepared.base, applicableItems: prepared.applicableItems, probes: prepared.probes, prepared };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === EXTRACT_LOST) throw err;
    // The pool refused the page (it closed in between): its text is gone here too.
    if (code === "GLEANER_ERR_EXTRACT_POOL") throw new GleanerError(EXTRACT_LOST, `${url} was refused by the extraction pool (${errorMessage(err)}); it must be fetched again`, { action: "retry", cause: err });
    return { items: [], links: [], base: url, applicableItems: 0, probes: [], warning: warningOf(err, url) };
  }
}

const warningOf = (err: unknown, url: string): NonNullable<PageCommit["warning"]> => {
  const message = errorMessage(err);
  return { code: (err as { code?: string }).code ?? "GLEANER_ERR_EXTRACT", message: message.startsWith("extraction failed") ? message : `extraction failed on ${url}: ${message}` };
};

export function extractHere(page: FetchedPage, deps: ProcessorDeps): Extracted {
  if (!page.isHtml) return { items: [], links: [], base: page.finalUrl, applicableItems: 0, probes: [] };
  // Undecoded UTF-8 is parsed as bytes here too; `page.text` still decodes if a hook reads it.
  const markup = utf8Markup(page);
  if (markup !== null) return extractText(markup.html, markup.utf8Bytes, page.finalUrl, deps);
  if (page.text === null) return { items: [], links: [], base: page.finalUrl, applicableItems: 0, probes: [] };
  return extractText(page.text, false, page.finalUrl, deps);
}

function extractText(html: string, utf8Bytes: boolean, url: string, deps: ProcessorDeps): Extracted {
  const out: Extracted = { items: [], links: [], base: url, applicableItems: 0, probes: [] };
  try {
    const r = deps.extractor.extract(html, url, utf8Bytes);
    out.items = r.items;
    out.base = r.baseUrl;
    out.links = r.links;
    out.applicableItems = r.applicableItems;
    out.probes = r.probes;
  } catch (err) {
    // A page that breaks the parser is recorded and the crawl goes on.
    out.warning = warningOf(err, url);
  }
  return out;
}

export async function processPage(req: LeasedRequest, page: FetchedPage, deps: ProcessorDeps, fetcher: string, given?: Extracted): Promise<PageCommit> {
  const extracted = given ?? (await extractPage(page, deps, req.depth + 1));
  if (extracted.prepared) return commitOf(req, page, deps, fetcher, extracted, extracted.prepared);
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

  const { discovered, skipped } = newRequests(req, deps, rawLinks, (href) => {
    const url = canonicalCached(deps, href, base);
    return url === null || deps.scope(url) !== null ? null : url;
  });

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

  return pageCommit(req, page, fetcher, stored, discovered, skipped, newFields, warning);
}

/** The commit of a page extracted by a worker: nothing left to serialize or canonicalize. */
function commitOf(req: LeasedRequest, page: FetchedPage, deps: ProcessorDeps, fetcher: string, extracted: Extracted, p: PreparedExtract): PageCommit {
  const { discovered, skipped } = newRequests(req, deps, p.links, (url) => url);
  const newFields = p.fields.filter(([t, f]) => !deps.knownFields.has(t + "\u0000" + f));
  return pageCommit(req, page, fetcher, p.items, discovered, skipped, newFields, extracted.warning);
}

type Skipped = { request: NewRequest; reason: string }[] | undefined;

/** Links to enqueue: within depth, not sent before, not a trap. `inScope` gives the canonical URL or null. */
function newRequests(req: LeasedRequest, deps: ProcessorDeps, links: { url: string; priority: number }[], inScope: (href: string) => string | null): { discovered: NewRequest[]; skipped: Skipped } {
  const discovered: NewRequest[] = [];
  let skipped: Skipped;
  const depth = req.depth + 1;
  if (depth > deps.maxDepth) return { discovered, skipped };
  for (const link of links) {
    const url = inScope(link.url);
    if (url === null || deps.seen.has(url)) continue;
    deps.seen.add(url);
    const request = { url, host: hostOf(url), depth, priority: link.priority, parentId: req.id };
    const trap = deps.traps.check(url);
    if (trap === null) discovered.push(request);
    else (skipped ??= []).push({ request, reason: trap });
  }
  return { discovered, skipped };
}

function pageCommit(req: LeasedRequest, page: FetchedPage, fetcher: string, items: PageCommit["items"], discovered: NewRequest[], skipped: Skipped, newFields: [string, string][], warning: PageCommit["warning"]): PageCommit {
  const finalCanonical = page.finalUrl === req.url ? req.url : canonicalize(page.finalUrl);
  return {
    requestId: req.id,
    status: page.status,
    finalUrl: page.finalUrl,
    contentType: page.contentType,
    bytes: page.bodyBytes,
    elapsedMs: page.elapsedMs,
    fetcher,
    items,
    discovered,
    ...(skipped ? { skipped } : {}),
    newFields,
    ...(finalCanonical && finalCanonical !== req.url ? { aliasUrl: { url: finalCanonical, host: hostOf(finalCanonical), depth: req.depth } } : {}),
    ...(warning ? { warning } : {}),
  };
}
