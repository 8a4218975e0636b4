/**
 * Jobs API: submit a spec, list/inspect jobs, pause/resume/cancel, page through items,
 * stream exports, delete. Members see their own jobs; admins see every job.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { parse as parseYaml } from "yaml";
import { EXPORT_FORMATS, writeExport, type ExportFormat } from "../../export/index.js";
import { errorMessage } from "../../shared/errors.js";
import type { Logger } from "../../shared/log.js";
import { parseSpecText, validateSpec } from "../../spec/index.js";
import { SqliteStore, type JobRecord } from "../../store/index.js";
import type { Principal } from "../auth/index.js";
import { badRequest, conflict, HttpError, notFound } from "../http-error.js";
import type { JobOwners } from "../job-owners.js";
import type { JobRunner } from "../job-runner.js";
import { checkSpecTargets, type TargetPolicy } from "../ssrf.js";
import { principalOf } from "./auth-routes.js";

export interface JobRouteDeps {
  store: SqliteStore;
  owners: JobOwners;
  runner: JobRunner;
  policy: TargetPolicy;
  log: Logger;
}

const CONTENT_TYPES: Record<ExportFormat, string> = { csv: "text/csv; charset=utf-8", json: "application/json; charset=utf-8", jsonl: "application/x-ndjson; charset=utf-8" };

export function canSee(owners: JobOwners, p: Principal, jobId: number): boolean {
  return p.role === "admin" || owners.get(jobId) === p.userId;
}

export function registerJobRoutes(app: FastifyInstance, d: JobRouteDeps): void {
  const { store, owners, runner } = d;

  /** The job, if the caller may see it; 404 otherwise (existence is not revealed). */
  const jobOf = (req: FastifyRequest): JobRecord => {
    const p = principalOf(req);
    const id = Number((req.params as { id?: string }).id);
    if (!Number.isSafeInteger(id) || id < 1) throw badRequest("job id must be a positive whole number");
    const job = store.getJob(id);
    if (!job || !canSee(owners, p, id)) throw notFound(`job ${id}`);
    return job;
  };

  const jobJson = (job: JobRecord, withSpec = false) => ({
    id: job.id,
    name: job.name,
    state: job.state,
    error: job.error,
    owner: owners.get(job.id),
    createdAt: new Date(job.createdAt).toISOString(),
    startedAt: job.startedAt === null ? null : new Date(job.startedAt).toISOString(),
    finishedAt: job.finishedAt === null ? null : new Date(job.finishedAt).toISOString(),
    stats: store.stats(job.id),
    rate: runner.rate(job.id),
    ...(withSpec ? { spec: job.spec } : {}),
  });

  app.post("/api/jobs", async (req, reply) => {
    const p = principalOf(req);
    const b = req.body as { spec?: unknown; specText?: unknown } | undefined;
    let input: unknown;
    if (b && typeof b.specText === "string" && b.spec === undefined) {
      parseSpecText(b.specText, "specText"); // the CLI's errors, naming the path
      input = parseYaml(b.specText, { maxAliasCount: 100 });
    } else if (b && b.spec !== undefined && b.specText === undefined) {
      input = b.spec;
    } else {
      throw badRequest('give either { "spec": { ... } } or { "specText": "<yaml>" }');
    }
    const spec = validateSpec(input, "spec");
    const refused = checkSpecTargets(spec, d.policy);
    if (refused.length > 0) {
      throw new HttpError(400, "GLEANER_ERR_TARGET_REFUSED", refused.map((r) => `${r.path}: ${r.message}`).join("; "), { issues: refused });
    }
    runner.checkCapacity(p.userId);
    const job = store.createJob(spec.name, input);
    owners.set(job.id, p.userId);
    runner.start(job.id, p.userId);
    return reply.code(201).send({ job: jobJson(store.getJob(job.id)!) });
  });

  app.get("/api/jobs", async (req) => {
    const p = principalOf(req);
    const limit = intQuery(req, "limit", 100, 1, 1000);
    const jobs = p.role === "admin" ? store.listJobs(limit) : owners.list(p.userId, limit).map((id) => store.getJob(id)).filter((j): j is JobRecord => j !== null);
    return { jobs: jobs.map((j) => jobJson(j)) };
  });

  app.get("/api/jobs/:id", async (req) => ({ job: jobJson(jobOf(req), true) }));

  app.post("/api/jobs/:id/pause", async (req) => {
    const job = jobOf(req);
    await runner.pause(job.id);
    return { job: jobJson(store.getJob(job.id)!) };
  });

  app.post("/api/jobs/:id/resume", async (req) => {
    const p = principalOf(req);
    const job = jobOf(req);
    if (runner.isRunning(job.id)) throw conflict(`job ${job.id} is already running`);
    if (job.state === "done" || job.state === "cancelled") throw conflict(`job ${job.id} is ${job.state}; nothing to resume`);
    const owner = owners.get(job.id) ?? p.userId; // a CLI job resumed by an admin becomes theirs
    runner.checkCapacity(owner);
    owners.set(job.id, owner);
    runner.start(job.id, owner);
    return { job: jobJson(store.getJob(job.id)!) };
  });

  app.post("/api/jobs/:id/cancel", async (req) => {
    const job = jobOf(req);
    await runner.cancel(job.id);
    return { job: jobJson(store.getJob(job.id)!) };
  });

  app.delete("/api/jobs/:id", async (req, reply) => {
    const job = jobOf(req);
    if (runner.isRunning(job.id)) await runner.cancel(job.id);
    store.deleteJob(job.id);
    owners.remove(job.id);
    return reply.code(204).send();
  });

  app.get("/api/jobs/:id/items", async (req) => {
    const job = jobOf(req);
    const q = req.query as { type?: string };
    const limit = intQuery(req, "limit", 100, 1, 1000);
    const after = intQuery(req, "after", 0, 0, Number.MAX_SAFE_INTEGER);
    const rows = store.listItems(job.id, { limit, after, ...(q.type ? { type: q.type } : {}) });
    const items = rows.map((r) => ({ id: r.id, type: r.type, url: r.url, data: JSON.parse(r.json) as unknown }));
    return { items, next: rows.length === limit ? rows[rows.length - 1]!.id : null };
  });

  app.get("/api/jobs/:id/export", async (req, reply) => {
    const job = jobOf(req);
    const q = req.query as { format?: string; type?: string };
    const format = (q.format ?? "jsonl") as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) throw badRequest(`format must be one of ${EXPORT_FORMATS.join(", ")}`);
    // A separate connection: its long read never holds the crawl's connection (WAL lets both run).
    const reader = new SqliteStore(store.file);
    const type = q.type || undefined;
    const fields = format === "csv" ? reader.itemFields(job.id, type) : [];
    const filename = `${job.name.replace(/[^A-Za-z0-9._-]+/g, "_")}-${job.id}.${format}`;
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, { "content-type": CONTENT_TYPES[format], "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" });
    try {
      await writeExport(reader.iterateItems(job.id, type ? { type } : {}), { format, fields, out });
      out.end();
    } catch (err) {
      d.log.warn("export.aborted", { job: job.id, format, error: errorMessage(err) });
      out.destroy(); // the client sees a truncated response, not a silently short file
    } finally {
      reader.close();
    }
  });
}

function intQuery(req: FastifyRequest, name: string, dflt: number, min: number, max: number): number {
  const v = (req.query as Record<string, string | undefined>)[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw badRequest(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}
