/**
 * User hooks over pages and items (the library's extension points). Hooks run in the
 * engine between extraction and the page's commit, so whatever they add or drop is part
 * of the same atomic commit.
 */

export interface HookItem {
  type: string;
  data: Record<string, unknown>;
}

export interface PageContext {
  /** Canonical URL that was requested. */
  readonly url: string;
  /** URL after redirects. */
  readonly finalUrl: string;
  readonly status: number;
  readonly contentType: string;
  readonly depth: number;
  /** Decoded text for text types (HTML, XML, JSON, text/*), else null. */
  readonly text: string | null;
  /** Items extracted by the spec so far; hooks may edit this array. */
  readonly items: HookItem[];
  addItem(type: string, data: Record<string, unknown>): void;
  /** Queue a link (resolved against the page URL); scope and depth rules still apply. */
  addLink(url: string, priority?: number): void;
}

export interface CrawlHooks {
  /** After extraction, before the commit. May add items and links. */
  onPage?(page: PageContext): void | Promise<void>;
  /** Per item: return a (changed) item to keep, null to drop it, undefined to keep it as is. */
  onItem?(item: HookItem, page: PageContext): HookItem | null | undefined | void | Promise<HookItem | null | undefined | void>;
}

/** Runs onItem over every item; returns the kept items. */
export async function applyItemHook(items: HookItem[], page: PageContext, hooks: CrawlHooks): Promise<HookItem[]> {
  if (!hooks.onItem) return items;
  const kept: HookItem[] = [];
  for (const item of items) {
    const out = await hooks.onItem(item, page);
    if (out === null) continue;
    kept.push(out === undefined ? item : out);
  }
  return kept;
}
