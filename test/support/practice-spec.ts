import { readSpecFile } from "../../src/spec/index.js";

const SPEC = new URL("../../../examples/practice.yaml", import.meta.url).pathname;

/** examples/practice.yaml aimed at a running practice site, with fast retries for tests. */
export function practiceSpec(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const spec = readSpecFile(SPEC) as Record<string, unknown>;
  return { ...spec, start: [url + "/"], retries: { max: 1, base: "10ms", cap: "50ms" }, ...extra };
}
