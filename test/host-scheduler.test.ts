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

test("adaptive delay follows latency (up fast, down slowly), backs off on errors, never below the rate", () => {
  const s = new HostScheduler({ ratePerSecond: 10, concurrency: 2, jitterMs: [0, 0], adaptive: true }, 10);
  assert.equal(s.delayOf("a"), 100, "starts at the configured rate");
  s.record("a", "ok", 1000, 0); // target = 1000 / 2 = 500; max(500, (0 + 500) / 2)
  assert.equal(s.delayOf("a"), 500);
  s.record("a", "ok", 100, 0); // target 50: max(50, (500 + 50) / 2) = 275: down slowly
  assert.equal(s.delayOf("a"), 275);
  s.record("a", "throttled", 10, 0);
  assert.equal(s.delayOf("a"), 550, "doubled on a 429/503");
  for (let i = 0; i < 20; i++) s.record("a", "ok", 1, 0);
  assert.equal(s.delayOf("a"), 100, "never faster than the configured rate");
  assert.equal(s.delayOf("b"), 100, "other hosts are unaffected");
});

test("circuit breaker: consecutive failures pause the host, then one probe at a time until a success", () => {
  const s = new HostScheduler({ ratePerSecond: Infinity, concurrency: 4, jitterMs: [0, 0], circuitBreaker: { failures: 3, cooldownMs: 1000 } }, 10);
  s.record("a", "failed", 1, 0);
  s.record("a", "failed", 1, 0);
  assert.equal(s.waitTime("a", 0), 0, "two failures: still open for business");
  s.record("a", "failed", 1, 0);
  assert.equal(s.waitTime("a", 0), 1000, "third failure: paused for the cooldown");
  assert.equal(s.waitTime("b", 0), 0);
  s.start("a", 1000);
  assert.equal(s.waitTime("a", 1000), Infinity, "half-open: a single probe");
  s.finish("a");
  s.record("a", "failed", 1, 1000);
  assert.equal(s.waitTime("a", 1000), 2000, "the probe failed: paused twice as long");
  s.start("a", 3000);
  s.finish("a");
  s.record("a", "ok", 1, 3000);
  s.start("a", 3000);
  assert.equal(s.waitTime("a", 3000), 0, "a success closes the breaker: full concurrency again");
});
