/**
 * Jobs board: listing `/jobs/?page=N` (20 `article.job` per page, `a.next`) and detail
 * pages `/jobs/view/<id>` (a different path shape, so a `/jobs/view/*` glob picks them).
 */
import { esc, shell } from "../html.js";
import { JOBS_PER_PAGE, type Job, type SiteModel } from "../model.js";
import { Rng } from "../random.js";
import { htmlReply } from "../reply.js";
import { isoDate, longDate } from "../text.js";
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import { JOB_PHRASES } from "../words.js";
import type { SectionContext } from "./context.js";

export const jobsPath = (n: number): string => `/jobs/?page=${n}`;
export const jobPath = (id: number): string => `/jobs/view/${id}`;
const DETAIL = /^\/jobs\/view\/([1-9][0-9]{0,8})$/;
const DESCRIPTION_CHARS = 6800;
const PAGE_QUERY = /^page=([1-9][0-9]{0,5})$/;

export function jobsSection(ctx: SectionContext): Section {
  const { model, cache } = ctx;
  const first = model.jobs[0]?.id ?? 0;

  return {
    name: "jobs",
    homeLinks: [{ href: jobsPath(1), label: "Jobs board" }],
    handle(req: PracticeRequest): Reply | undefined {
      if (req.path === "/jobs/") {
        // Only ?page=N (or nothing, which shows page 1) is a listing.
        const m = req.query === "" ? null : PAGE_QUERY.exec(req.query);
        const n = req.query === "" ? 1 : m ? Number(m[1]) : 0;
        if (n < 1 || n > model.jobPages) return undefined;
        return cache.get(jobsPath(n), () => htmlReply(renderListing(model, n)));
      }
      const m = DETAIL.exec(req.path);
      if (m === null) return undefined;
      const job = model.jobs[Number(m[1]) - first];
      if (job === undefined) return undefined;
      return cache.get(req.path, () => htmlReply(renderJob(model, job)));
    },
    contribute(manifest: SiteManifest): void {
      for (let n = 1; n <= model.jobPages; n++) manifest.pages.push(jobsPath(n));
      for (const j of model.jobs) {
        manifest.pages.push(jobPath(j.id));
        manifest.items.job.push({
          title: j.title, company: j.company, location: j.location,
          salary: j.salary, posted: isoDate(j.posted), email: j.email,
        });
      }
    },
    *warmPaths() {
      for (let n = 1; n <= model.jobPages; n++) yield jobsPath(n);
      for (const j of model.jobs) yield jobPath(j.id);
    },
  };
}

const money = (n: number): string => "$" + n.toLocaleString("en-US");

function renderListing(model: SiteModel, n: number): string {
  let rows = "";
  for (const j of model.jobs.slice((n - 1) * JOBS_PER_PAGE, n * JOBS_PER_PAGE)) {
    rows += `
    <article class="job" data-id="${j.id}">
        <h2 class="title"><a href="${jobPath(j.id)}">${esc(j.title)}</a></h2>
        <p class="meta"><span class="company">${esc(j.company)}</span> &middot; <span class="location">${esc(j.location)}</span></p>
        <p><span class="salary" data-value="${j.salary}">${money(j.salary)}</span> a year &middot; posted <time class="posted" datetime="${isoDate(j.posted)}">${longDate(j.posted)}</time></p>
        <p class="summary">Full time. Apply through the job page; we answer every application within two weeks.</p>
    </article>`;
  }
  const prev = n > 1 ? `<a class="prev" rel="prev" href="${jobsPath(n - 1)}">&larr; Newer jobs</a>` : "";
  const next = n < model.jobPages ? `<a class="next" rel="next" href="${jobsPath(n + 1)}">Older jobs &rarr;</a>` : "";
  const body = `<div class="header-box"><h1>Jobs board</h1><p>Page ${n} of ${model.jobPages} &middot; ${model.jobs.length} open positions</p></div>
<section class="jobs">${rows}
</section>
<nav class="pagination">${prev} ${next}</nav>`;
  return shell({ title: `Jobs - page ${n}`, body });
}

function renderJob(model: SiteModel, j: Job): string {
  const r = Rng.forEntity(model.seed, "job", j.id);
  // ~7 KB of description so detail pages weigh about as much as the other pages.
  const paragraphs: string[] = [];
  for (let chars = 0; chars < DESCRIPTION_CHARS;) {
    let p = `${j.company} is hiring a ${j.title}.`;
    for (let s = 0; s < 12; s++) p += " " + r.pick(JOB_PHRASES) + ".";
    paragraphs.push(p);
    chars += p.length;
  }
  paragraphs.splice(3, 0, `Questions about the role? Write to ${j.email} or call ${j.phone} between 9am and 5pm.`);
  const body = `<article class="job-detail" data-id="${j.id}">
    <h1 class="job-title">${esc(j.title)}</h1>
    <p class="meta"><span class="company">${esc(j.company)}</span> &middot; <span class="location">${esc(j.location)}</span></p>
    <p>Salary: <span class="salary" data-value="${j.salary}">${money(j.salary)}</span> a year &middot; posted <time class="posted" datetime="${isoDate(j.posted)}">${longDate(j.posted)}</time></p>
    <div class="description">${paragraphs.map((p) => `\n        <p>${esc(p)}</p>`).join("")}
    </div>
    <p><a href="${jobsPath(1)}">All jobs</a></p>
</article>`;
  return shell({ title: `${j.title} at ${j.company}`, body });
}
