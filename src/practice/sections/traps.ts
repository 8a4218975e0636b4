/**
 * `trap` mode: three crawler traps, generated per request and never cached or listed
 * as pages (there is no end to them):
 * - `/calendar/YYYY/MM/`: each month links the previous and the next month, forever;
 * - `/trap/a/`, `/trap/a/a/`, ...: each page links `a/`, one segment deeper;
 * - `/search?q=...&page=...&sort=...&filter=...`: each result page links the next page,
 *   the other sort orders and narrower filters, so parameter combinations never run out.
 * The manifest names the entrances (linked from `/`) and the path prefixes.
 */
import { esc, shell } from "../html.js";
import { subSeed } from "../random.js";
import { htmlReply } from "../reply.js";
import type { PracticeRequest, Reply, Section, SiteManifest } from "../types.js";
import { MONTHS } from "../words.js";
import type { SectionContext } from "./context.js";
import { modesOf } from "./mode-pages.js";

const CALENDAR = /^\/calendar\/(\d{4,6})\/(0[1-9]|1[0-2])\/$/;
const REPEATED = /^\/trap\/(?:a\/)+$/;
const POSITIVE = /^[1-9][0-9]{0,8}$/;
const SORTS = ["relevance", "newest", "oldest", "author"];
const RESULTS_PER_PAGE = 10;

const HOME_LINKS = [
  { href: "/calendar/2024/01/", label: "Calendar (endless months)" },
  { href: "/trap/a/", label: "Repeating path segments" },
  { href: "/search?q=quotes&page=1&sort=relevance", label: "Search (endless parameters)" },
];
/** The same entrances, canonical (sorted query). */
const ENTRANCES = ["/calendar/2024/01/", "/trap/a/", "/search?page=1&q=quotes&sort=relevance"];
const PREFIXES = ["/calendar/", "/trap/", "/search"];

const monthPath = (y: number, m: number): string => `/calendar/${String(y).padStart(4, "0")}/${String(m).padStart(2, "0")}/`;

const MONTH_OFFSETS = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];

/** Day of week (0 = Sunday) for any year >= 1, proleptic Gregorian (Sakamoto); Date stops at 275760. */
function weekday(y: number, m: number, d: number): number {
  if (m < 3) y -= 1;
  return (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + MONTH_OFFSETS[m - 1]! + d) % 7;
}

function daysIn(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function calendarPage(y: number, m: number): Reply {
  const first = weekday(y, m, 1);
  let cells = "<tr>" + "<td></td>".repeat(first);
  for (let d = 1, col = first; d <= daysIn(y, m); d++, col++) {
    if (col === 7) {
      cells += "</tr>\n<tr>";
      col = 0;
    }
    cells += `<td>${d}</td>`;
  }
  cells += "</tr>";
  const prev = y > 1 || m > 1 ? `<a class="prev" href="${m === 1 ? monthPath(y - 1, 12) : monthPath(y, m - 1)}">Previous month</a> ` : "";
  const next = `<a class="next" href="${m === 12 ? monthPath(y + 1, 1) : monthPath(y, m + 1)}">Next month</a>`;
  return htmlReply(shell({
    title: `${MONTHS[m - 1]} ${y}`,
    body: `<div class="header-box"><h1>${MONTHS[m - 1]} ${y}</h1><p>No events this month.</p></div>
<table class="calendar"><thead><tr><th>Sun</th><th>Mon</th><th>Tue</th><th>Wed</th><th>Thu</th><th>Fri</th><th>Sat</th></tr></thead>
<tbody>\n${cells}\n</tbody></table>
<p class="calendar-nav">${prev}${next}</p>`,
  }));
}

function repeatedPage(path: string): Reply {
  const depth = (path.length - "/trap/".length) / 2;
  return htmlReply(shell({
    title: `Nested page, depth ${depth}`,
    body: `<div class="header-box"><h1>Depth ${depth}</h1></div>
<p>There is always <a href="a/">one more level</a>. <a href="/trap/a/">Back to the top</a>.</p>`,
  }));
}

export function trapsSection(ctx: SectionContext): Section {
  const { model } = ctx;

  const searchPage = (query: string): Reply | undefined => {
    const params = new URLSearchParams(query);
    const q = params.get("q") ?? "";
    const pageParam = params.get("page") ?? "1";
    const sort = params.get("sort") ?? "relevance";
    const filterParam = params.get("filter") ?? "";
    if (q === "" || q.length > 200 || !POSITIVE.test(pageParam) || !SORTS.includes(sort) || filterParam.length > 2000) return undefined;
    const page = Number(pageParam);
    const filters = filterParam === "" ? [] : filterParam.split(",");
    const href = (p: number, s: string, f: readonly string[]): string => {
      const out = new URLSearchParams({ q, page: String(p), sort: s });
      if (f.length > 0) out.set("filter", f.join(","));
      return `/search?${out.toString()}`;
    };

    const h = subSeed(model.seed, `${q}|${page}|${sort}|${filterParam}`);
    let results = "";
    for (let k = 0; k < RESULTS_PER_PAGE; k++) {
      results += `\n    <li class="result">${esc(model.quotes[(h + k * 7919) % model.quotes.length]!.text)}</li>`;
    }
    let links = `\n    <li><a class="next" href="${esc(href(page + 1, sort, filters))}">Next page</a></li>`;
    for (const s of SORTS) if (s !== sort) links += `\n    <li><a href="${esc(href(page, s, filters))}">Sort by ${s}</a></li>`;
    let added = 0;
    for (let i = 0; i < model.tags.length && added < 3; i++) {
      const tag = model.tags[(h + i) % model.tags.length]!;
      if (filters.includes(tag)) continue;
      links += `\n    <li><a href="${esc(href(page, sort, [...filters, tag]))}">Only ${esc(tag)}</a></li>`;
      added++;
    }
    return htmlReply(shell({
      title: `Search: ${q}`,
      body: `<div class="header-box"><h1>Results for “${esc(q)}”</h1>
<p>Page ${page}, sorted by ${sort}${filters.length ? `, filtered by ${esc(filters.join(", "))}` : ""}.</p></div>
<ol class="results">${results}
</ol>
<ul class="search-links">${links}
</ul>`,
    }));
  };

  return {
    name: "trap",
    homeLinks: HOME_LINKS,
    handle(req: PracticeRequest): Reply | undefined {
      if (req.path === "/search") return searchPage(req.query);
      if (req.path.startsWith("/calendar/")) {
        const m = CALENDAR.exec(req.path);
        const year = m ? Number(m[1]) : 0;
        return year >= 1 ? calendarPage(year, Number(m![2])) : undefined;
      }
      if (req.path.startsWith("/trap/")) return REPEATED.test(req.path) ? repeatedPage(req.path) : undefined;
      return undefined;
    },
    contribute(manifest: SiteManifest): void {
      modesOf(manifest).trap = { entrances: [...ENTRANCES], prefixes: [...PREFIXES] };
    },
  };
}
