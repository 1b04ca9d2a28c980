// callbacks.curves(): one live training-curves display, redrawn in place each epoch, with the
// static PNG added only at the end; nothing is shown outside a kernel.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Tensor } from "@tensorflow/tfjs";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { tfjs } from "../../../kernel-helpers/lib/train/tf";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";
import { buildMLP } from "../../../kernel-helpers/lib/train/models/mlp";
import { fit } from "../../../kernel-helpers/lib/train/fit/fit";
import { callbacks } from "../../../kernel-helpers/lib/train/callbacks/index";
import { installFakeBridge } from "../../helpers/fake-bridge";
import { values } from "./grad-check";

function data(n: number): [Tensor, Tensor] {
  const tf = tfjs();
  const x = tf.tensor2d(values(n * 4, 7), [n, 4]);
  // Label = sign of the first feature: learnable, so the loss falls.
  const y = tf.tidy(() => tf.cast(tf.greater(tf.slice(x, [0, 0], [n, 1]).reshape([n]), 0), "float32"));
  return [x, y];
}

test("curves: one display updated in place every epoch; the last update carries the PNG", async () => {
  await useBackend("wasm", { display: false });
  const { bridge, remove } = installFakeBridge();
  try {
    const [x, y] = data(96);
    const model = buildMLP({ inputDim: 4, hidden: [8], numClasses: 2, seed: 1 });
    const h = await fit(model, x, y, { epochs: 3, batchSize: 16, seed: 1, progress: false, validationSplit: 0.25, learningRate: 1e-2, callbacks: [callbacks.curves({ metrics: ["loss", "acc"] })] });
    const outs = bridge.outputs.filter((o) => MIME.plotly in o.data);
    assert.equal(outs.length, 1 + 3 + 1, "shown at start, once per epoch, once at the end");
    assert.equal(outs[0].update, false);
    assert.ok(outs.slice(1).every((o) => o.update && o.displayId === outs[0].displayId), "updates reuse the display id");
    assert.ok(outs.slice(0, 4).every((o) => o.data[MIME.png] === undefined), "live updates skip the static picture");
    assert.ok(typeof outs[4].data[MIME.png] === "string" && (outs[4].data[MIME.png] as string).length > 1000, "the end adds a PNG");
    const traces = (outs[4].data[MIME.plotly] as { data: { name: string; y: number[] }[] }).data;
    assert.deepEqual(traces.map((t) => t.name).sort(), ["acc", "loss", "val_acc", "val_loss"]);
    assert.deepEqual(traces.find((t) => t.name === "val_loss")!.y, h.history.val_loss);
    const mid = (outs[2].data[MIME.plotly] as { data: { name: string; y: number[] }[] }).data;
    assert.equal(mid.find((t) => t.name === "loss")!.y.length, 2, "the 2nd epoch's update draws 2 points");
    tfjs().dispose([x, y]);
  } finally {
    remove();
  }
});

test("curves: default series leave out lr; outside a kernel nothing is displayed", async () => {
  await useBackend("wasm", { display: false });
  const [x, y] = data(32);
  const model = buildMLP({ inputDim: 4, hidden: [], numClasses: 2, seed: 2 });
  const written: string[] = [];
  const write = process.stdout.write;
  // Record what is written while still passing it on (the test runner reports through stdout).
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(String(chunk));
    return (write as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
  }) as typeof process.stdout.write;
  let h;
  try {
    h = await fit(model, x, y, { epochs: 2, batchSize: 16, seed: 1, progress: false, callbacks: [callbacks.curves()] });
  } finally {
    process.stdout.write = write;
  }
  assert.equal(h.epochs.length, 2);
  assert.ok(!written.join("").includes("Training curves"), "no figure text printed outside a kernel");
  const { bridge, remove } = installFakeBridge();
  try {
    await fit(model, x, y, { epochs: 1, batchSize: 16, seed: 1, progress: false, callbacks: [callbacks.curves()] });
    const last = bridge.outputs.filter((o) => MIME.plotly in o.data).at(-1)!;
    const names = (last.data[MIME.plotly] as { data: { name: string }[] }).data.map((t) => t.name).sort();
    assert.deepEqual(names, ["acc", "loss"]);
  } finally {
    remove();
    tfjs().dispose([x, y]);
  }
  assert.throws(() => callbacks.curves({ metrics: [] }), /metrics must name at least one series/);
});
