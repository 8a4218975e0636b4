/**
 * The extraction stage: HTML + page URL in, items and discovered links out.
 *
 * Everything that can be prepared per spec is prepared in `compileExtractor` (selectors, regexes,
 * globs, converters). Per page:
 *   1. decide which items and follow rules apply (`when` globs on the page URL);
 *   2. if none needs the DOM, only tokenize (title, <base>, and a[href] in follow-all mode);
 *      else parse once, collecting title/base/plain links during the parse;
 *   3. one walk of the DOM tests every `each` and follow selector;
 *   4. fields are evaluated under each `each` match (or the document).
 */
import { SpecError, errorMessage } from "../shared/errors.js";
import type { FollowSpec, ItemSpec } from "../spec/types.js";
import { ExtractError } from "./errors.js";
import type { DocumentNode, ElementNode } from "./dom.js";
import { compileField, FieldCompileError, type CompiledField, type Root } from "./fields.js";
import { compileUrlGlob, urlParts, type UrlGlob, type UrlParts } from "./glob.js";
import { LinkCollector, type DiscoveredLink, type LinkResolver } from "./links.js";
import { parsePage, scanPage, type PageScan } from "./parse.js";
import { compilePageQuery, walkMatches, type Predicate } from "./selectors.js";
import { collapseWhitespace } from "./text.js";

export interface ExtractedItem {
  type: string;
  data: Record<string, unknown>;
}

export interface ExtractResult {
  items: ExtractedItem[];
  /** Absolute http(s) URLs (resolved against baseUrl, fragment dropped, not canonicalized). */
  links: DiscoveredLink[];
  baseUrl: string;
  title: string | null;
  /** Item types whose `when` matched this page (0: the spec expects nothing here). */
  applicableItems: number;
  /** For each `probes` selector of the options: whether it matched (always false without a DOM). */
  probes: boolean[];
}

export interface Extractor {
  /**
   * Throws ExtractError (action "skip") if the page cannot be extracted. `utf8Bytes`: `html`
   * holds the page's UTF-8 bytes one per char (src/shared/utf8-bytes.ts), not decoded text.
   */
  extract(html: string, pageUrl: string, utf8Bytes?: boolean): ExtractResult;
}

export interface ExtractorOptions {
  /** URL glob matcher for `when`; default matchUrlGlob. */
  matchUrl?: (glob: string, url: string) => boolean;
  /**
   * Turns a link's href into the URL to report, or null to drop it (default: resolved against
   * the base, http(s) only, fragment dropped). The crawl's workers canonicalize and scope here.
   */
  resolveLink?: LinkResolver;
  /** Selectors tested on every page (same walk), e.g. `waitFor` to tell if the static HTML is enough. */
  probes?: string[];
}

interface CompiledItem {
  type: string;
  when: string | undefined;
  each: Predicate | null;
  fields: CompiledField[];
}

interface CompiledFollow {
  when: string | undefined;
  match: Predicate;
  attr: string | undefined;
  priority: number;
}

function compiled<T>(path: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    const where = err instanceof FieldCompileError ? `${path}.${err.part}` : path;
    throw new SpecError([{ path: where, message: errorMessage(err) }]);
  }
}

/** Compile a spec's extraction rules once. Throws SpecError naming the bad selector or regex. */
export function compileExtractor(items: ItemSpec[], follow: FollowSpec[] | null, opts: ExtractorOptions = {}): Extractor {
  const compiledItems: CompiledItem[] = items.map((it) => ({
    type: it.type,
    when: it.when,
    each: it.each === undefined ? null : compiled(`extract.${it.type}.each`, () => compilePageQuery(it.each!)),
    fields: Object.entries(it.fields).map(([name, f]) =>
      compiled(`extract.${it.type}.fields.${name}`, () => compileField(name, f)),
    ),
  }));
  const compiledFollow: CompiledFollow[] | null =
    follow === null
      ? null
      : follow.map((f, i) => ({
          when: f.when,
          match: compiled(`follow.${i}.selector`, () => compilePageQuery(f.selector)),
          attr: f.attr,
          priority: f.priority ?? 0,
        }));
  const probes = (opts.probes ?? []).map((sel, i) => compiled(`fetch.waitFor[${i}]`, () => compilePageQuery(sel)));
  return new SpecExtractor(compiledItems, compiledFollow, opts.matchUrl ?? null, probes, opts.resolveLink ?? null);
}

class SpecExtractor implements Extractor {
  private readonly globs = new Map<string, UrlGlob>();

  constructor(
    private readonly items: CompiledItem[],
    private readonly follow: CompiledFollow[] | null,
    private readonly matchUrl: ((glob: string, url: string) => boolean) | null,
    private readonly probeQueries: Predicate[],
    private readonly resolveLink: LinkResolver | null,
  ) {
    for (const w of [...items.map((i) => i.when), ...(follow ?? []).map((f) => f.when)]) {
      if (w !== undefined && !this.globs.has(w)) this.globs.set(w, compileUrlGlob(w));
    }
  }

  extract(html: string, pageUrl: string, utf8Bytes = false): ExtractResult {
    const url = urlParts(pageUrl);
    if (url.pathname === null) {
      throw new ExtractError(`cannot extract: page URL ${JSON.stringify(pageUrl)} is not a valid URL`, {
        context: { url: pageUrl },
      });
    }
    try {
      return this.run(html, pageUrl, url, utf8Bytes);
    } catch (err) {
      if (err instanceof ExtractError) throw err;
      throw new ExtractError(`extraction failed for ${pageUrl}: ${errorMessage(err)}`, {
        cause: err,
        context: { url: pageUrl },
      });
    }
  }

  private applies(when: string | undefined, pageUrl: string, url: UrlParts): boolean {
    if (when === undefined) return true;
    return this.matchUrl !== null ? this.matchUrl(when, pageUrl) : this.globs.get(when)!(url);
  }

  private run(html: string, pageUrl: string, url: UrlParts, utf8Bytes: boolean): ExtractResult {
    const items = this.items.filter((it) => this.applies(it.when, pageUrl, url));
    const follow = this.follow === null ? null : this.follow.filter((f) => this.applies(f.when, pageUrl, url));
    const followAll = follow === null;
    const needDom = items.length > 0 || (follow !== null && follow.length > 0) || this.probeQueries.length > 0;

    let doc: DocumentNode | null = null;
    let scan: PageScan;
    if (needDom) ({ doc, scan } = parsePage(html, followAll, utf8Bytes));
    else scan = scanPage(html, followAll, utf8Bytes);

    const baseUrl = resolveBase(scan.baseHref, pageUrl);
    const links = new LinkCollector(baseUrl, this.resolveLink);
    if (scan.hrefs !== null) for (const href of scan.hrefs) links.add(href, 0);

    const out: ExtractedItem[] = [];
    const probes = this.probeQueries.map(() => false);
    if (doc !== null) {
      // One walk for every page-level selector: `each` of the items, then the follow rules.
      const queries: Predicate[] = [];
      for (const it of items) if (it.each !== null) queries.push(it.each);
      const firstFollow = queries.length;
      if (follow !== null) for (const f of follow) queries.push(f.match);
      const firstProbe = queries.length;
      for (const p of this.probeQueries) queries.push(p);
      const matches: ElementNode[][] = queries.map(() => []);
      if (queries.length > 0) walkMatches(doc, queries, matches);
      for (let i = 0; i < probes.length; i++) probes[i] = matches[firstProbe + i]!.length > 0;

      let q = 0;
      for (const it of items) {
        if (it.each === null) pageItem(it, doc, baseUrl, out);
        else for (const el of matches[q++]!) eachItem(it, el, baseUrl, out);
      }
      if (follow !== null) {
        for (let i = 0; i < follow.length; i++) {
          const f = follow[i]!;
          for (const el of matches[firstFollow + i]!) links.addFromElement(el, f.attr, f.priority);
        }
      }
    }

    const title = scan.title === null ? null : collapseWhitespace(scan.title);
    return { items: out, links: links.links, baseUrl, title: title === "" ? null : title, applicableItems: items.length, probes };
  }
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
}

/** One item per `each` match; dropped if a required field is empty. */
function eachItem(it: CompiledItem, root: ElementNode, baseUrl: string, out: ExtractedItem[]): void {
  const data: Record<string, unknown> = {};
  for (const f of it.fields) {
    const v = f.evaluate(root, baseUrl);
    if (f.required && isEmpty(v)) return;
    data[f.name] = v;
  }
  out.push({ type: it.type, data });
}

/** One item for the page, only if some field actually matched a value (defaults do not count). */
function pageItem(it: CompiledItem, doc: Root, baseUrl: string, out: ExtractedItem[]): void {
  const data: Record<string, unknown> = {};
  let any = false;
  for (const f of it.fields) {
    const v = f.evaluate(doc, baseUrl);
    if (f.required && isEmpty(v)) return;
    if (f.found && !isEmpty(v)) any = true;
    data[f.name] = v;
  }
  if (any) out.push({ type: it.type, data });
}

/** The first <base href>, resolved against the page URL, if it is http(s); else the page URL. */
function resolveBase(baseHref: string | null, pageUrl: string): string {
  if (baseHref === null) return pageUrl;
  try {
    const u = new URL(baseHref, pageUrl);
    if (u.protocol === "http:" || u.protocol === "https:") return u.href;
  } catch {
    // invalid base: browsers fall back to the document URL too
  }
  return pageUrl;
}
