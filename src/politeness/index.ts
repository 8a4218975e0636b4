export { HostScheduler, type HostPolicy } from "./host-scheduler.js";
