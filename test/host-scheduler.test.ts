import { test } from "node:test";
import assert from "node:assert/strict";
import { HostScheduler } from "../src/politeness/index.js";

test("per-host concurrency and the global cap", () => {
  const s = new HostScheduler({ ratePerSecond: Infinity, concurrency: 2, jitterMs: [0, 0] }, 3);
  s.start("a", 0);
  s.start("a", 0);
  assert.equal(s.waitTime("a", 0), Infinity, "host a is full");
  assert.equal(s.waitTime("b", 0), 0, "host b is independent");
  s.start("b", 0);
  assert.equal(s.waitTime("c", 0), Infinity, "global cap reached");
  s.finish("a");
  assert.equal(s.waitTime("a", 0), 0);
  assert.equal(s.inFlight, 2);
});

test("rate is a strict interval per host, plus jitter", () => {
  const s = new HostScheduler({ ratePerSecond: 2, concurrency: 10, jitterMs: [100, 100] }, 10, () => 0.5);
  s.start("a", 1000);
  assert.equal(s.waitTime("a", 1000), 600, "500 ms interval + 100 ms jitter");
  assert.equal(s.waitTime("b", 1000), 0);
  assert.equal(s.waitTime("a", 1600), 0);
  s.start("a", 1700);
  assert.equal(s.waitTime("a", 1700), 600);
});

test("a paused host waits until the pause ends; others do not", () => {
  const s = new HostScheduler({ ratePerSecond: Infinity, concurrency: 4, jitterMs: [0, 0] }, 10);
  s.pause("a", 5000);
  assert.equal(s.waitTime("a", 1000), 4000);
  assert.equal(s.waitTime("b", 1000), 0);
  assert.equal(s.waitTime("a", 5000), 0);
});
