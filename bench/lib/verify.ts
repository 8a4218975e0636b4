/**
 * Count checks against the practice site's manifest, the same for every tool.
 *   pages: distinct HTML pages answering 200 that the manifest lists, among the URLs a tool
 *          fetched (compared as canonical paths: path + sorted query, no fragment);
 *   items: per type, how many a tool stored vs. manifest.items; plus how many of them equal a
 *          manifest item field for field ("exact"), which shows extraction differences that
 *          counts alone would hide (e.g. a charset a tool did not honour).
 */
import type { SiteManifest } from "../../src/practice/index.js";

export const ITEM_TYPES = ["quote", "author", "job", "product"] as const;

/** Path plus sorted query of an absolute URL, or null when it is not one. */
export function canonicalPath(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  u.searchParams.sort();
  const q = u.searchParams.toString();
  return q ? `${u.pathname}?${q}` : u.pathname;
}

export interface PageCheck {
  expected: number;
  /** Distinct manifest pages the tool fetched (200, HTML). */
  found: number;
  /** 200 HTML responses in all, duplicates included (when the tool says). */
  fetches: number | null;
  /** Distinct 200 HTML paths fetched that the manifest does not list. */
  extra: number;
  /** Up to 10 manifest pages the tool never fetched. */
  missing: string[];
  ok: boolean;
}

export function checkPages(manifest: SiteManifest, fetchedUrls: Iterable<string>, fetches: number | null): PageCheck {
  const expected = new Set(manifest.pages);
  const seen = new Set<string>();
  let extra = 0;
  for (const url of fetchedUrls) {
    const p = canonicalPath(url);
    if (p === null || seen.has(p)) continue;
    seen.add(p);
    if (!expected.has(p)) extra++;
  }
  const missing: string[] = [];
  let found = 0;
  for (const p of expected) {
    if (seen.has(p)) found++;
    else if (missing.length < 10) missing.push(p);
  }
  return { expected: expected.size, found, fetches, extra, missing, ok: found === expected.size };
}

export interface ItemCheck {
  expected: Record<string, number>;
  found: Record<string, number>;
  /** Items equal to a manifest item of their type, field for field (each manifest item used once). */
  exact: number;
  expectedTotal: number;
  foundTotal: number;
  /** Up to 3 items that matched no manifest item, for the report. */
  samplesOff: unknown[];
  ok: boolean;
}

/** JSON with object keys sorted, so field order does not matter. */
function stableKey(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableKey).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableKey(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** Feeds items in one at a time (datasets can be large), then checks them against the manifest. */
export class ItemTally {
  private readonly found = new Map<string, number>();
  private readonly remaining = new Map<string, number>();
  private exact = 0;
  private readonly off: unknown[] = [];

  constructor(private readonly manifest: SiteManifest) {
    for (const type of ITEM_TYPES) {
      for (const item of manifest.items[type]) {
        const k = `${type}\u0000${stableKey(item)}`;
        this.remaining.set(k, (this.remaining.get(k) ?? 0) + 1);
      }
    }
  }

  add(type: string, fields: Record<string, unknown>): void {
    this.found.set(type, (this.found.get(type) ?? 0) + 1);
    const k = `${type}\u0000${stableKey(fields)}`;
    const left = this.remaining.get(k) ?? 0;
    if (left > 0) {
      this.remaining.set(k, left - 1);
      this.exact++;
    } else if (this.off.length < 3) {
      this.off.push({ _type: type, ...fields });
    }
  }

  result(): ItemCheck {
    const expected: Record<string, number> = {};
    const found: Record<string, number> = {};
    let expectedTotal = 0;
    let foundTotal = 0;
    let ok = true;
    for (const type of ITEM_TYPES) {
      expected[type] = this.manifest.items[type].length;
      found[type] = this.found.get(type) ?? 0;
      expectedTotal += expected[type]!;
      if (found[type] !== expected[type]) ok = false;
    }
    for (const [type, n] of this.found) {
      foundTotal += n;
      if (!(ITEM_TYPES as readonly string[]).includes(type)) {
        found[type] = n;
        ok = false;
      }
    }
    return { expected, found, exact: this.exact, expectedTotal, foundTotal, samplesOff: this.off, ok };
  }
}
