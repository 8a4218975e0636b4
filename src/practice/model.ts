/**
 * The site's data, generated once from (pages, seed): authors, quotes, tags, jobs and
 * products, plus the page counts that make the total land on `pages`. Prose that only
 * appears on rendered pages (bios, job descriptions) is generated at render time from
 * per-entity sub-seeds, so the model stays small even for 100,000-page sites.
 */
import { Rng } from "./random.js";
import { phoneNumber, quoteSentence, randomDate, slugify, type SimpleDate } from "./text.js";
import {
  CITIES, COMPANY_PREFIXES, COMPANY_SUFFIXES, FIRST_NAMES, JOB_LEVELS, JOB_TITLES,
  LAST_NAMES, OCCUPATIONS, PRODUCT_MATERIALS, PRODUCT_NOUNS, TAGS,
} from "./words.js";

export const QUOTES_PER_PAGE = 10;
export const JOBS_PER_PAGE = 20;
export const PRODUCT_ROWS = 50;
/** `/links/target?a=N&b=M` pages. */
export const LINK_TARGETS = 5;
/**
 * Pages owned by no scaling section: "/", "/redirect/end", "/broken", "/latin1",
 * "/latin1-meta", "/bom", "/base/", "/links", "/table" and the link targets.
 * A new section that adds fixed pages must add them here (the tests check the total).
 */
export const FIXED_PAGES = 9 + LINK_TARGETS;
/** Tag pages list at most this many listing pages. */
export const TAG_PAGE_LINKS = 20;

export interface Author {
  name: string;
  slug: string;
  born: SimpleDate;
  location: string;
  email: string;
  phone: string;
  occupation: string;
}

export interface Quote {
  /** Includes the curly quotes, exactly as `span.text` shows it. */
  text: string;
  author: number;
  tags: number[];
}

export interface Job {
  id: number;
  title: string;
  company: string;
  location: string;
  salary: number;
  posted: SimpleDate;
  email: string;
  phone: string;
}

export interface Product {
  name: string;
  /** As shown: "12.50". */
  price: string;
  stock: number;
  sku: string;
}

export interface SiteModel {
  seed: number;
  targetPages: number;
  tags: string[];
  /** Ten most used tags (indexes into `tags`), for the sidebar. */
  topTags: number[];
  /** Per tag: listing page numbers that hold a quote with it (at most TAG_PAGE_LINKS). */
  tagPages: number[][];
  authors: Author[];
  quotes: Quote[];
  quotePages: number;
  jobs: Job[];
  jobPages: number;
  products: Product[];
}

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));

export function buildModel(opts: { pages?: number; seed?: number } = {}): SiteModel {
  const target = Math.max(1, Math.floor(opts.pages ?? 200));
  const seed = (opts.seed ?? 1) >>> 0;

  // Budget: fixed pages, tags and jobs first; quote listings and authors absorb the rest.
  const tagCount = clamp(Math.round(target / 10), 6, TAGS.length);
  const jobCount = clamp(Math.round(target / 5), 25, 200);
  const jobPages = Math.ceil(jobCount / JOBS_PER_PAGE);
  const rest = target - FIXED_PAGES - tagCount - jobPages - jobCount;
  const quotePages = Math.max(2, Math.ceil(rest / 2));
  const authorCount = Math.max(1, rest - quotePages);

  const tags = TAGS.slice(0, tagCount);
  const authors = makeAuthors(new Rng(seed ^ 0xa0d1), authorCount);
  const quotes = makeQuotes(new Rng(seed ^ 0x9e37), quotePages * QUOTES_PER_PAGE, authorCount, tagCount);
  const { topTags, tagPages } = indexTags(quotes, tagCount);
  return {
    seed,
    targetPages: target,
    tags,
    topTags,
    tagPages,
    authors,
    quotes,
    quotePages,
    jobs: makeJobs(new Rng(seed ^ 0x70b5), jobCount),
    jobPages,
    products: makeProducts(new Rng(seed ^ 0x5a1e)),
  };
}

function makeAuthors(r: Rng, count: number): Author[] {
  const seen = new Set<string>();
  const out: Author[] = [];
  while (out.length < count) {
    let name = `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`;
    // Past ~half of the first x last combinations, middle initials keep names unique.
    for (let tries = 0; seen.has(name); tries++) {
      const middle = String.fromCharCode(65 + r.int(0, 25));
      name = `${r.pick(FIRST_NAMES)} ${middle}. ${r.pick(LAST_NAMES)}`;
      if (tries > 1000) name = `${name} ${out.length}`;
    }
    seen.add(name);
    const slug = slugify(name);
    out.push({
      name,
      slug,
      born: randomDate(r, 1800, 1990),
      location: r.pick(CITIES),
      email: `${slug.replace(/-/g, ".")}@letters.example`,
      phone: phoneNumber(r),
      occupation: r.pick(OCCUPATIONS),
    });
  }
  return out;
}

function makeQuotes(r: Rng, count: number, authorCount: number, tagCount: number): Quote[] {
  // Every author gets at least one quote (so every author page is linked); the rest
  // go to a few prolific authors, as on real quote sites.
  const owners: number[] = [];
  for (let i = 0; i < authorCount && i < count; i++) owners.push(i);
  while (owners.length < count) owners.push(r.skewed(authorCount, 2.5));
  r.shuffle(owners);

  const seen = new Set<string>();
  const quotes: Quote[] = [];
  for (let i = 0; i < count; i++) {
    let text = `“${quoteSentence(r)}”`;
    while (seen.has(text)) text = `“${quoteSentence(r)}”`;
    seen.add(text);
    // The first quotes carry one tag each in order, so every tag page is linked.
    const tagSet = new Set<number>(i < tagCount ? [i] : []);
    const want = r.int(1, 4);
    while (tagSet.size < want) tagSet.add(r.skewed(tagCount, 1.6));
    quotes.push({ text, author: owners[i]!, tags: [...tagSet] });
  }
  return quotes;
}

function indexTags(quotes: Quote[], tagCount: number): { topTags: number[]; tagPages: number[][] } {
  const uses = new Array<number>(tagCount).fill(0);
  const tagPages: number[][] = Array.from({ length: tagCount }, () => []);
  quotes.forEach((q, i) => {
    const page = Math.floor(i / QUOTES_PER_PAGE) + 1;
    for (const t of q.tags) {
      uses[t]!++;
      const pages = tagPages[t]!;
      if (pages.length < TAG_PAGE_LINKS && pages[pages.length - 1] !== page) pages.push(page);
    }
  });
  const topTags = uses
    .map((u, t) => [u, t] as const)
    .sort((x, y) => y[0] - x[0] || x[1] - y[1])
    .slice(0, 10)
    .map(([, t]) => t);
  return { topTags, tagPages };
}

function makeJobs(r: Rng, count: number): Job[] {
  const jobs: Job[] = [];
  for (let i = 0; i < count; i++) {
    const id = 1001 + i;
    const company = `${r.pick(COMPANY_PREFIXES)}${r.pick(COMPANY_SUFFIXES)}`;
    const level = r.pick(JOB_LEVELS);
    const title = (level ? level + " " : "") + r.pick(JOB_TITLES);
    jobs.push({
      id,
      title,
      company,
      location: r.chance(0.25) ? "Remote" : r.pick(CITIES),
      salary: r.int(40, 190) * 1000 + (r.chance(0.3) ? 500 : 0),
      posted: randomDate(r, 2024, 2024),
      email: `jobs${id}@${company.toLowerCase()}.example`,
      phone: phoneNumber(r),
    });
  }
  return jobs;
}

function makeProducts(r: Rng): Product[] {
  const names: string[] = [];
  for (const m of PRODUCT_MATERIALS) for (const n of PRODUCT_NOUNS) names.push(`${m} ${n}`);
  r.shuffle(names);
  return names.slice(0, PRODUCT_ROWS).map((name, i) => ({
    name,
    price: (r.int(199, 19999) / 100).toFixed(2),
    stock: r.int(0, 500),
    sku: `SKU-${String(10000 + i * 97 + r.int(0, 96)).padStart(5, "0")}`,
  }));
}

/** Listing page (1-based) that shows quote `index`. */
export function quotePageOf(index: number): number {
  return Math.floor(index / QUOTES_PER_PAGE) + 1;
}

