/**
 * Which fetcher a page gets. `http` and `browser` are fixed; `auto` fetches over HTTP first
 * and renders in the browser only when the static HTML looks incomplete: the `waitFor`
 * selector is missing, or the page expects items, has none, and is built by scripts (or is an
 * app shell). What a render taught is remembered per URL pattern, so later pages of a pattern
 * go straight to the fetcher that works.
 */
import { matchUrlGlob } from "../extract/index.js";
import type { FetchedPage } from "../fetch/index.js";
import type { FetchSpec, RenderSpec } from "../spec/types.js";

export interface PageSignals {
  items: number;
  applicableItems: number;
  /** Whether the rule's waitFor matched the static HTML (undefined: no waitFor). */
  waitForFound: boolean | undefined;
}

type Verdict = "http" | "browser";

export class FetchRouter {
  /** URL pattern -> the fetcher that worked there. */
  private readonly learned = new Map<string, Verdict>();
  /** Distinct waitFor selectors: the extractor probes for them in the same walk. */
  readonly probes: string[];

  constructor(private readonly spec: FetchSpec) {
    const all = [spec.waitFor, ...spec.rules.map((r) => r.waitFor)].filter((s): s is string => !!s);
    this.probes = [...new Set(all)];
  }

  /** Whether any page may need the browser (so it is worth creating one). */
  get usesBrowser(): boolean {
    return this.spec.mode !== "http" || this.spec.rules.some((r) => r.mode !== undefined && r.mode !== "http");
  }

  /** The effective fetch settings for a URL: the first matching rule over the spec's defaults. */
  renderFor(url: string): RenderSpec {
    const rule = this.spec.rules.find((r) => matchUrlGlob(r.when, url));
    const base: RenderSpec = { mode: this.spec.mode, waitUntil: this.spec.waitUntil, actions: this.spec.actions, ...(this.spec.waitFor ? { waitFor: this.spec.waitFor } : {}) };
    if (!rule) return base;
    const { when: _when, ...over } = rule;
    return { ...base, ...over };
  }

  /** Fetch with the browser right away (browser mode, or auto where the pattern needed it before). */
  browserFirst(url: string, render: RenderSpec): boolean {
    if (render.mode === "browser") return true;
    return render.mode === "auto" && this.learned.get(patternOf(url)) === "browser";
  }

  /** Auto mode, after the HTTP fetch: does this page need a browser render? */
  shouldRender(url: string, render: RenderSpec, page: FetchedPage, s: PageSignals): boolean {
    if (render.mode !== "auto" || !page.isHtml || page.text === null || page.status >= 400) return false;
    if (s.waitForFound !== undefined) return !s.waitForFound;
    if (this.learned.get(patternOf(url)) === "http") return false;
    if (s.applicableItems > 0 && s.items === 0 && builtByScripts(page.text)) return true;
    return looksLikeAppShell(page.text);
  }

  /** Record what a render gave compared with the static HTML. */
  learn(url: string, staticItems: number, renderedItems: number, waitForFound?: boolean): void {
    const better = waitForFound === true || renderedItems > staticItems;
    this.learned.set(patternOf(url), better ? "browser" : "http");
  }
}

/**
 * A URL's pattern: host, first path segment and segment count ("/js/quotes/page/3/" ->
 * "host/js/…4"), so pages of one kind (listings, details) share what was learned.
 */
export function patternOf(url: string): string {
  const start = url.indexOf("//") + 2;
  const pathAt = url.indexOf("/", start);
  if (pathAt < 0) return url;
  const q = url.indexOf("?", pathAt);
  const segs = url.slice(pathAt + 1, q < 0 ? undefined : q).split("/").filter((x) => x !== "");
  return `${url.slice(start, pathAt)}/${segs[0] ?? ""}…${segs.length}`;
}

const SCRIPT = /<script\b[^>]*>/gi;
const HAS_SCRIPT = /<script\b/i;
const DOM_BUILDING = /\b(?:createElement|innerHTML|insertAdjacentHTML|appendChild|fetch\s*\(|XMLHttpRequest|ReactDOM|createRoot|hydrate|new Vue|createApp)\b/;

/** Scripts that build content: inline code that writes the DOM or fetches data, or a bundle. */
function builtByScripts(html: string): boolean {
  const tags = html.match(SCRIPT);
  if (!tags) return false;
  if (tags.some((t) => /\bsrc\s*=/.test(t))) return true;
  return DOM_BUILDING.test(html);
}

const MOUNT = /<(?:div|main)\b[^>]*\bid\s*=\s*["']?(?:app|root|__next|__nuxt|svelte)["']?[^>]*>\s*<\/(?:div|main)>/i;
const NOSCRIPT_JS = /<noscript\b[^>]*>[^<]*javascript/i;

/** An empty shell the scripts fill: a bare mount point or a "please enable JavaScript" note. */
function looksLikeAppShell(html: string): boolean {
  return HAS_SCRIPT.test(html) && (MOUNT.test(html) || NOSCRIPT_JS.test(html));
}
