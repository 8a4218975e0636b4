/**
 * The extraction stage's public surface. See extractor.ts for the per-page steps and
 * fields.ts for how a field's value is computed.
 */
export {
  compileExtractor,
  type ExtractedItem,
  type ExtractResult,
  type Extractor,
  type ExtractorOptions,
} from "./extractor.js";
export type { DiscoveredLink, LinkResolver } from "./links.js";
export { ExtractError } from "./errors.js";
export { validateSelector } from "./selectors.js";
export { validateRegex, BUILTIN_EXTRACTORS } from "./regex.js";
export { matchUrlGlob } from "./glob.js";
export { parseDate } from "./dates.js";
