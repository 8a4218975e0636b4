/**
 * Discovered links: resolved against the base URL, http(s) only, fragment dropped, deduplicated
 * within the page keeping the highest priority. Not canonicalized: that is the frontier's job.
 * The WHATWG URL parser already strips leading/trailing spaces and inner tabs/newlines as
 * browsers do, and `javascript:`, `mailto:`, `tel:`, `data:` fall out with the scheme check.
 */
import { attrValue, type DomNode, type ElementNode } from "./dom.js";

/** href + base -> the URL to keep, or null to drop the link. */
export type LinkResolver = (href: string, base: string) => string | null;

export interface DiscoveredLink {
  url: string;
  priority: number;
}

/** Longer hrefs are dropped: servers reject them (8 KiB is the common limit) and they bloat the store. */
export const MAX_LINK_LENGTH = 8192;

export class LinkCollector {
  readonly links: DiscoveredLink[] = [];
  /** Resolved URL -> its index in `links`. */
  private readonly index = new Map<string, number>();
  /**
   * Raw href -> index in `links`, or -1 if it was rejected. Pages repeat the same hrefs (tag
   * clouds, pagers, author links), and resolving one costs more than the rest of `add`.
   */
  private readonly byHref = new Map<string, number>();
  constructor(private readonly base: string, private readonly resolver: LinkResolver | null = null) {}

  add(href: string, priority: number): void {
    if (href.length > MAX_LINK_LENGTH) return;
    let at = this.byHref.get(href);
    if (at === undefined) {
      at = this.resolve(href, priority);
      this.byHref.set(href, at);
    }
    if (at >= 0 && this.links[at]!.priority < priority) this.links[at]!.priority = priority;
  }

  /** Index of `href`'s link (added with `priority` if new), or -1 if it is not an http(s) URL. */
  private resolve(href: string, priority: number): number {
    const url = this.resolver ? this.resolver(href, this.base) : resolveHref(href, this.base);
    if (url === null || url.length > MAX_LINK_LENGTH) return -1;
    let at = this.index.get(url);
    if (at === undefined) {
      at = this.links.length;
      this.index.set(url, at);
      this.links.push({ url, priority });
    }
    return at;
  }

  /**
   * A follow selector matched `el`: its own link attribute (`attr`, else `src` on frames and
   * `href` elsewhere) if it has one, else every a[href] / area[href] inside it.
   */
  addFromElement(el: ElementNode, attr: string | undefined, priority: number): void {
    const name = attr ?? (el.name === "iframe" || el.name === "frame" ? "src" : "href");
    const own = attrValue(el, name);
    if (own !== undefined) {
      this.add(own, priority);
      return;
    }
    const stack: DomNode[] = [...el.children];
    stack.reverse(); // pop() from the end keeps document order
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type !== "tag") continue;
      if (node.name === "a" || node.name === "area") {
        const href = attrValue(node, "href");
        if (href !== undefined) this.add(href, priority);
      }
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
}

/** Absolute http(s) URL of `href` against `base`, without fragment; null for other schemes or junk. */
function resolveHref(href: string, base: string): string | null {
  let u: URL;
  try {
    u = new URL(href, base);
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  const url = u.href;
  const hash = url.indexOf("#");
  return hash === -1 ? url : url.slice(0, hash);
}
