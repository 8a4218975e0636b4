/**
 * robots.txt (RFC 9309): a pure parser/matcher and a per-origin cache.
 *
 *   const robots = new RobotsCache({ userAgent, fetch });
 *   const rules = robots.peek(url) ?? (await robots.rulesFor(url));
 *   if (!rules.isAllowed(pathAndQuery)) { const m = rules.match(pathAndQuery); ... }
 */
export {
  parseRobots,
  productToken,
  ALLOW_ALL,
  DISALLOW_ALL,
  MAX_ROBOTS_BYTES,
  MAX_CRAWL_DELAY_MS,
  type RobotsRules,
  type RobotsMatch,
} from "./parse.js";
export {
  RobotsCache,
  DEFAULT_ROBOTS_TTL_MS,
  DEFAULT_ROBOTS_RETRY_MS,
  type RobotsCacheOptions,
  type RobotsFetchResult,
} from "./cache.js";
export { normalizePath } from "./normalize.js";
