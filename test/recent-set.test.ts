import { test } from "node:test";
import assert from "node:assert/strict";
import { RecentSet } from "../src/shared/recent-set.js";

test("a recent set remembers at least the last cap/2 keys and never more than cap", () => {
  const s = new RecentSet(100);
  for (let i = 0; i < 1000; i++) {
    s.add(`k${i}`);
    assert.ok(s.size <= 100, `size ${s.size} after ${i + 1} adds`);
  }
  for (let i = 950; i < 1000; i++) assert.ok(s.has(`k${i}`), `k${i} was forgotten`);
  assert.equal(s.has("k0"), false);
  assert.equal(s.has("k899"), false);
});

test("a key seen again in the older generation is still known", () => {
  const s = new RecentSet(4);
  s.add("a");
  s.add("b");
  s.add("c"); // "a", "b" move to the older generation
  assert.ok(s.has("a") && s.has("b") && s.has("c"));
  s.add("d");
  s.add("e"); // the older generation ("a", "b") is dropped
  assert.equal(s.has("a"), false);
  assert.ok(s.has("c") && s.has("d") && s.has("e"));
});
