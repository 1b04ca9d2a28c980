/**
 * MaxPoolGrad that is correct for every input. The stock wasm kernel (tfjs 4.22) routes the
 * gradient wrongly whenever a window's maximum is negative (measured: rel. error 0.4–0.99 against
 * the cpu reference on mixed-sign inputs, exact on positive ones), which happens when pooling
 * follows a linear conv or batch-norm. The replacement is a single JS pass over the wasm heap
 * (maxpool-grad-js.ts). Two compositions of elementwise wasm kernels were measured first: no
 * faster than the stock kernel for 2×2/2 and 4–7× slower for overlapping windows (PERFORMANCE.md).
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs";
import type { KernelArgs } from "./conv-grads";
import { hasHeapAccess, maxPoolGradOnHeap } from "./maxpool-grad-js";

/** Builds the MaxPoolGrad kernel; `stock` serves backends without heap access. */
export function maxPoolGrad(_backendName: string, stock: KernelConfig | undefined) {
  return (args: KernelArgs): TensorInfo => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    if (hasHeapAccess(args.backend)) return maxPoolGradOnHeap(args.backend, dy, input, args.attrs ?? {});
    if (!stock) throw new Error("sciforge MaxPoolGrad: backend has no heap access and no stock kernel");
    return stock.kernelFunc(args as Parameters<KernelConfig["kernelFunc"]>[0]) as TensorInfo;
  };
}
