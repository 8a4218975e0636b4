import assert from "node:assert/strict";
import { FetchError } from "../../src/fetch/index.js";

/** Awaits `p`, expecting a FetchError with this code and action; returns it. */
export async function rejectsWith(p: Promise<unknown>, code: string, action: string): Promise<FetchError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof FetchError, `expected FetchError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.action, action);
    return err;
  }
  assert.fail(`expected ${code}`);
}
