import { test } from "node:test";
import assert from "node:assert/strict";
import type { Tensor, Tensor4D, Tensor3D } from "@tensorflow/tfjs";
import { tfjs } from "../../../kernel-helpers/lib/train/tf";
import { registerWasmTrainingKernels } from "../../../kernel-helpers/lib/train/kernels/register";
import { gradsOn, relError, values } from "./grad-check";
import { conv2dBackpropFilterIm2col } from "../../../kernel-helpers/lib/train/kernels/conv-grads";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";

const TOL = 1e-4;

type Case = { name: string; x: number[]; f: number[]; stride: number | [number, number]; pad: "same" | "valid"; dil?: number };

const conv2dCases: Case[] = [
  { name: "3x3 same s1", x: [2, 8, 8, 3], f: [3, 3, 3, 4], stride: 1, pad: "same" },
  { name: "3x3 valid s1", x: [2, 7, 9, 2], f: [3, 3, 2, 5], stride: 1, pad: "valid" },
  { name: "3x3 same s2 odd", x: [3, 9, 7, 3], f: [3, 3, 3, 4], stride: 2, pad: "same" },
  { name: "3x3 valid s2 odd", x: [2, 11, 10, 2], f: [3, 3, 2, 3], stride: 2, pad: "valid" },
  { name: "5x5 same s1", x: [1, 10, 10, 2], f: [5, 5, 2, 3], stride: 1, pad: "same" },
  { name: "2x4 same s(2,3)", x: [2, 9, 13, 2], f: [2, 4, 2, 3], stride: [2, 3], pad: "same" },
  { name: "1x1 s1", x: [4, 5, 5, 6], f: [1, 1, 6, 7], stride: 1, pad: "valid" },
  { name: "1x1 s2", x: [2, 6, 7, 3], f: [1, 1, 3, 2], stride: 2, pad: "same" },
  { name: "7x7 same s2", x: [1, 15, 15, 3], f: [7, 7, 3, 4], stride: 2, pad: "same" },
  { name: "4x4 same s3 odd", x: [2, 10, 11, 1], f: [4, 4, 1, 2], stride: 3, pad: "same" },
  { name: "kernel = input", x: [2, 5, 5, 2], f: [5, 5, 2, 3], stride: 1, pad: "valid" },
];

test("conv2d gradients on wasm match the cpu reference", async () => {
  const tf = tfjs();
  registerWasmTrainingKernels();
  for (const c of conv2dCases) {
    const fn = (x: Tensor, f: Tensor) => tf.conv2d(x as Tensor4D, f as Tensor4D, c.stride, c.pad);
    const ref = await gradsOn("cpu", [c.x, c.f], fn);
    const got = await gradsOn("wasm", [c.x, c.f], fn);
    assert.ok(relError(got[0], ref[0]) < TOL, `${c.name}: dx rel err ${relError(got[0], ref[0])}`);
    assert.ok(relError(got[1], ref[1]) < TOL, `${c.name}: dW rel err ${relError(got[1], ref[1])}`);
  }
});

test("conv2d forward with dilation on wasm matches cpu (tfjs has no dilated conv2d gradient)", async () => {
  const tf = tfjs();
  for (const [x, f, d, pad] of [
    [[2, 12, 11, 3], [3, 3, 3, 4], 2, "same"],
    [[1, 13, 13, 2], [3, 2, 2, 3], 3, "valid"],
  ] as Array<[number[], number[], number, "same" | "valid"]>) {
    const run = async (b: string) => {
      await tf.setBackend(b);
      const { values } = await import("./grad-check");
      return tf.tidy(() =>
        tf.conv2d(tf.tensor4d(values(x.reduce((a, b) => a * b), 3), x as [number, number, number, number]),
          tf.tensor4d(values(f.reduce((a, b) => a * b), 5), f as [number, number, number, number]), 1, pad, "NHWC", d).dataSync());
    };
    const ref = await run("cpu");
    const got = await run("wasm");
    assert.ok(relError(got, ref) < TOL);
  }
});

test("conv1d gradients on wasm match cpu (sequence / spectra paths)", async () => {
  const tf = tfjs();
  registerWasmTrainingKernels();
  const cases: Array<{ x: number[]; f: number[]; s: number; pad: "same" | "valid" }> = [
    { x: [3, 50, 4], f: [7, 4, 8], s: 1, pad: "same" },
    { x: [2, 33, 4], f: [5, 4, 3], s: 2, pad: "valid" },
    { x: [2, 64, 1], f: [9, 1, 4], s: 3, pad: "same" },
  ];
  for (const c of cases) {
    const fn = (x: Tensor, f: Tensor) => tf.conv1d(x as Tensor3D, f as Tensor3D, c.s, c.pad);
    const ref = await gradsOn("cpu", [c.x, c.f], fn);
    const got = await gradsOn("wasm", [c.x, c.f], fn);
    for (let i = 0; i < 2; i++) assert.ok(relError(got[i], ref[i]) < TOL, `conv1d ${JSON.stringify(c)} grad ${i}: ${relError(got[i], ref[i])}`);
  }
});

test("depthwise conv gradients on wasm match cpu (multipliers, strides, dilation)", async () => {
  const tf = tfjs();
  registerWasmTrainingKernels();
  const cases: Array<{ x: number[]; f: number[]; s: number; pad: "same" | "valid"; d: number }> = [
    { x: [2, 8, 8, 3], f: [3, 3, 3, 1], s: 1, pad: "same", d: 1 },
    { x: [2, 9, 7, 2], f: [3, 3, 2, 3], s: 2, pad: "same", d: 1 },
    { x: [2, 10, 10, 4], f: [5, 5, 4, 1], s: 2, pad: "valid", d: 1 },
  ];
  for (const c of cases) {
    const fn = (x: Tensor, f: Tensor) => tf.depthwiseConv2d(x as Tensor4D, f as Tensor4D, c.s, c.pad, "NHWC", c.d);
    const ref = await gradsOn("cpu", [c.x, c.f], fn);
    const got = await gradsOn("wasm", [c.x, c.f], fn);
    for (let i = 0; i < 2; i++) assert.ok(relError(got[i], ref[i]) < TOL, `depthwise ${JSON.stringify(c)} grad ${i}: ${relError(got[i], ref[i])}`);
  }
});

test("depthwise gradient kernels with dilation match a reference built from the forward op", async () => {
  const tf = tfjs();
  registerWasmTrainingKernels();
  const { values } = await import("./grad-check");
  const x = [1, 11, 12, 2], f = [3, 3, 2, 2];
  const attrs = { strides: [1, 1], pad: "valid", dilations: [2, 2], filterShape: f, inputShape: x };
  const dyShape = [1, 7, 8, 4];
  const run = async (b: string) => {
    await tf.setBackend(b);
    return tf.tidy(() => {
      const xt = tf.tensor(values(264, 1), x), ft = tf.tensor(values(36, 2), f), dy = tf.tensor(values(224, 3), dyShape);
      const e = tf.engine();
      const dW = e.runKernel("DepthwiseConv2dNativeBackpropFilter", { x: xt, dy }, attrs) as Tensor;
      const dX = e.runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: ft }, attrs) as Tensor;
      return [dW.dataSync(), dX.dataSync()];
    });
  };
  const ref = await run("cpu");
  const got = await run("wasm");
  // cpu's DepthwiseConv2dNativeBackpropFilter ignores dilation, so the dW reference is built from
  // the (dilation-aware) forward op: <dy, conv(x, W)> is linear in W, so dW[k] = <dy, conv(x, e_k)>.
  await tf.setBackend("cpu");
  const dWref = tf.tidy(() => {
    const xt = tf.tensor4d(values(264, 1), x as [number, number, number, number]);
    const dy = tf.tensor(values(224, 3), dyShape);
    const out = new Float32Array(36);
    for (let k = 0; k < 36; k++) {
      const e = new Float32Array(36); e[k] = 1;
      const y = tf.depthwiseConv2d(xt, tf.tensor4d(e, f as [number, number, number, number]), 1, "valid", "NHWC", 2);
      out[k] = tf.sum(tf.mul(y, dy)).dataSync()[0];
    }
    return out;
  });
  assert.ok(relError(got[0], dWref) < TOL, `dW ${relError(got[0], dWref)}`);
  void ref;
  const dXref = tf.tidy(() => {
    const ft = tf.tensor4d(values(36, 2), f as [number, number, number, number]);
    const dy = tf.tensor(values(224, 3), dyShape);
    const out = new Float32Array(264);
    for (let k = 0; k < 264; k++) {
      const e = new Float32Array(264); e[k] = 1;
      const y = tf.depthwiseConv2d(tf.tensor4d(e, x as [number, number, number, number]), ft, 1, "valid", "NHWC", 2);
      out[k] = tf.sum(tf.mul(y, dy)).dataSync()[0];
    }
    return out;
  });
  assert.ok(relError(got[1], dXref) < TOL, `dX ${relError(got[1], dXref)}`);
});

test("max-pool gradients on wasm match cpu, ties and odd sizes included", async () => {
  const tf = tfjs();
  registerWasmTrainingKernels();
  const cases: Array<{ x: number[]; k: number | [number, number]; s: number | [number, number]; pad: "same" | "valid"; ties?: boolean }> = [
    { x: [2, 8, 8, 3], k: 2, s: 2, pad: "valid" },
    { x: [2, 8, 6, 3], k: 2, s: 2, pad: "same" },
    { x: [2, 9, 7, 2], k: 2, s: 2, pad: "valid" },
    { x: [1, 9, 9, 2], k: 3, s: 3, pad: "valid" },
    { x: [2, 8, 9, 2], k: [2, 3], s: [2, 3], pad: "valid" },
    { x: [2, 8, 8, 3], k: 2, s: 2, pad: "valid", ties: true },
    // Overlapping / padded windows (the general composition).
    { x: [2, 9, 9, 2], k: 3, s: 2, pad: "same" },
    { x: [2, 7, 7, 2], k: 2, s: 2, pad: "same" },
    { x: [1, 10, 11, 3], k: 3, s: 1, pad: "same" },
    { x: [2, 9, 8, 2], k: 3, s: 2, pad: "valid" },
    { x: [2, 9, 9, 2], k: 3, s: 2, pad: "same", ties: true },
  ];
  for (const c of cases) {
    // Ties: quantised inputs (many equal maxima per window), where the first position must win.
    const fn = (x: Tensor) => tf.maxPool((c.ties ? tf.round(tf.mul(tf.relu(x), 2)) : x) as Tensor4D, c.k, c.s, c.pad);
    const ref = await gradsOn("cpu", [c.x], fn);
    const got = await gradsOn("wasm", [c.x], fn);
    assert.ok(relError(got[0], ref[0]) < TOL, `maxPool ${JSON.stringify(c)}: ${relError(got[0], ref[0])}`);
  }
});

test("avg-pool gradients (stock wasm) match cpu", async () => {
  const tf = tfjs();
  for (const [x, k, st, pad] of [[[2, 8, 8, 3], 2, 2, "valid"], [[2, 9, 9, 2], 3, 2, "same"]] as Array<[number[], number, number, "same" | "valid"]>) {
    const fn = (t: Tensor) => tf.avgPool(t as Tensor4D, k, st, pad);
    const ref = await gradsOn("cpu", [x], fn);
    const got = await gradsOn("wasm", [x], fn);
    assert.ok(relError(got[0], ref[0]) < TOL, `avgPool ${k}/${st} ${pad}: ${relError(got[0], ref[0])}`);
  }
});

test("stock wasm: Conv2DBackpropFilter is missing and MaxPoolGrad is wrong without Sciforge's kernels", async () => {
  const tf = tfjs();
  const { unregisterWasmTrainingKernels } = await import("../../../kernel-helpers/lib/train/kernels/register");
  unregisterWasmTrainingKernels();
  try {
    await assert.rejects(gradsOn("wasm", [[1, 5, 5, 1], [3, 3, 1, 2]], (x: Tensor, f: Tensor) => tf.conv2d(x as Tensor4D, f as Tensor4D, 1, "same")), /Conv2DBackpropFilter/);
    // …and its stock MaxPoolGrad is wrong when a window's maximum is negative (mixed-sign inputs).
    const pool = (x: Tensor) => tf.maxPool(x as Tensor4D, 2, 2, "valid");
    const ref = await gradsOn("cpu", [[2, 8, 8, 2]], pool);
    const stock = await gradsOn("wasm", [[2, 8, 8, 2]], pool);
    assert.ok(relError(stock[0], ref[0]) > 0.1);
  } finally {
    registerWasmTrainingKernels();
  }
});

test("the gradient check can fail: a wrong kernel is caught", async () => {
  const tf = tfjs();
  const fn = (x: Tensor, f: Tensor) => tf.conv2d(x as Tensor4D, f as Tensor4D, 1, "same");
  const ref = await gradsOn("cpu", [[1, 5, 5, 2], [3, 3, 2, 2]], fn);
  const other = await gradsOn("cpu", [[1, 5, 5, 2], [3, 3, 2, 2]], fn, 2);
  assert.ok(relError(other[1], ref[1]) > TOL);
});

test("wasm kernels free their temporaries", async () => {
  const tf = tfjs();
  registerWasmTrainingKernels();
  await tf.setBackend("wasm");
  const x = tf.randomNormal([2, 9, 9, 3]) as Tensor4D;
  const f = tf.randomNormal([3, 3, 3, 4]) as Tensor4D;
  const g = tf.grads((a: Tensor, b: Tensor) => tf.conv2d(a as Tensor4D, b as Tensor4D, 2, "same"));
  tf.dispose(g([x, f]));
  const wasmBytes = () => (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds();
  const n0 = wasmBytes();
  for (let i = 0; i < 3; i++) tf.dispose(g([x, f]));
  assert.equal(wasmBytes(), n0);
  tf.dispose([x, f]);
});

test("the GPU filter gradient (im2col + one split-K matmul) matches cpu's Conv2DBackpropFilter: strides, padding, odd sizes", async () => {
  // Built from a backend's own Slice/StridedSlice/Concat/BatchMatMul, so its maths can be checked on cpu here;
  // on webgpu the same composition runs on the GPU (checked on an H200 by test/gpu's probe).
  const tf = tfjs();
  await tf.setBackend("cpu");
  const cpu = tf.backend();
  const cases: Array<{ x: [number, number, number, number]; f: [number, number, number, number]; s: number | [number, number]; pad: "same" | "valid" }> = [
    { x: [2, 9, 9, 3], f: [3, 3, 3, 4], s: 1, pad: "same" },
    { x: [2, 9, 8, 3], f: [3, 3, 3, 5], s: 2, pad: "same" },
    { x: [3, 10, 7, 2], f: [3, 2, 2, 4], s: [2, 1], pad: "valid" },
    { x: [1, 12, 12, 1], f: [5, 5, 1, 6], s: 3, pad: "same" },
    { x: [2, 6, 6, 4], f: [1, 1, 4, 3], s: 1, pad: "valid" },
  ];
  try {
    for (const c of cases) {
      const x = tf.tensor4d(values(c.x.reduce((a, b) => a * b), 7), c.x);
      const out = tf.conv2d(x, tf.zeros(c.f) as Tensor4D, c.s, c.pad);
      const dy = tf.tensor4d(values(out.size, 9), out.shape as [number, number, number, number]);
      const attrs = { strides: c.s, pad: c.pad, dataFormat: "NHWC", dimRoundingMode: undefined, filterShape: c.f };
      const ref = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, attrs as never) as Tensor;
      const info = conv2dBackpropFilterIm2col("cpu")({ inputs: { x, dy }, backend: cpu, attrs: attrs as never });
      const got = tf.engine().makeTensorFromTensorInfo(info);
      assert.deepEqual(got.shape, c.f);
      assert.ok(relError(Array.from(got.dataSync()), Array.from(ref.dataSync())) < 1e-5, `${JSON.stringify(c)}: ${relError(Array.from(got.dataSync()), Array.from(ref.dataSync()))}`);
      tf.dispose([x, out, dy, ref, got]);
    }
  } finally {
    await useBackend("wasm", { display: false });
  }
});
