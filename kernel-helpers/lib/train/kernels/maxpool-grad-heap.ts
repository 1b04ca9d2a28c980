/**
 * MaxPoolGrad computed in the wasm backend's own memory by a small SIMD WebAssembly module
 * (maxpool-grad.wat, assembled into maxpool-grad-wasm.ts), which imports that memory: no copies.
 * For each output position and channel, the first maximum of the window (row-major, padding
 * excluded; NaN and -∞ never win — the cpu reference's rule) receives dy.
 */
import type { KernelBackend, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";
import { tfjs } from "../tf";
import { MAXPOOL_GRAD_WASM, MAXPOOL_GRAD_WASM_SHARED } from "./maxpool-grad-wasm";

/** The wasm backend's members this kernel uses (public on BackendWasm). */
interface HeapBackend {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
}

type MaxPoolGradFn = (...args: number[]) => void;

const instances = new WeakMap<WebAssembly.Memory, MaxPoolGradFn>();

function memoryOf(backend: KernelBackend): WebAssembly.Memory | undefined {
  const b = backend as unknown as Partial<HeapBackend>;
  // the threaded build creates its memory in JS (Module.wasmMemory); the stock build exports it
  return b.wasm?.wasmMemory ?? b.wasm?.asm?.memory;
}

/** Whether `backend` exposes its memory and tensor offsets the way the wasm backend does. */
export function hasHeapAccess(backend: KernelBackend): boolean {
  const b = backend as unknown as Partial<HeapBackend>;
  return memoryOf(backend) instanceof WebAssembly.Memory && typeof b.makeOutput === "function" && typeof b.dataIdMap?.get === "function";
}

/** The kernel instantiated on `memory` (once per memory). */
function kernelFor(memory: WebAssembly.Memory): MaxPoolGradFn {
  let fn = instances.get(memory);
  if (!fn) {
    const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
    const bytes = Buffer.from(shared ? MAXPOOL_GRAD_WASM_SHARED : MAXPOOL_GRAD_WASM, "base64");
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    fn = instance.exports.maxpool_grad as MaxPoolGradFn;
    instances.set(memory, fn);
  }
  return fn;
}

function pair(v: unknown): [number, number] {
  return typeof v === "number" ? [v, v] : [(v as number[])[0], (v as number[])[1]];
}

/** Computes dx for MaxPool with `attrs` into a new wasm tensor. */
export function maxPoolGradOnHeap(backend: KernelBackend, dy: TensorInfo, input: TensorInfo, attrs: NamedAttrMap): TensorInfo {
  const heap = backend as unknown as HeapBackend;
  const info = tfjs().backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    pair(attrs.filterSize),
    pair(attrs.strides),
    1,
    attrs.pad as "same",
    attrs.dimRoundingMode as "floor" | undefined,
  );
  const out = heap.makeOutput(input.shape, "float32");
  const at = (t: TensorInfo) => heap.dataIdMap.get(t.dataId)!.memoryOffset;
  const [B, H, W, C] = input.shape;
  kernelFor(memoryOf(backend)!)(
    at(input), at(dy), at(out), B, H, W, C,
    info.outHeight, info.outWidth, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
  );
  return out;
}
