/**
 * Discovered links: resolved against the base URL, http(s) only, fragment dropped, deduplicated
 * within the page keeping the highest priority. Not canonicalized: that is the frontier's job.
 * The WHATWG URL parser already strips leading/trailing spaces and inner tabs/newlines as
 * browsers do, and `javascript:`, `mailto:`, `tel:`, `data:` fall out with the scheme check.
 */
import type { AnyNode, Element } from "domhandler";

export interface DiscoveredLink {
  url: string;
  priority: number;
}

/** Longer hrefs are dropped: servers reject them (8 KiB is the common limit) and they bloat the store. */
export const MAX_LINK_LENGTH = 8192;

export class LinkCollector {
  readonly links: DiscoveredLink[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly base: string) {}

  add(href: string, priority: number): void {
    if (href.length > MAX_LINK_LENGTH) return;
    let u: URL;
    try {
      u = new URL(href, this.base);
    } catch {
      return;
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") return;
    let url = u.href;
    const hash = url.indexOf("#");
    if (hash !== -1) url = url.slice(0, hash);
    if (url.length > MAX_LINK_LENGTH) return;
    const at = this.index.get(url);
    if (at === undefined) {
      this.index.set(url, this.links.length);
      this.links.push({ url, priority });
    } else if (this.links[at]!.priority < priority) {
      this.links[at]!.priority = priority;
    }
  }

  /**
   * A follow selector matched `el`: its own link attribute (`attr`, else `src` on frames and
   * `href` elsewhere) if it has one, else every a[href] / area[href] inside it.
   */
  addFromElement(el: Element, attr: string | undefined, priority: number): void {
    const name = attr ?? (el.name === "iframe" || el.name === "frame" ? "src" : "href");
    const own = el.attribs[name];
    if (own !== undefined) {
      this.add(own, priority);
      return;
    }
    const stack: AnyNode[] = [...el.children];
    stack.reverse(); // pop() from the end keeps document order
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type !== "tag") continue;
      if ((node.name === "a" || node.name === "area") && node.attribs.href !== undefined) {
        this.add(node.attribs.href, priority);
      }
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
}
