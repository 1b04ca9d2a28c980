import { test } from "node:test";
import assert from "node:assert/strict";
import { outputState, reduceOutputs, OutputCollector, type OutputChange } from "../../../extension/notebook/outputs";
import type { Output } from "../../../extension/notebook/nbformat";
import { makeMessage } from "../../../kernel-helpers/protocol/wire";
import { isIopubMessage, isMessageType, isOneOf, type MessageContents } from "../../../kernel-helpers/protocol/messages";

const msg = <T extends keyof MessageContents>(type: T, content: MessageContents[T]) => makeMessage(type, content, "s");
const kinds = (changes: OutputChange[]) => changes.map((c) => c.kind);

test("reducer: stream text merges per stream name, stdout and stderr apart", () => {
  const s = outputState();
  const out: Output[] = [];
  assert.deepEqual(kinds(reduceOutputs(s, out, msg("stream", { name: "stdout", text: "a" }))), ["append"]);
  const ext = reduceOutputs(s, out, msg("stream", { name: "stdout", text: "b\n" }));
  assert.deepEqual(ext, [{ kind: "extend", output: out[0], text: "b\n" }]);
  reduceOutputs(s, out, msg("stream", { name: "stderr", text: "e" }));
  reduceOutputs(s, out, msg("stream", { name: "stdout", text: "c" }));
  assert.deepEqual(out, [
    { output_type: "stream", name: "stdout", text: "ab\n" },
    { output_type: "stream", name: "stderr", text: "e" },
    { output_type: "stream", name: "stdout", text: "c" },
  ]);
});

test("reducer: a stream budget cuts text and drops what is left empty", () => {
  let left = 3;
  const s = outputState((t) => {
    const kept = t.slice(0, left);
    left -= kept.length;
    return kept;
  });
  const out: Output[] = [];
  reduceOutputs(s, out, msg("stream", { name: "stdout", text: "abcd" }));
  assert.deepEqual(reduceOutputs(s, out, msg("stream", { name: "stdout", text: "more" })), []);
  assert.deepEqual(out, [{ output_type: "stream", name: "stdout", text: "abc" }]);
});

test("reducer: display_data and execute_result are outputs, a display between streams ends the merge", () => {
  const s = outputState();
  const out: Output[] = [];
  reduceOutputs(s, out, msg("stream", { name: "stdout", text: "x" }));
  const d = reduceOutputs(s, out, msg("display_data", { data: { "text/plain": "d" }, metadata: { m: 1 }, transient: { display_id: "id1" } }));
  assert.deepEqual(d, [{ kind: "append", output: out[1], displayId: "id1" }]);
  reduceOutputs(s, out, msg("stream", { name: "stdout", text: "y" }));
  reduceOutputs(s, out, msg("execute_result", { data: { "text/plain": "3" }, metadata: {}, execution_count: 7 }));
  assert.deepEqual(out.slice(1), [
    { output_type: "display_data", data: { "text/plain": "d" }, metadata: { m: 1 } },
    { output_type: "stream", name: "stdout", text: "y" },
    { output_type: "execute_result", execution_count: 7, data: { "text/plain": "3" }, metadata: {} },
  ]);
});

test("reducer: update_display_data rewrites every output under its display_id, in any cell's list", () => {
  const s = outputState();
  const a: Output[] = [];
  const b: Output[] = [];
  reduceOutputs(s, a, msg("display_data", { data: { "text/plain": "v1" }, metadata: {}, transient: { display_id: "d" } }));
  reduceOutputs(s, b, msg("display_data", { data: { "text/plain": "v1" }, metadata: {}, transient: { display_id: "d" } }));
  reduceOutputs(s, b, msg("display_data", { data: { "text/plain": "other" }, metadata: {}, transient: { display_id: "e" } }));
  const u = reduceOutputs(s, b, msg("update_display_data", { data: { "text/plain": "v2" }, metadata: { x: 1 }, transient: { display_id: "d" } }));
  assert.equal(u.length, 1);
  assert.equal(u[0].kind, "update");
  assert.deepEqual(u[0].kind === "update" && [u[0].displayId, u[0].data, u[0].outputs.length], ["d", { "text/plain": "v2" }, 2]);
  assert.deepEqual(a, [{ output_type: "display_data", data: { "text/plain": "v2" }, metadata: { x: 1 } }]);
  assert.deepEqual(b.map((o) => (o.output_type === "display_data" ? o.data["text/plain"] : null)), ["v2", "other"]);
  assert.equal(b.length, 2, "an update adds no output");
  assert.deepEqual(reduceOutputs(s, b, msg("update_display_data", { data: {}, metadata: {} })), [], "no display_id: nothing to update");
});

test("reducer: error becomes an error output", () => {
  const out: Output[] = [];
  reduceOutputs(outputState(), out, msg("error", { ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function", "    at <cell>"] }));
  assert.deepEqual(out, [{ output_type: "error", ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function", "    at <cell>"] }]);
});

test("reducer: clear_output clears at once, clear_output(wait=true) at the next output only", () => {
  const s = outputState();
  const out: Output[] = [];
  reduceOutputs(s, out, msg("stream", { name: "stdout", text: "old" }));
  assert.deepEqual(kinds(reduceOutputs(s, out, msg("clear_output", { wait: false }))), ["clear"]);
  assert.deepEqual(out, []);
  reduceOutputs(s, out, msg("stream", { name: "stdout", text: "frame 1" }));
  assert.deepEqual(reduceOutputs(s, out, msg("clear_output", { wait: true })), []);
  assert.equal(out.length, 1, "wait: the old output stays until something replaces it");
  assert.deepEqual(reduceOutputs(s, out, msg("status", { execution_state: "busy" })), [], "status is no output: still waiting");
  reduceOutputs(s, out, msg("update_display_data", { data: {}, metadata: {}, transient: { display_id: "nope" } }));
  assert.equal(out.length, 1, "an update is no new output: still waiting");
  const c = reduceOutputs(s, out, msg("stream", { name: "stdout", text: "frame 2" }));
  assert.deepEqual(kinds(c), ["clear", "append"], "cleared, then the new output (not merged into the cleared stream)");
  assert.deepEqual(out, [{ output_type: "stream", name: "stdout", text: "frame 2" }]);
  reduceOutputs(s, out, msg("clear_output", { wait: true }));
  reduceOutputs(s, out, msg("display_data", { data: { "text/plain": "d" }, metadata: {} }));
  assert.deepEqual(out, [{ output_type: "display_data", data: { "text/plain": "d" }, metadata: {} }]);
});

test("reducer: non-output messages change nothing; OutputCollector says which messages are outputs", () => {
  const out: Output[] = [];
  const s = outputState();
  for (const m of [msg("status", { execution_state: "idle" }), msg("execute_input", { code: "1", execution_count: 1 }), msg("comm_msg", { comm_id: "c", data: {} })]) {
    assert.deepEqual(reduceOutputs(s, out, m), []);
  }
  const c = new OutputCollector();
  assert.equal(c.add(out, msg("status", { execution_state: "idle" })), false);
  assert.equal(c.add(out, msg("clear_output", { wait: true })), true);
  assert.equal(c.add(out, msg("stream", { name: "stdout", text: "a" })), true);
});

test("message guards narrow on header.msg_type", () => {
  const m = msg("execute_input", { code: "x", execution_count: 4 });
  assert.ok(isIopubMessage(m));
  assert.ok(isMessageType(m, "execute_input") && m.content.execution_count === 4);
  assert.ok(!isMessageType(m, "stream"));
  assert.ok(isOneOf(m, ["stream", "execute_input"]));
  assert.ok(!isIopubMessage(makeMessage("kernel_info_reply", {}, "s")));
});
