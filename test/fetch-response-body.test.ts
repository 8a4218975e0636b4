import { test } from "node:test";
import assert from "node:assert/strict";
import { ResponseBody } from "../src/fetch/response-body.js";

function recorder() {
  const events: string[] = [];
  return { events, sink: { data: (c: Buffer) => void events.push(`data:${c}`), end: () => void events.push("end"), error: (e: unknown) => void events.push(`error:${(e as Error).message}`) } };
}

test("chunks that arrive before the reader attaches are given to it first, in order", () => {
  const body = new ResponseBody(() => {}, () => {});
  body.push(Buffer.from("a"));
  body.push(Buffer.from("b"));
  body.finish();
  const r = recorder();
  body.read(r.sink);
  assert.deepEqual(r.events, ["data:a", "data:b", "end"]);
  assert.throws(() => body.read(r.sink), /one reader/);
});

test("an error ends the body once; later chunks and ends are ignored", () => {
  const body = new ResponseBody(() => {}, () => {});
  const r = recorder();
  body.read(r.sink);
  body.push(Buffer.from("x"));
  body.fail(new Error("reset"));
  body.push(Buffer.from("y"));
  body.finish();
  assert.deepEqual(r.events, ["data:x", "error:reset"]);
});

test("pause asks the connection to stop; resume restarts it once", () => {
  let resumed = 0;
  const body = new ResponseBody(() => void resumed++, () => {});
  body.read(recorder().sink);
  assert.equal(body.push(Buffer.from("1")), true);
  body.pause();
  assert.equal(body.push(Buffer.from("2")), false, "the handler tells undici to pause");
  body.resume();
  body.resume();
  assert.equal(resumed, 1);
  assert.equal(body.push(Buffer.from("3")), true);
});

test("destroy aborts the request and the reader hears nothing more; dump drops a body past its limit", async () => {
  const aborted: string[] = [];
  const body = new ResponseBody(() => {}, (e) => void aborted.push(e.message));
  const r = recorder();
  body.read(r.sink);
  body.destroy();
  body.push(Buffer.from("late"));
  body.fail(new Error("aborted"));
  assert.deepEqual(r.events, []);
  assert.equal(aborted.length, 1);

  const big = new ResponseBody(() => {}, (e) => void aborted.push(e.message));
  const dumped = big.dump(4);
  big.push(Buffer.from("12345"));
  await dumped;
  assert.equal(aborted.length, 2, "a body over the limit drops the connection");

  const small = new ResponseBody(() => {}, () => assert.fail("a small body keeps the connection"));
  const done = small.dump(4);
  small.push(Buffer.from("12"));
  small.finish();
  await done;
});
