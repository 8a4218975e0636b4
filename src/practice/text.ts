/**
 * Text generators: quotes, prose, dates, phone numbers and slugs, all driven by an Rng.
 */
import type { Rng } from "./random.js";
import { ADJECTIVES, ADVERBS, MONTHS, NOUNS, OCCUPATIONS, VERBS } from "./words.js";

/** Third person singular: "carry" -> "carries", "teach" -> "teaches". */
function thirdPerson(verb: string): string {
  if (/[^aeiou]y$/.test(verb)) return verb.slice(0, -1) + "ies";
  if (/(s|sh|ch|x|z)$/.test(verb)) return verb + "es";
  return verb + "s";
}
// Precomputed: quote generation runs ~50,000 times for a 10,000-page site.
const THIRD = new Map(VERBS.map((v) => [v, thirdPerson(v)]));
const third = (verb: string): string => THIRD.get(verb)!;

function article(word: string): string {
  const c = word.charCodeAt(0);
  return c === 97 || c === 101 || c === 105 || c === 111 || c === 117 ? "an" : "a";
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

type Template = (r: Rng) => string;

const n = (r: Rng): string => r.pick(NOUNS);
const a = (r: Rng): string => r.pick(ADJECTIVES);
const v = (r: Rng): string => r.pick(VERBS);
const adv = (r: Rng): string => r.pick(ADVERBS);

const SENTENCES: Template[] = [
  (r) => `The ${a(r)} ${n(r)} ${adv(r)} ${third(v(r))} the ${n(r)}.`,
  (r) => { const x = n(r); return `${cap(article(x))} ${x} without ${n(r)} is only ${withArticle(a(r))} ${n(r)}.`; },
  (r) => `We ${v(r)} what we ${v(r)}, and we ${v(r)} what we ${adv(r)} ${v(r)}.`,
  (r) => `Every ${n(r)} is ${withArticle(n(r))} that has not yet learned to ${v(r)} its ${n(r)}.`,
  (r) => `If you ${v(r)} the ${n(r)}, the ${n(r)} will ${v(r)} you.`,
  (r) => `${cap(adv(r))} ${v(r)} your ${n(r)}; it is the only ${n(r)} you will ever ${v(r)}.`,
  (r) => `There is no ${n(r)} so ${a(r)} that ${withArticle(a(r))} ${n(r)} cannot ${v(r)} it.`,
  (r) => `To ${v(r)} ${withArticle(n(r))} is to ${v(r)} ${withArticle(a(r))} ${n(r)}.`,
  (r) => `The ${n(r)} you ${v(r)} today is the ${n(r)} you ${v(r)} tomorrow.`,
  (r) => `Never ${v(r)} ${withArticle(n(r))} that you cannot ${adv(r)} ${v(r)}.`,
  (r) => `What the ${n(r)} ${third(v(r))}, the ${n(r)} ${adv(r)} ${third(v(r))}.`,
  (r) => `A ${a(r)} life is mostly ${n(r)}, a little ${n(r)}, and the courage to ${v(r)} both.`,
];

function withArticle(word: string): string {
  return `${article(word)} ${word}`;
}

/** One quote body (without the curly quotes): one to three sentences. */
export function quoteSentence(r: Rng): string {
  const count = r.chance(0.6) ? 1 : r.chance(0.85) ? 2 : 3;
  let out = r.pick(SENTENCES)(r);
  for (let i = 1; i < count; i++) out += " " + r.pick(SENTENCES)(r);
  return out;
}

/** Filler sentence about a person, for author descriptions. */
export function bioSentence(r: Rng, last: string): string {
  switch (r.int(0, 7)) {
    case 0: return `${last} spent ${r.int(2, 19)} years in ${r.pick(["a", "the"])} ${a(r)} ${n(r)} studying the ${n(r)} of ${withArticle(a(r))} ${n(r)}.`;
    case 1: return `Critics described the early work of ${last} as ${a(r)} and ${a(r)}, though later readers found it ${a(r)}.`;
    case 2: return `In ${r.int(1820, 2010)}, ${last} published a ${a(r)} book about the ${n(r)} and the ${n(r)}, which sold ${r.int(2, 90)},000 copies.`;
    case 3: return `Many readers first met ${last} through the essay "The ${cap(a(r))} ${cap(n(r))}", reprinted in ${r.int(3, 40)} languages.`;
    case 4: return `Friends remembered ${last} as ${withArticle(a(r))} ${r.pick(OCCUPATIONS)} who would ${adv(r)} ${v(r)} ${withArticle(n(r))} rather than ${v(r)} it.`;
    case 5: return `Letters from this period show ${last} trying to ${v(r)} the ${n(r)} while the ${n(r)} ${adv(r)} ${third(v(r))} everything else.`;
    case 6: return `A ${a(r)} ${n(r)} in ${last}'s notebooks, dated ${r.pick(MONTHS)} ${r.int(1, 28)}, reads simply: ${quoteSentence(r)}`;
    default: return `${last} lectured on the ${a(r)} ${n(r)} at ${r.int(2, 12)} universities and kept a ${a(r)} ${n(r)} on every desk.`;
  }
}

/** Generic filler sentence (footers, tag pages, job descriptions). */
export function fillerSentence(r: Rng): string {
  return r.pick(SENTENCES)(r);
}

export interface SimpleDate {
  y: number;
  m: number; // 1-12
  d: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function randomDate(r: Rng, fromYear: number, toYear: number): SimpleDate {
  const y = r.int(fromYear, toYear);
  const m = r.int(1, 12);
  const leap = m === 2 && (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 1 : 0;
  return { y, m, d: r.int(1, DAYS_IN_MONTH[m - 1]! + leap) };
}

/** "March 14, 1879" (the quotes.toscrape.com style). */
export function longDate(date: SimpleDate): string {
  return `${MONTHS[date.m - 1]} ${date.d}, ${date.y}`;
}

/** "1879-03-14". */
export function isoDate(date: SimpleDate): string {
  return `${date.y}-${String(date.m).padStart(2, "0")}-${String(date.d).padStart(2, "0")}`;
}

/** "+1 (555) 013-4567": fictional 555 numbers. */
export function phoneNumber(r: Rng): string {
  return `+1 (555) ${String(r.int(10, 999)).padStart(3, "0")}-${String(r.int(0, 9999)).padStart(4, "0")}`;
}

/** "Albert J. Einstein" -> "albert-j-einstein". */
export function slugify(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
