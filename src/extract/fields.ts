/**
 * One field of an item: select -> raw text/attribute -> trim -> regex -> type -> default.
 *
 * "Nothing matched" (no element, missing attribute, empty text after trimming, no regex match)
 * gives `default`, else null / []. A value that matched but does not convert to the type is
 * null (a scalar) or left out (a list): lists hold only real values.
 */
import type { FieldSpec } from "../spec/types.js";
import { converterFor, type Converter } from "./convert.js";
import { attrValue, type DomNode } from "./dom.js";
import { compileRegex, eachMatch, firstMatch, type CompiledRegex } from "./regex.js";
import { compileScopedQuery, selectEvery, selectFirst, type ScopedQuery } from "./selectors.js";
import { collapseWhitespace, nodeText } from "./text.js";

/** An `each` match (an element) or the document. */
export type Root = DomNode;

/** A field that does not compile; `part` names the offending key (selector, regex, type). */
export class FieldCompileError extends Error {
  constructor(readonly part: "selector" | "regex" | "type", cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

function part<T>(name: FieldCompileError["part"], make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw new FieldCompileError(name, err);
  }
}

export function compileField(name: string, spec: FieldSpec): CompiledField {
  const query = spec.selector === undefined ? null : part("selector", () => compileScopedQuery(spec.selector!));
  const regex = spec.regex === undefined ? null : part("regex", () => compileRegex(spec.regex!));
  return new CompiledField(name, spec, query, regex, part("type", () => converterFor(spec.type)));
}

export class CompiledField {
  readonly name: string;
  readonly required: boolean;
  /** Whether the last `evaluate` matched something (defaults do not count). Avoids a result object per call. */
  found = false;
  private readonly attr: string | null;
  private readonly all: boolean;
  private readonly trim: boolean;
  private readonly hasDefault: boolean;
  private readonly defaultValue: unknown;

  constructor(
    name: string,
    spec: FieldSpec,
    private readonly query: ScopedQuery | null,
    private readonly regex: CompiledRegex | null,
    private readonly convert: Converter,
  ) {
    this.name = name;
    this.required = spec.required;
    this.attr = spec.attr ?? null;
    this.all = spec.all;
    this.trim = spec.trim !== false;
    this.hasDefault = spec.default !== undefined;
    this.defaultValue = spec.default;
  }

  /** The field's value under `root` (an `each` match or the document); sets `found`. */
  evaluate(root: Root, baseUrl: string): unknown {
    this.found = false;
    const v = this.all ? this.many(root, baseUrl) : this.one(root, baseUrl);
    if (this.found) return v;
    if (this.hasDefault) return this.defaultValue;
    return this.all ? [] : null;
  }

  /**
   * Attribute or text of one node, trimmed; null when missing or empty. `forRegex`: only the
   * regex's matches are wanted, so a long text (a biography holding an email) is not collapsed
   * when that cannot change them (CompiledRegex.spaceBlind).
   */
  private raw(node: Root, forRegex: CompiledRegex | null = null): string | null {
    let s: string | undefined;
    if (this.attr !== null) {
      s = attrValue(node, this.attr);
      if (s === undefined) return null;
    } else {
      s = nodeText(node, this.trim);
    }
    if (this.trim && (forRegex === null || !forRegex.spaceBlind)) s = collapseWhitespace(s);
    return s === "" ? null : s;
  }

  private one(root: Root, baseUrl: string): unknown {
    const regex = this.regex;
    let hit: string | null = null;
    if (regex === null) {
      const node = this.query === null ? root : selectFirst(this.query, root);
      if (node !== null) hit = this.raw(node);
    } else if (this.query === null) {
      const s = this.raw(root, regex);
      if (s !== null) hit = firstMatch(regex, s);
    } else {
      // First match in the first selected element that has one.
      const nodes = selectEvery(this.query, root);
      for (let i = 0; i < nodes.length && hit === null; i++) {
        const s = this.raw(nodes[i]!, regex);
        if (s !== null) hit = firstMatch(regex, s);
      }
    }
    if (hit === null) return null;
    this.found = true;
    return this.convert(hit, baseUrl);
  }

  private many(root: Root, baseUrl: string): unknown[] {
    const nodes: Root[] = this.query === null ? [root] : selectEvery(this.query, root);
    const out: unknown[] = [];
    const regex = this.regex;
    if (regex === null) {
      for (let i = 0; i < nodes.length; i++) {
        const s = this.raw(nodes[i]!);
        if (s === null) continue;
        this.found = true;
        const v = this.convert(s, baseUrl);
        if (v !== null) out.push(v);
      }
      return out;
    }
    // Regex matches are deduplicated after conversion ("Mar 1, 2024" and "2024-03-01" are one date).
    const seen = new Set<unknown>();
    const push = (m: string): boolean => {
      this.found = true;
      const v = this.convert(m, baseUrl);
      if (v !== null && !seen.has(v)) {
        seen.add(v);
        out.push(v);
      }
      return true;
    };
    for (let i = 0; i < nodes.length; i++) {
      const s = this.raw(nodes[i]!, regex);
      if (s !== null) eachMatch(regex, s, push);
    }
    return out;
  }
}
