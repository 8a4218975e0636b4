/** Strict argument parsing: unknown flags and missing values are usage errors (exit 2). */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../shared/errors.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(command: string, args: string[], options: Options, usage: string): Parsed | "help" {
  try {
    const r = parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
    if (r.values.help) return "help";
    return { values: r.values as Parsed["values"], positionals: r.positionals };
  } catch (err) {
    const msg = (err as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(`gleaner ${command}: ${msg}\n\n${usage}`);
  }
}

export function intFlag(value: string | boolean | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !Number.isInteger(n) || n < min) {
    throw new UsageError(`${flag} expects a whole number >= ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}

export const dbOption = { db: { type: "string" as const } };
