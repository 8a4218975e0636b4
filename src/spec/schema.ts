/**
 * The spec as users write it (YAML or JSON), validated with zod. Every default lives here.
 * `SpecInput` is the written shape; `normalize()` in load.ts turns it into `Spec` (types.ts).
 */
import { z } from "zod";
import { BUILTIN_REGEXES, FIELD_TYPES } from "./types.js";
import { parseDuration, parseRate, parseSize } from "./units.js";

export const DEFAULT_USER_AGENT = "gleaner/0.1 (+https://www.npmjs.com/package/gleaner)";

export const DEFAULTS = {
  scope: { maxDepth: 100, maxPages: 100_000, maxUrlLength: 2048, traps: { repeatedSegments: 3, maxQueryParams: 16, maxQueryVariants: 1000 } },
  fetch: {
    mode: "http", timeout: "30s", maxRedirects: 10, maxBodySize: "10MB", userAgent: DEFAULT_USER_AGENT, waitUntil: "load",
    browser: { maxPages: 4, recycleAfter: 500, memoryCeiling: "1500MB", block: ["image", "font", "media"] },
  },
  politeness: { robots: "obey", perHost: { rate: "unlimited", concurrency: 4 }, jitter: ["0s", "0s"], concurrency: 16, circuitBreaker: { failures: 10, cooldown: "30s" } },
  sessions: { count: 1, retireAfter: 3 },
  retries: { max: 3, backoff: "exponential", base: "1s", cap: "60s" },
} as const;

const duration = z
  .union([z.string(), z.number()])
  .refine((v) => parseDuration(v) !== null, { message: 'expected a duration like "500ms", "15s", "2m" or a number of seconds' });

const size = z
  .union([z.string(), z.number()])
  .refine((v) => parseSize(v) !== null, { message: 'expected a size like "512KB", "10MB" or a number of bytes' });

const rate = z
  .union([z.string(), z.number()])
  .refine((v) => parseRate(v) !== null, { message: 'expected a rate like "2/s", "30/min", "100/h" or "unlimited"' });

const nonEmpty = z.string().trim().min(1, { message: "must not be empty" });

const fieldObject = z.strictObject({
  selector: nonEmpty.optional().describe("CSS selector relative to the item (or page); absent = the item itself"),
  attr: nonEmpty.optional().describe("take this attribute instead of the text"),
  all: z.boolean().optional().describe("a list of every match instead of the first"),
  regex: nonEmpty.optional().describe(`built-in (${BUILTIN_REGEXES.join(", ")}) or a pattern "/…/flags"; group 1 if present`),
  type: z.enum(FIELD_TYPES as [string, ...string[]], {
    message: `must be one of ${FIELD_TYPES.join(", ")}`,
  }).optional(),
  trim: z.boolean().optional().describe("collapse whitespace and trim (default true)"),
  required: z.boolean().optional().describe("drop the item when this field is empty"),
  default: z.unknown().optional(),
});

const field = z.union([nonEmpty.describe("CSS selector"), fieldObject]);

const itemName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, {
  message: "item type names are letters, digits, _ and -, starting with a letter or _",
});
const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, {
  message: "field names are letters, digits, _, . and -, starting with a letter or _ (names starting with _ are reserved for _type and _url)",
}).refine((n) => n !== "_type" && n !== "_url", { message: "_type and _url are reserved for export metadata" });

const item = z.strictObject({
  each: nonEmpty.optional().describe("one item per match of this selector"),
  when: nonEmpty.optional().describe('only on pages whose URL matches this glob, e.g. "/author/*"'),
  fields: z.record(fieldName, field).refine((f) => Object.keys(f).length > 0, { message: "an item needs at least one field" }),
});

const followRule = z.union([
  nonEmpty.describe("CSS selector of links (or of elements containing links)"),
  z.strictObject({
    selector: nonEmpty,
    when: nonEmpty.optional(),
    priority: z.number().int().min(-1000).max(1000).optional(),
    attr: nonEmpty.optional(),
  }),
]);

const fetchMode = z.enum(["http", "browser", "auto"], { message: "must be one of http, browser, auto" });
const waitUntil = z.enum(["load", "domcontentloaded", "networkidle"], { message: "must be one of load, domcontentloaded, networkidle" });
const action = z.union([
  z.strictObject({ click: nonEmpty, repeat: z.union([z.literal("until-gone"), z.number().int().min(1).max(1000)]).optional(), wait: duration.optional() }),
  z.strictObject({ scroll: z.literal("bottom"), times: z.number().int().min(1).max(1000), wait: duration.optional() }),
  z.strictObject({ fill: nonEmpty, value: z.string() }),
  z.strictObject({ submit: nonEmpty }),
  z.strictObject({ wait: duration }),
  z.strictObject({ waitFor: nonEmpty }),
]);
const renderFields = {
  mode: fetchMode.optional(),
  waitFor: nonEmpty.optional().describe("browser: wait for this selector; auto: render when the static HTML lacks it"),
  waitUntil: waitUntil.optional(),
  actions: z.array(action).optional().describe('browser actions, e.g. { click: "button.more", repeat: until-gone } or { scroll: bottom, times: 5 }'),
};

const urlString = z.string().refine(
  (s) => {
    try {
      const u = new URL(s);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  },
  { message: 'expected an absolute http(s) URL like "https://example.com/"' },
);

export const specInputSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, {
    message: 'a name of letters, digits, ".", "_" or "-" (e.g. "quotes")',
  }),
  start: z.union([urlString, z.array(urlString).min(1, { message: "give at least one start URL" })]),
  scope: z
    .strictObject({
      domains: z.array(nonEmpty).optional().describe("allowed hosts (and their subdomains); default: the start URLs' hosts"),
      include: z.array(nonEmpty).optional().describe("URL globs to keep"),
      exclude: z.array(nonEmpty).optional().describe("URL globs to skip"),
      maxDepth: z.number().int().min(0).optional(),
      maxPages: z.number().int().min(1).optional(),
      maxPagesPerHost: z.number().int().min(1).optional(),
      sitemaps: z.boolean().optional().describe("seed from the Sitemap: lines of robots.txt (and /sitemap.xml)"),
      maxUrlLength: z.number().int().min(64).max(100_000).optional(),
      traps: z
        .union([
          z.literal(false),
          z.strictObject({
            repeatedSegments: z.number().int().min(2).optional(),
            maxQueryParams: z.number().int().min(1).optional(),
            maxQueryVariants: z.number().int().min(1).optional(),
          }),
        ])
        .optional()
        .describe("crawler-trap heuristics; false turns them off"),
    })
    .optional(),
  follow: z.array(followRule).optional().describe("link selectors to follow; omitted = every in-scope link; [] = none"),
  extract: z.record(itemName, item).optional(),
  fetch: z
    .strictObject({
      ...renderFields,
      headers: z.record(z.string(), z.string()).optional(),
      userAgent: nonEmpty.optional(),
      timeout: duration.optional(),
      maxRedirects: z.number().int().min(0).max(50).optional(),
      maxBodySize: size.optional(),
      rules: z.array(z.strictObject({ when: nonEmpty, ...renderFields })).optional().describe("per-URL fetch settings; the first rule whose `when` matches wins"),
      screenshots: nonEmpty.optional().describe("directory for a PNG of each browser-rendered page"),
      browser: z
        .strictObject({
          maxPages: z.number().int().min(1).max(64).optional(),
          recycleAfter: z.number().int().min(1).optional(),
          memoryCeiling: size.optional(),
          block: z.array(z.enum(["image", "font", "media", "stylesheet"], { message: "must be image, font, media or stylesheet" })).optional(),
        })
        .optional(),
    })
    .optional(),
  politeness: z
    .strictObject({
      robots: z.enum(["obey", "ignore"], { message: "must be obey or ignore" }).optional(),
      perHost: z
        .strictObject({
          rate: rate.optional(),
          concurrency: z.number().int().min(1).max(1024).optional(),
        })
        .optional(),
      jitter: z.union([duration, z.tuple([duration, duration])]).optional(),
      concurrency: z.number().int().min(1).max(4096).optional().describe("global cap on requests in flight"),
      adaptive: z.boolean().optional().describe("adapt each host's delay to its latency and errors"),
      circuitBreaker: z
        .union([z.literal(false), z.strictObject({ failures: z.number().int().min(1).optional(), cooldown: duration.optional() })])
        .optional(),
    })
    .optional(),
  sessions: z
    .strictObject({
      count: z.number().int().min(1).max(1000).optional().describe("cookie-jar sessions to spread requests over"),
      retireAfter: z.number().int().min(1).optional().describe("consecutive 401/403/429 answers that retire a session"),
    })
    .optional(),
  retries: z
    .strictObject({
      max: z.number().int().min(0).max(100).optional(),
      backoff: z.enum(["exponential", "fixed"], { message: "must be exponential or fixed" }).optional(),
      base: duration.optional(),
      cap: duration.optional(),
    })
    .optional(),
});

export type SpecInput = z.input<typeof specInputSchema>;
export type ParsedSpecInput = z.output<typeof specInputSchema>;

/** JSON Schema of the written spec, for editor completion (`gleaner schema`). */
export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(specInputSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { $id: "https://www.npmjs.com/package/gleaner/spec.schema.json", title: "gleaner crawl spec", ...schema };
}
