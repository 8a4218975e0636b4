/** Turns zod issues into `{ path, message }` lines that say what is wrong and how to fix it. */
import type { z } from "zod";

type Issue = { path: string; message: string };
type ZIssue = z.core.$ZodIssue;
type AnySchema = { _zod: { def: Record<string, unknown> & { type: string } } };

export function describeIssues(issues: ZIssue[], root: unknown): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) describe(issue, [], root as AnySchema, out);
  // The same path can be reported by several union branches; keep the first of each.
  const seen = new Set<string>();
  return out.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function describe(issue: ZIssue, prefix: PropertyKey[], root: AnySchema, out: Issue[]): void {
  const pathArr = [...prefix, ...issue.path];
  const path = pathArr.map(String).join(".");
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(root, pathArr);
      for (const key of issue.keys) {
        const near = closest(key, known);
        const hint = near ? `did you mean "${near}"?` : known.length ? `allowed here: ${known.join(", ")}` : "remove it";
        out.push({ path: path ? `${path}.${key}` : key, message: `unknown key "${key}"; ${hint}` });
      }
      return;
    }
    case "invalid_union": {
      // Prefer the branch whose type matched (its issues are about the content, not the type).
      const branches = issue.errors.filter((b) => b.length > 0 && !b.every((i) => i.code === "invalid_type" && i.path.length === 0));
      if (branches.length > 0) {
        for (const i of branches[0]!) describe(i, pathArr, root, out);
        return;
      }
      const expected = issue.errors.flatMap((b) => b.map((i) => (i.code === "invalid_type" ? i.expected : null))).filter(Boolean);
      out.push({ path, message: `expected ${[...new Set(expected)].join(" or ")}` + receivedText(issue) });
      return;
    }
    case "invalid_type": {
      if (issue.input === undefined) {
        out.push({ path, message: `is required (${issue.expected})` });
      } else {
        out.push({ path, message: `expected ${issue.expected}${receivedText(issue)}` });
      }
      return;
    }
    default:
      out.push({ path, message: issue.message });
  }
}

function receivedText(issue: ZIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (input === undefined) return "";
  const kind = input === null ? "null" : Array.isArray(input) ? "a list" : typeof input;
  return `, got ${kind}`;
}

/** The keys allowed by the object schema at `path`, for "did you mean" hints. */
function knownKeys(schema: AnySchema, path: PropertyKey[]): string[] {
  let s: AnySchema | undefined = schema;
  for (const seg of path) {
    s = objectOf(s);
    if (!s) return [];
    const def = s._zod.def;
    if (def.type === "object") s = (def.shape as Record<string, AnySchema>)[String(seg)];
    else if (def.type === "record") s = def.valueType as AnySchema;
    else if (def.type === "array") s = def.element as AnySchema;
    else return [];
  }
  s = objectOf(s);
  return s && s._zod.def.type === "object" ? Object.keys(s._zod.def.shape as object) : [];
}

/** Unwraps optional/default/union wrappers to the object-like schema inside. */
function objectOf(s: AnySchema | undefined): AnySchema | undefined {
  for (let depth = 0; s && depth < 10; depth++) {
    const def = s._zod.def;
    if (def.type === "optional" || def.type === "default" || def.type === "nullable") s = def.innerType as AnySchema;
    else if (def.type === "pipe") s = def.in as AnySchema;
    else if (def.type === "union") {
      const opts = def.options as AnySchema[];
      s = opts.find((o) => ["object", "record", "array"].includes(objectOf(o)?._zod.def.type ?? "")) ?? opts[0];
      if (s && !["optional", "default", "nullable", "pipe", "union"].includes(s._zod.def.type)) return s;
    } else return s;
  }
  return s;
}

function closest(word: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best !== null && bestDist <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
