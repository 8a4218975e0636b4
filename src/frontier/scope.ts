/** Scope rules: which canonical URLs a job may fetch, and why a URL is out of scope. */
import { matchUrlGlob } from "../extract/index.js";
import type { ScopeSpec } from "../spec/types.js";

export interface ScopeCheck {
  /** null when the URL is in scope, else a short reason ("domain", "exclude", ...). */
  (canonicalUrl: string): string | null;
}

export function compileScope(scope: ScopeSpec): ScopeCheck {
  const domains = scope.domains.map((d) => d.toLowerCase());
  const { include, exclude } = scope;
  return (url) => {
    const u = new URL(url);
    const host = u.hostname;
    if (!domains.some((d) => host === d || host.endsWith("." + d))) return "domain";
    if (include.length > 0 && !include.some((g) => matchUrlGlob(g, url))) return "include";
    if (exclude.some((g) => matchUrlGlob(g, url))) return "exclude";
    return null;
  };
}
