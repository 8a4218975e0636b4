/**
 * Reading a spec: text (YAML or JSON) -> validated input -> normalized Spec.
 * Every problem becomes a SpecError whose issues name the path and the fix.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { z } from "zod";
import { SpecError } from "../shared/errors.js";
import { validateRegex, validateSelector } from "../extract/index.js";
import { DEFAULTS, specInputSchema, type ParsedSpecInput } from "./schema.js";
import type { ActionSpec, FieldSpec, FieldType, FollowSpec, ItemSpec, Spec } from "./types.js";
import { parseDuration, parseRate, parseSize } from "./units.js";
import { describeIssues } from "./issues.js";
import { parseStrictJson } from "./json-spec.js";

type Issue = { path: string; message: string };

/** Read and validate a spec file (YAML or JSON by content). */
export function loadSpecFile(file: string): Spec {
  return validateSpec(readSpecFile(file), file);
}

/** Read a spec file as written (not validated), with clear errors for unreadable files and bad syntax. */
export function readSpecFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory" : String((err as Error).message);
    throw new SpecError([{ path: "", message: `cannot read ${file}: ${why}; give the path of a .yaml or .json spec` }], file);
  }
  return parseSpecDocument(text, file);
}

/** Parse YAML or JSON text (JSON is YAML) and validate it. */
export function parseSpecText(text: string, source = "spec"): Spec {
  return validateSpec(parseSpecDocument(text, source), source);
}

function parseSpecDocument(text: string, source: string): unknown {
  const json = parseStrictJson(text);
  if (json !== undefined) return json;
  const { parseDocument } = createRequire(import.meta.url)("yaml") as typeof import("yaml");
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SpecError(
      doc.errors.map((e) => ({ path: "", message: `${e.message.split("\n")[0]} — fix the YAML/JSON syntax` })),
      source,
    );
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** Validate a spec object (as written by a user or passed to the library) and normalize it. */
export function validateSpec(input: unknown, source = "spec"): Spec {
  if (typeof input === "object" && input !== null && validated.has(input)) return input as Spec; // e.g. from loadSpecFile
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new SpecError([{ path: "", message: "a spec is a mapping with at least `name` and `start`" }], source);
  }
  const parsed = specInputSchema.safeParse(input);
  if (!parsed.success) throw new SpecError(describeIssues(parsed.error.issues as z.core.$ZodIssue[], specInputSchema), source);
  const issues: Issue[] = [];
  const spec = normalize(parsed.data, issues);
  if (issues.length > 0) throw new SpecError(issues, source);
  validated.set(spec, structuredClone(input));
  return deepFreeze(spec);
}

/**
 * A validated spec is passed through as is (and its job stores the input it came from), so it
 * is frozen: changing it afterwards throws instead of silently not reaching a resumed job.
 * To change a spec, change its input and validate again.
 */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Validated specs and the input each came from: a Spec passes validation again as is. */
const validated = new WeakMap<object, unknown>();

/** The input (as written) a spec was validated from; what a job stores so it can be validated again on resume. */
export function specSource(spec: Spec): unknown {
  return validated.get(spec) ?? spec;
}

function normalize(s: ParsedSpecInput, issues: Issue[]): Spec {
  const start = (Array.isArray(s.start) ? s.start : [s.start]).map((u) => new URL(u).href);
  const domains = s.scope?.domains?.map((d) => d.toLowerCase().replace(/^\*\./, "")) ?? [
    ...new Set(start.map((u) => new URL(u).hostname.toLowerCase())),
  ];

  const follow: FollowSpec[] | null =
    s.follow === undefined
      ? null
      : s.follow.map((f, i) => {
          const rule = typeof f === "string" ? { selector: f } : f;
          checkSelector(rule.selector, `follow.${i}${typeof f === "string" ? "" : ".selector"}`, issues);
          return { selector: rule.selector, when: rule.when, priority: rule.priority ?? 0, attr: rule.attr };
        });

  const extract: ItemSpec[] = Object.entries(s.extract ?? {}).map(([type, it]) => {
    if (it.each) checkSelector(it.each, `extract.${type}.each`, issues);
    const fields: Record<string, FieldSpec> = {};
    for (const [name, f] of Object.entries(it.fields)) {
      const path = `extract.${type}.fields.${name}`;
      const o = typeof f === "string" ? { selector: f } : f;
      if (o.selector) checkSelector(o.selector, typeof f === "string" ? path : `${path}.selector`, issues);
      if (o.regex) {
        const bad = validateRegex(o.regex);
        if (bad) issues.push({ path: `${path}.regex`, message: bad });
      }
      fields[name] = {
        selector: o.selector,
        attr: o.attr,
        all: o.all ?? false,
        regex: o.regex,
        type: (o.type ?? "string") as FieldType,
        trim: o.trim ?? true,
        required: o.required ?? false,
        ...(o.default !== undefined ? { default: o.default } : {}),
      };
    }
    return { type, each: it.each, when: it.when, fields };
  });

  const f = s.fetch ?? {};
  const checkRender = (r: { waitFor?: string; actions?: ActionInput[] }, path: string) => {
    if (r.waitFor) checkSelector(r.waitFor, `${path}.waitFor`, issues);
    (r.actions ?? []).forEach((a, i) => {
      const sel = "click" in a ? a.click : "fill" in a ? a.fill : "submit" in a ? a.submit : "waitFor" in a ? a.waitFor : null;
      if (sel !== null) checkSelector(sel, `${path}.actions.${i}`, issues);
    });
  };
  checkRender(f, "fetch");
  (f.rules ?? []).forEach((r, i) => checkRender(r, `fetch.rules.${i}`));
  const p = s.politeness ?? {};
  const r = s.retries ?? {};
  const jitter = p.jitter === undefined ? DEFAULTS.politeness.jitter : Array.isArray(p.jitter) ? p.jitter : ["0s", p.jitter];
  const jitterMs: [number, number] = [parseDuration(jitter[0])!, parseDuration(jitter[1])!];
  if (jitterMs[0] > jitterMs[1]) issues.push({ path: "politeness.jitter", message: "the first value (minimum) must not exceed the second (maximum)" });
  const rateText = String(p.perHost?.rate ?? DEFAULTS.politeness.perHost.rate);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.headers ?? {})) headers[k.toLowerCase()] = v;
  const baseMs = parseDuration(r.base ?? DEFAULTS.retries.base)!;
  const capMs = parseDuration(r.cap ?? DEFAULTS.retries.cap)!;
  if (capMs < baseMs) issues.push({ path: "retries.cap", message: "must be at least retries.base" });
  const timeoutMs = parseDuration(f.timeout ?? DEFAULTS.fetch.timeout)!;
  if (timeoutMs < 1) issues.push({ path: "fetch.timeout", message: 'must be positive, e.g. "15s"' });

  return {
    name: s.name,
    start,
    scope: {
      domains,
      include: s.scope?.include ?? [],
      exclude: s.scope?.exclude ?? [],
      maxDepth: s.scope?.maxDepth ?? DEFAULTS.scope.maxDepth,
      maxPages: s.scope?.maxPages ?? DEFAULTS.scope.maxPages,
      maxPagesPerHost: s.scope?.maxPagesPerHost ?? Infinity,
      sitemaps: s.scope?.sitemaps ?? false,
      maxUrlLength: s.scope?.maxUrlLength ?? DEFAULTS.scope.maxUrlLength,
      traps: s.scope?.traps === false ? null : { ...DEFAULTS.scope.traps, ...(s.scope?.traps ?? {}) },
    },
    follow,
    extract,
    fetch: {
      mode: f.mode ?? "http",
      waitFor: f.waitFor,
      waitUntil: f.waitUntil ?? "load",
      actions: (f.actions ?? []).map(toAction),
      rules: (f.rules ?? []).map((r) => ({
        when: r.when,
        ...(r.mode ? { mode: r.mode } : {}),
        ...(r.waitFor ? { waitFor: r.waitFor } : {}),
        ...(r.waitUntil ? { waitUntil: r.waitUntil } : {}),
        ...(r.actions ? { actions: r.actions.map(toAction) } : {}),
      })),
      screenshots: f.screenshots ?? null,
      browser: {
        maxPages: f.browser?.maxPages ?? DEFAULTS.fetch.browser.maxPages,
        recycleAfter: f.browser?.recycleAfter ?? DEFAULTS.fetch.browser.recycleAfter,
        memoryCeilingMB: Math.round(parseSize(f.browser?.memoryCeiling ?? DEFAULTS.fetch.browser.memoryCeiling)! / 2 ** 20),
        block: f.browser?.block ?? [...DEFAULTS.fetch.browser.block],
      },
      headers,
      userAgent: f.userAgent ?? headers["user-agent"] ?? DEFAULTS.fetch.userAgent,
      timeoutMs,
      maxRedirects: f.maxRedirects ?? DEFAULTS.fetch.maxRedirects,
      maxBodyBytes: parseSize(f.maxBodySize ?? DEFAULTS.fetch.maxBodySize)!,
    },
    politeness: {
      robots: p.robots ?? "obey",
      perHost: { rate: { perSecond: parseRate(rateText)!, text: rateText }, concurrency: p.perHost?.concurrency ?? DEFAULTS.politeness.perHost.concurrency },
      jitterMs,
      concurrency: p.concurrency ?? DEFAULTS.politeness.concurrency,
      adaptive: p.adaptive ?? false,
      circuitBreaker:
        p.circuitBreaker === false
          ? null
          : {
              failures: p.circuitBreaker?.failures ?? DEFAULTS.politeness.circuitBreaker.failures,
              cooldownMs: parseDuration(p.circuitBreaker?.cooldown ?? DEFAULTS.politeness.circuitBreaker.cooldown)!,
            },
    },
    sessions: { count: s.sessions?.count ?? DEFAULTS.sessions.count, retireAfter: s.sessions?.retireAfter ?? DEFAULTS.sessions.retireAfter },
    retries: {
      max: r.max ?? DEFAULTS.retries.max,
      backoff: r.backoff ?? "exponential",
      baseMs,
      capMs,
    },
  };
}

type ActionInput = NonNullable<NonNullable<ParsedSpecInput["fetch"]>["actions"]>[number];

/** Written action (durations as text) -> normalized action (ms). */
function toAction(a: ActionInput): ActionSpec {
  if ("click" in a) return { click: a.click, ...(a.repeat !== undefined ? { repeat: a.repeat } : {}), ...(a.wait !== undefined ? { waitMs: parseDuration(a.wait)! } : {}) };
  if ("scroll" in a) return { scroll: "bottom", times: a.times, ...(a.wait !== undefined ? { waitMs: parseDuration(a.wait)! } : {}) };
  if ("fill" in a) return { fill: a.fill, value: a.value };
  if ("submit" in a) return { submit: a.submit };
  if ("waitFor" in a) return { waitFor: a.waitFor };
  return { wait: parseDuration(a.wait)! };
}

function checkSelector(selector: string, path: string, issues: Issue[]): void {
  const bad = validateSelector(selector);
  if (bad) issues.push({ path, message: `${JSON.stringify(selector)} is not a valid CSS selector: ${bad}` });
}
