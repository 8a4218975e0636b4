/**
 * Extraction worker (a worker thread): compiles the spec's extractor and scope once, then turns
 * each page's HTML into a PreparedExtract. Parsing is most of a page's CPU; here it runs on
 * another core while the main thread fetches and commits.
 */
import { parentPort, workerData } from "node:worker_threads";
import { compileExtractor, matchUrlGlob } from "../../extract/index.js";
import { compileScope } from "../../frontier/index.js";
import { errorMessage } from "../../shared/errors.js";
import { ExtractPreparer, NewLinks, scopedResolver } from "./prepare.js";
import type { MaintenanceReply, WorkerInit, WorkerInitMessage, WorkerMaintenance, WorkerReply, WorkerTask } from "./protocol.js";

/** Loaded on first use: most crawls' workers never open the store (library users with a store of their own, tests). */
let walCheckpoint: typeof import("../../store/sqlite/wal-checkpoint.js") | null = null;

async function maintain(m: WorkerMaintenance): Promise<MaintenanceReply> {
  try {
    walCheckpoint ??= await import("../../store/sqlite/wal-checkpoint.js");
    return { maintenance: m.maintenance, ok: true, result: walCheckpoint.checkpointWal(m.file) };
  } catch (err) {
    return { maintenance: m.maintenance, ok: false, message: errorMessage(err) };
  }
}

function start(init: WorkerInit): void {
  const resolveLink = scopedResolver(compileScope(init.scope));
  const preparer = new ExtractPreparer(
    compileExtractor(init.items, init.follow, { matchUrl: matchUrlGlob, probes: init.probes, resolveLink }),
    new NewLinks(init.maxDepth),
  );
  parentPort!.postMessage({ ready: true } satisfies WorkerReply);
  parentPort!.on("message", (task: WorkerTask | WorkerMaintenance) => {
    if ("maintenance" in task) return void maintain(task).then((r) => parentPort!.postMessage(r satisfies WorkerReply));
    let reply: WorkerReply;
    try {
      reply = { id: task.id, ok: true, result: preparer.prepare(task.html, task.url, task.linkDepth, task.newLinksOnly, task.utf8Bytes) };
    } catch (err) {
      reply = { id: task.id, ok: false, code: (err as { code?: string }).code ?? "GLEANER_ERR_EXTRACT", message: errorMessage(err) };
    }
    parentPort!.postMessage(reply);
  });
}

// Started by a pool: the spec comes as workerData. Started as a spare: it comes as the first message.
const init = workerData as WorkerInit | null;
if (init) start(init);
else parentPort!.once("message", (m: WorkerInitMessage) => start(m.init));
