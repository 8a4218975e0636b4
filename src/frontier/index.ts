export { canonicalize, hostOf } from "./canonicalize.js";
export { compileScope, MAX_URL_LENGTH, type ScopeCheck } from "./scope.js";
