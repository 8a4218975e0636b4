export type * from "./types.js";
export { FIELD_TYPES, BUILTIN_REGEXES } from "./types.js";
export { loadSpecFile, readSpecFile, parseSpecText, validateSpec, specSource } from "./load.js";
export { specJsonSchema, specInputSchema, DEFAULTS, DEFAULT_USER_AGENT, type SpecInput } from "./schema.js";
export { parseDuration, parseRate, parseSize } from "./units.js";
