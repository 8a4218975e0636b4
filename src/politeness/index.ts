export { HostScheduler, type HostPolicy } from "./host-scheduler.js";
export { RobotsCache, type RobotsRules } from "./robots/index.js";
