export { canonicalize, hostOf } from "./canonicalize.js";
export { compileScope, type ScopeCheck } from "./scope.js";
export { TrapDetector } from "./traps.js";
export { parseSitemap, sitemapText, MAX_LOCS_PER_SITEMAP, type SitemapDoc } from "./sitemaps.js";
