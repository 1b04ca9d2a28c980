/**
 * MaxPoolGrad that is correct for every input. The stock wasm kernel (tfjs 4.22) routes the
 * gradient wrongly whenever a window's maximum is negative (measured: rel. error 0.4–0.99 against
 * the cpu reference on mixed-sign inputs, exact on positive ones), which happens when pooling
 * follows a linear conv or batch-norm. The replacement is a SIMD WebAssembly pass in the backend's
 * own memory (maxpool-grad-heap.ts). A JS pass over the heap came first (3× faster than stock,
 * but single-threaded JS became 15 % of a step once the convolutions ran on threads); two
 * compositions of elementwise wasm kernels were no faster than stock (PERFORMANCE.md).
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs";
import type { KernelArgs } from "./conv-grads";
import { hasHeapAccess, maxPoolGradOnHeap } from "./maxpool-grad-heap";

/** Builds the MaxPoolGrad kernel; `stock` serves backends without heap access. */
export function maxPoolGrad(_backendName: string, stock: KernelConfig | undefined) {
  return (args: KernelArgs): TensorInfo => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    if (hasHeapAccess(args.backend)) return maxPoolGradOnHeap(args.backend, dy, input, args.attrs ?? {});
    if (!stock) throw new Error("sciforge MaxPoolGrad: backend has no heap access and no stock kernel");
    return stock.kernelFunc(args as Parameters<KernelConfig["kernelFunc"]>[0]) as TensorInfo;
  };
}
