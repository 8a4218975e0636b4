/**
 * Compiled allow/disallow rules and the longest-match decision (RFC 9309 2.2.2, 2.2.3).
 * Rules are sorted once, most specific first, so a lookup stops at the first rule that
 * matches, and indexed by literal prefix, so it only looks at rules that can.
 * Most patterns have no `*` and compile to `startsWith` / `===`; the rest are split at `*`
 * once and matched segment by segment with indexOf (no backtracking, no allocation).
 */
import { normalizePath, normalizePattern } from "./normalize.js";

/** The rule that decided a path: for messages like "blocked by robots.txt rule Disallow: /x". */
export interface RobotsMatch {
  readonly allow: boolean;
  /** The pattern as written in robots.txt (comment and surrounding blanks removed). */
  readonly pattern: string;
  /** 1-based line in robots.txt (0 for the built-in DISALLOW_ALL). */
  readonly line: number;
}

/** How a compiled rule is tested: most rules need no wildcard matcher. */
const PREFIX = 0;
const EXACT = 1;
const WILDCARD = 2;
type Kind = typeof PREFIX | typeof EXACT | typeof WILDCARD;

export interface CompiledRule {
  readonly result: RobotsMatch;
  /** Canonical pattern without the final `$`; trailing `*`s dropped when not anchored. */
  readonly body: string;
  readonly anchored: boolean;
  readonly kind: Kind;
  /** The body split at `*` (wildcard rules only). */
  readonly segments: readonly string[];
  /** Octets of the canonical pattern: the longest matching pattern wins. */
  readonly priority: number;
}

/**
 * Compile one rule, or null when it can never match anything: an empty value ("Disallow:"
 * means "nothing is disallowed") or a pattern that starts with neither `/` nor `*`.
 */
export function compileRule(allow: boolean, pattern: string, line: number): CompiledRule | null {
  const first = pattern.charCodeAt(0);
  if (first !== 0x2f /* / */ && first !== 0x2a /* * */) return null;
  const anchored = pattern.endsWith("$");
  let body = normalizePattern(anchored ? pattern.slice(0, -1) : pattern);
  if (body.includes("**")) body = body.replace(/\*{2,}/g, "*");
  const priority = body.length + (anchored ? 1 : 0);
  if (!anchored) {
    // "/fish*" means "/fish": a match only has to reach the end of the pattern.
    let end = body.length;
    while (end > 0 && body.charCodeAt(end - 1) === 0x2a) end--;
    body = body.slice(0, end);
  }
  const kind: Kind = !body.includes("*") ? (anchored ? EXACT : PREFIX) : WILDCARD;
  const result: RobotsMatch = Object.freeze({ allow, pattern, line });
  const segments = kind === WILDCARD ? body.split("*") : [];
  return { result, body, anchored, kind, segments, priority };
}

/**
 * `*`-separated literal segments against `s`: the first must start `s`, the last (when
 * anchored) must end it, the others are placed leftmost with indexOf. Leftmost placement
 * leaves the most room for what follows, so it never misses a match, and it costs at most
 * one indexOf per segment: hostile patterns cannot make it backtrack.
 */
function wildcardMatch(segs: readonly string[], s: string, anchored: boolean): boolean {
  const first = segs[0]!;
  if (!s.startsWith(first)) return false;
  let pos = first.length;
  let lastMiddle = segs.length - 1;
  let limit = s.length;
  if (anchored) {
    const last = segs[lastMiddle]!;
    limit -= last.length;
    if (limit < pos || !s.endsWith(last)) return false;
    lastMiddle--;
  }
  for (let i = 1; i <= lastMiddle; i++) {
    const seg = segs[i]!;
    const at = s.indexOf(seg, pos);
    if (at < 0) return false;
    pos = at + seg.length;
    if (pos > limit) return false;
  }
  return true;
}

function ruleMatches(r: CompiledRule, path: string): boolean {
  switch (r.kind) {
    case PREFIX:
      return path.startsWith(r.body);
    case EXACT:
      return path === r.body;
    default:
      return wildcardMatch(r.segments, path, r.anchored);
  }
}

/** Most specific first; at equal length allow before disallow (RFC 9309: allow SHOULD win). */
function sortRules(rules: readonly CompiledRule[]): CompiledRule[] {
  const seen = new Set<string>();
  const unique = rules.filter((r) => {
    // Same verdict, same text to match and same length: "/x" twice, or "/%7Ex" and "/~x".
    const key = `${r.result.allow ? "A" : "D"}${r.anchored ? "$" : ""}${r.priority} ${r.body}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => b.priority - a.priority || Number(b.result.allow) - Number(a.result.allow));
}

/**
 * A filter tree over the rules' literal prefixes (the part before the first `*`): each level
 * splits the candidates by the path character at `depth`, so a lookup walks a few levels
 * and then tests a handful of rules instead of the whole file. Rules whose literal prefix
 * ends at or before `depth` stay candidates on every branch. The tree only narrows the
 * candidates; every candidate is still tested in full, so skipping levels is always safe.
 */
export interface RuleIndex {
  readonly size: number;
  readonly root: RuleNode;
}

interface RuleNode {
  readonly depth: number;
  /** Candidates (most specific first) for a path that stops at this node. */
  readonly rules: readonly CompiledRule[];
  /** Children by the path's character at `depth`; undefined for a leaf. */
  readonly next: Map<number, RuleNode> | undefined;
  /** Candidates when the path has no child here (too short, or another character). */
  readonly short: readonly CompiledRule[];
}

/** Leaves this small are scanned; splitting them further costs more than it saves. */
const LEAF_RULES = 8;

function literalPrefix(r: CompiledRule): string {
  return r.kind === WILDCARD ? r.segments[0]! : r.body;
}

/** Room left for rule references in the tree (rules that can match anything are repeated). */
interface Budget {
  left: number;
}

function buildNode(rules: readonly CompiledRule[], depth: number, budget: Budget): RuleNode {
  for (;;) {
    if (rules.length <= LEAF_RULES || budget.left <= 0) return { depth, rules, next: undefined, short: rules };
    const short = rules.filter((r) => literalPrefix(r).length <= depth);
    if (short.length === rules.length) return { depth, rules, next: undefined, short: rules };
    const chars = new Set<number>();
    for (const r of rules) {
      const lit = literalPrefix(r);
      if (lit.length > depth) chars.add(lit.charCodeAt(depth));
    }
    // Every rule shares this character: nothing to split on here, look one further.
    if (short.length === 0 && chars.size === 1) {
      depth++;
      continue;
    }
    const next = new Map<number, RuleNode>();
    for (const c of chars) {
      const sub = rules.filter((r) => {
        const lit = literalPrefix(r);
        return lit.length <= depth || lit.charCodeAt(depth) === c;
      });
      budget.left -= sub.length;
      next.set(c, buildNode(sub, depth + 1, budget));
    }
    return { depth, rules, next, short };
  }
}

export function indexRules(rules: readonly CompiledRule[]): RuleIndex {
  const sorted = sortRules(rules);
  const budget = { left: Math.max(4096, 16 * sorted.length) };
  return { size: sorted.length, root: buildNode(sorted, 0, budget) };
}

/** The deciding rule for `pathAndQuery`, or null (allowed). */
export function findMatch(index: RuleIndex, pathAndQuery: string): RobotsMatch | null {
  if (index.size === 0) return null;
  const path = pathAndQuery === "" ? "/" : normalizePath(pathAndQuery);
  if (path === "/robots.txt") return null; // always allowed (RFC 9309 2.2.2)
  let node = index.root;
  let rules = node.rules;
  while (node.next !== undefined) {
    const child = node.next.get(path.charCodeAt(node.depth)); // NaN past the end: no child
    if (child === undefined) {
      rules = node.short;
      break;
    }
    node = child;
    rules = node.rules;
  }
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (ruleMatches(r, path)) return r.result;
  }
  return null;
}
