/** Scope rules: which canonical URLs a job may fetch, and why a URL is out of scope. */
import { matchUrlGlob } from "../extract/index.js";
import type { ScopeSpec } from "../spec/types.js";
import { hostOf } from "./canonicalize.js";

/** Host without port, from a canonical URL (no URL parse on this hot path). */
function hostnameOf(canonicalUrl: string): string {
  const host = hostOf(canonicalUrl);
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1); // IPv6 literal
  const colon = host.lastIndexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}

export interface ScopeCheck {
  /** null when the URL is in scope, else a short reason ("domain", "exclude", ...). */
  (canonicalUrl: string): string | null;
}

export function compileScope(scope: ScopeSpec): ScopeCheck {
  const domains = scope.domains.map((d) => d.toLowerCase());
  const { include, exclude } = scope;
  return (url) => {
    const host = hostnameOf(url);
    if (!domains.some((d) => host === d || host.endsWith("." + d))) return "domain";
    if (include.length > 0 && !include.some((g) => matchUrlGlob(g, url))) return "include";
    if (exclude.some((g) => matchUrlGlob(g, url))) return "exclude";
    return null;
  };
}
