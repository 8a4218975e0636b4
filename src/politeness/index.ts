export { HostScheduler, type HostPolicy, type Outcome } from "./host-scheduler.js";
export { RobotsCache, type RobotsRules } from "./robots/index.js";
