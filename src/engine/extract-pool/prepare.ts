/**
 * One page's extraction made ready to commit, in the form the extraction workers send back:
 * items already serialized, links canonical and in scope, and the (type, field) pairs seen.
 * Pure per page (plus a bounded cache), so it runs the same in a worker or inline.
 */
import { canonicalize, type ScopeCheck } from "../../frontier/index.js";
import type { Extractor, LinkResolver } from "../../extract/index.js";
import { ownCopy, RecentSet } from "../../shared/recent-set.js";

export interface PreparedExtract {
  items: { type: string; json: string }[];
  /** Distinct (type, field name) pairs of this page's items. */
  fields: [string, string][];
  /**
   * Canonical, in scope, deduplicated within the page and, with a NewLinks filter, not
   * reported for an earlier page (the main thread then sees each link about once).
   */
  links: { url: string; priority: number }[];
  base: string;
  applicableItems: number;
  probes: boolean[];
}

const CANON_CACHE_CAP = 50_000;

/**
 * Link resolution for the workers: canonical URL in scope, or null. Pages repeat the same
 * links (navigation, pagers, tag clouds), so results are cached: absolute hrefs by themselves,
 * root-relative ones (`/page/2/`) per origin of the base. Other relative hrefs depend on the
 * whole base and are resolved each time. (Per-origin maps: no key string is built per link.)
 */
export function scopedResolver(scope: ScopeCheck): LinkResolver {
  const absolute = new Map<string, string | null>();
  const byOrigin = new Map<string, Map<string, string | null>>();
  let size = 0;
  let lastBase = "";
  let lastOrigin: Map<string, string | null> | null = null;
  const inScope = (href: string, base: string): string | null => {
    const c = canonicalize(href, base);
    return c !== null && scope(c) === null ? c : null;
  };
  const remember = (map: Map<string, string | null>, key: string, value: string | null): void => {
    if (++size > CANON_CACHE_CAP) {
      absolute.clear();
      byOrigin.clear();
      lastOrigin = null;
      lastBase = "";
      size = 1;
    }
    map.set(ownCopy(key), value);
  };
  const originMap = (base: string): Map<string, string | null> => {
    if (base === lastBase && lastOrigin !== null) return lastOrigin;
    const slash = base.indexOf("/", base.indexOf("//") + 2);
    const origin = slash < 0 ? base : base.slice(0, slash);
    let m = byOrigin.get(origin);
    if (!m) byOrigin.set(origin, (m = new Map()));
    lastBase = base;
    return (lastOrigin = m);
  };
  return (href, base) => {
    let map: Map<string, string | null>;
    if (href.startsWith("http://") || href.startsWith("https://")) map = absolute;
    else if (href.startsWith("/") && !href.startsWith("//")) map = originMap(base);
    else return inScope(href, base);
    let c = map.get(href);
    if (c === undefined) {
      c = inScope(href, base);
      remember(map, href, c);
    }
    return c;
  };
}

/**
 * The links a worker has already reported (about the last `cap`; older ones may be
 * reported again, and the main thread and the store deduplicate them). Only links that could be followed are
 * remembered, so a link first seen on a page at the depth limit is reported again later.
 */
export class NewLinks {
  private readonly sent: RecentSet;

  constructor(private readonly maxDepth: number, cap = 100_000) {
    this.sent = new RecentSet(cap);
  }

  filter(links: { url: string; priority: number }[], linkDepth: number): { url: string; priority: number }[] {
    if (linkDepth > this.maxDepth) return [];
    const out: { url: string; priority: number }[] = [];
    for (const l of links) {
      if (this.sent.has(l.url)) continue;
      this.sent.add(l.url);
      out.push(l);
    }
    return out;
  }
}

/** Extraction of one page into a PreparedExtract; the extractor must resolve links with scopedResolver. */
export class ExtractPreparer {
  constructor(private readonly extractor: Extractor, private readonly newLinks: NewLinks | null = null) {}

  prepare(html: string, pageUrl: string, linkDepth = 0, newLinksOnly = true, utf8Bytes = false): PreparedExtract {
    const r = this.extractor.extract(html, pageUrl, utf8Bytes);
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
    const links = this.newLinks && newLinksOnly ? this.newLinks.filter(r.links, linkDepth) : r.links;
    return { items, fields, links, base: r.baseUrl, applicableItems: r.applicableItems, probes: r.probes };
  }
}
