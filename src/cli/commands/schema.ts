/** `gleaner schema`: the spec's JSON Schema, for editor completion. */
import { specJsonSchema } from "../../spec/index.js";
import { parse } from "../args.js";
import type { Io } from "../output.js";
import { UsageError } from "../../shared/errors.js";

export const SCHEMA_USAGE = `Usage: gleaner schema

Print the JSON Schema of crawl specs. Point your editor at it, e.g. for the YAML
language server add this first line to a spec:
  # yaml-language-server: $schema=./gleaner.schema.json

Example:
  gleaner schema > gleaner.schema.json`;

export async function schemaCommand(args: string[], io: Io): Promise<number> {
  const p = parse("schema", args, {}, SCHEMA_USAGE);
  if (p === "help") return io.out.write(SCHEMA_USAGE + "\n"), 0;
  if (p.positionals.length > 0) throw new UsageError(`gleaner schema takes no arguments\n\n${SCHEMA_USAGE}`);
  io.out.write(JSON.stringify(specJsonSchema(), null, 2) + "\n");
  return 0;
}
