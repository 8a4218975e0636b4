export { applyItemHook, type CrawlHooks, type HookItem, type PageContext } from "./hooks.js";
