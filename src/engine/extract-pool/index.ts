export { EXTRACT_LOST, ExtractPool, type ExtractPoolOptions } from "./pool.js";
export { ExtractPreparer, NewLinks, scopedResolver, type PreparedExtract } from "./prepare.js";
export type { WorkerInit } from "./protocol.js";
export { defaultExtractWorkers, extractWorkersFromArgs, spareWorkers, startSpareWorkers } from "./spare-workers.js";
