/** One page through fetch + extract + scope, storing nothing: what `gleaner check` shows. */
import { compileExtractor, matchUrlGlob } from "../extract/index.js";
import { createHttpFetcher } from "../fetch/index.js";
import { canonicalize, compileScope } from "../frontier/index.js";
import { GleanerError } from "../shared/errors.js";
import type { Spec } from "../spec/types.js";

export interface DryRunResult {
  url: string;
  finalUrl: string;
  status: number;
  contentType: string;
  redirects: number;
  items: { type: string; data: Record<string, unknown> }[];
  follow: string[];
  outOfScope: { url: string; reason: string }[];
  /** Item types of the spec that matched nothing on this page. */
  emptyTypes: string[];
}

export async function dryRun(spec: Spec, url = spec.start[0]!): Promise<DryRunResult> {
  const fetcher = createHttpFetcher({ connections: 1 });
  try {
    const page = await fetcher.fetch({
      url,
      headers: spec.fetch.headers,
      userAgent: spec.fetch.userAgent,
      timeoutMs: spec.fetch.timeoutMs,
      maxRedirects: spec.fetch.maxRedirects,
      maxBodyBytes: spec.fetch.maxBodyBytes,
    });
    const result: DryRunResult = { url, finalUrl: page.finalUrl, status: page.status, contentType: page.contentType, redirects: page.redirects.length, items: [], follow: [], outOfScope: [], emptyTypes: [] };
    if (!page.isHtml || page.text === null) return result;
    const r = compileExtractor(spec.extract, spec.follow, { matchUrl: matchUrlGlob }).extract(page.text, page.finalUrl);
    result.items = r.items;
    const scope = compileScope(spec.scope);
    const seen = new Set<string>();
    for (const l of r.links) {
      const c = canonicalize(l.url, r.baseUrl);
      if (c === null || seen.has(c)) continue;
      seen.add(c);
      const why = scope(c);
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
    await fetcher.close();
  }
}
