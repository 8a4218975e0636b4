/**
 * Crawler-trap heuristics for newly discovered URLs. A URL caught here is recorded as skipped
 * with the reason (so users see why), unlike out-of-scope links, which are simply not followed.
 */
import type { TrapSpec } from "../spec/types.js";

const VARIANT_MAP_CAP = 1_000_000;

export class TrapDetector {
  /** Distinct query strings seen per URL without its query (each call is a new URL). */
  private readonly variants = new Map<string, number>();

  constructor(
    private readonly traps: TrapSpec | null,
    private readonly maxUrlLength: number,
  ) {}

  /** null if the URL looks fine, else why it is skipped. `url` is canonical and new to the job. */
  check(url: string): string | null {
    if (url.length > this.maxUrlLength) return `URL longer than ${this.maxUrlLength} characters (scope.maxUrlLength)`;
    const t = this.traps;
    if (t === null) return null;
    const pathStart = url.indexOf("/", url.indexOf("//") + 2);
    if (pathStart < 0) return null;
    const q = url.indexOf("?", pathStart);
    const path = q < 0 ? url.slice(pathStart) : url.slice(pathStart, q);
    const repeated = repeatedSegment(path, t.repeatedSegments);
    if (repeated !== null) return `trap: path segment ${JSON.stringify(repeated)} repeated ${t.repeatedSegments} or more times (scope.traps.repeatedSegments)`;
    if (q < 0) return null;
    const params = countParams(url, q + 1);
    if (params > t.maxQueryParams) return `trap: ${params} query parameters, more than ${t.maxQueryParams} (scope.traps.maxQueryParams)`;
    const base = url.slice(0, q);
    const n = (this.variants.get(base) ?? 0) + 1;
    if (this.variants.size >= VARIANT_MAP_CAP) this.variants.clear();
    this.variants.set(base, n);
    if (n > t.maxQueryVariants) return `trap: more than ${t.maxQueryVariants} query variants of ${base} (scope.traps.maxQueryVariants)`;
    return null;
  }
}

function repeatedSegment(path: string, limit: number): string | null {
  // Fast exit: too few segments to repeat.
  let slashes = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) slashes++;
  if (slashes < limit) return null;
  const counts = new Map<string, number>();
  for (const seg of path.split("/")) {
    if (seg === "") continue;
    const c = (counts.get(seg) ?? 0) + 1;
    if (c >= limit) return seg;
    counts.set(seg, c);
  }
  return null;
}

function countParams(url: string, from: number): number {
  let n = 1;
  for (let i = from; i < url.length; i++) if (url.charCodeAt(i) === 38) n++;
  return n;
}
