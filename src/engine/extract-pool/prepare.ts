/**
 * One page's extraction made ready to commit, in the form the extraction workers send back:
 * items already serialized, links canonical and in scope, and the (type, field) pairs seen.
 * Pure per page (plus a bounded cache), so it runs the same in a worker or inline.
 */
import { canonicalize, type ScopeCheck } from "../../frontier/index.js";
import type { Extractor, LinkResolver } from "../../extract/index.js";

export interface PreparedExtract {
  items: { type: string; json: string }[];
  /** Distinct (type, field name) pairs of this page's items. */
  fields: [string, string][];
  /** Canonical, in scope, deduplicated within the page. */
  links: { url: string; priority: number }[];
  base: string;
  applicableItems: number;
  probes: boolean[];
}

const CANON_CACHE_CAP = 50_000;

/**
 * Link resolution for the workers: canonical URL in scope, or null. Pages repeat the same
 * links (navigation, pagers, tag clouds), so results are cached under a key that fixes the
 * meaning of the href: itself when absolute, the base's origin + href when root-relative
 * (`/page/2/`). Other relative hrefs depend on the whole base and are resolved each time.
 */
export function scopedResolver(scope: ScopeCheck): LinkResolver {
  const cache = new Map<string, string | null>();
  const inScope = (href: string, base: string): string | null => {
    const c = canonicalize(href, base);
    return c !== null && scope(c) === null ? c : null;
  };
  return (href, base) => {
    let key: string;
    if (href.startsWith("http://") || href.startsWith("https://")) key = href;
    else if (href.startsWith("/") && !href.startsWith("//")) {
      const slash = base.indexOf("/", base.indexOf("//") + 2);
      key = (slash < 0 ? base : base.slice(0, slash)) + href;
    } else return inScope(href, base);
    let c = cache.get(key);
    if (c === undefined) {
      c = inScope(href, base);
      if (cache.size >= CANON_CACHE_CAP) cache.clear();
      cache.set(key, c);
    }
    return c;
  };
}

/** Extraction of one page into a PreparedExtract; the extractor must resolve links with scopedResolver. */
export class ExtractPreparer {
  constructor(private readonly extractor: Extractor) {}

  prepare(html: string, pageUrl: string): PreparedExtract {
    const r = this.extractor.extract(html, pageUrl);
    const items = new Array<{ type: string; json: string }>(r.items.length);
    const fields: [string, string][] = [];
    let seenFields: Set<string> | undefined;
    for (let i = 0; i < r.items.length; i++) {
      const it = r.items[i]!;
      items[i] = { type: it.type, json: JSON.stringify(it.data) };
      for (const name in it.data) {
        const key = it.type + "\u0000" + name;
        if (!(seenFields ??= new Set()).has(key)) {
          seenFields.add(key);
          fields.push([it.type, name]);
        }
      }
    }
    // Links are canonical and in scope already, and deduplicated by the extractor.
    return { items, fields, links: r.links, base: r.baseUrl, applicableItems: r.applicableItems, probes: r.probes };
  }
}
