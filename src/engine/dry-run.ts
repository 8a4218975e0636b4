/** One page through fetch + extract + scope, storing nothing: what `gleaner check` shows. */
import { compileExtractor, matchUrlGlob } from "../extract/index.js";
import { createHttpFetcher, SessionPool } from "../fetch/index.js";
import { createBrowserFetcher, type BrowserFetcher } from "../fetch/browser/index.js";
import { canonicalize, compileScope, TrapDetector } from "../frontier/index.js";
import { HostScheduler } from "../politeness/index.js";
import { GleanerError } from "../shared/errors.js";
import { RecentSet } from "../shared/recent-set.js";
import type { Spec } from "../spec/types.js";
import { FetchRouter } from "./fetch-router.js";
import { fetchForPage } from "./page-fetch.js";
import { extractPage } from "./page-processor.js";

export interface DryRunResult {
  url: string;
  finalUrl: string;
  status: number;
  contentType: string;
  redirects: number;
  /** Which fetcher produced the page (auto mode may render it in the browser). */
  fetcher: "http" | "browser";
  items: { type: string; data: Record<string, unknown> }[];
  follow: string[];
  outOfScope: { url: string; reason: string }[];
  /** Item types of the spec that matched nothing on this page. */
  emptyTypes: string[];
}

export async function dryRun(spec: Spec, url = spec.start[0]!): Promise<DryRunResult> {
  const http = createHttpFetcher({ connections: 1 });
  let browser: BrowserFetcher | undefined;
  const router = new FetchRouter(spec.fetch);
  const deps = {
    extractor: compileExtractor(spec.extract, spec.follow, { matchUrl: matchUrlGlob, probes: router.probes }),
    scope: compileScope(spec.scope),
    traps: new TrapDetector(spec.scope.traps, spec.scope.maxUrlLength),
    maxDepth: spec.scope.maxDepth,
    hooks: {},
    seen: new RecentSet(10_000),
    canonical: new Map<string, string | null>(),
    knownFields: new Set<string>(),
    pool: null,
  };
  const canonical = canonicalize(url);
  if (canonical === null) throw new GleanerError("GLEANER_ERR_CHECK", `${url} is not an http(s) URL`, { action: "stop" });
  try {
    const b = spec.fetch.browser;
    const got = await fetchForPage(
      { id: 0, url: canonical, host: new URL(canonical).host, depth: 0, priority: 0, failures: 0 },
      {
        spec,
        jobId: 0,
        http,
        browser: () => (browser ??= createBrowserFetcher({ maxPages: 1, recycleAfter: b.recycleAfter, memoryCeilingMB: b.memoryCeilingMB, blockResources: b.block })),
        router,
        sessions: new SessionPool(1, spec.sessions.retireAfter),
        sched: new HostScheduler({ ratePerSecond: Infinity, concurrency: 1, jitterMs: [0, 0] }, 1),
        deps,
        paceHop: async () => {},
      },
    );
    const page = got.page;
    const result: DryRunResult = { url, finalUrl: page.finalUrl, status: page.status, contentType: page.contentType, redirects: page.redirects.length, fetcher: got.fetcher, items: [], follow: [], outOfScope: [], emptyTypes: [] };
    if (!page.isHtml || page.text === null) return result;
    const r = got.extracted ?? (await extractPage(page, deps, 1));
    if (r.warning) throw new GleanerError("GLEANER_ERR_CHECK", r.warning.message);
    result.items = r.items;
    const seen = new Set<string>();
    for (const l of r.links) {
      const c = canonicalize(l.url, r.base);
      if (c === null || seen.has(c)) continue;
      seen.add(c);
      const why = deps.scope(c) ?? deps.traps.check(c);
      if (why === null) result.follow.push(c);
      else result.outOfScope.push({ url: c, reason: why });
    }
    const found = new Set(r.items.map((i) => i.type));
    result.emptyTypes = spec.extract.map((i) => i.type).filter((t) => !found.has(t));
    return result;
  } catch (err) {
    if (err instanceof GleanerError) throw err;
    throw new GleanerError("GLEANER_ERR_CHECK", `dry run of ${url} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    await http.close();
    await browser?.close();
  }
}
