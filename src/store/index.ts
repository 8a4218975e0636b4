export type * from "./types.js";
export { SqliteStore } from "./sqlite/sqlite-store.js";
export { openStore, DEFAULT_DB_FILE } from "./open-store.js";
