/**
 * Registers the training kernels the wasm backend lacks (or runs slowly), built from its own
 * fast forward kernels. Idempotent; the stock kernels are kept and can be restored.
 */
import type { KernelConfig, KernelFunc } from "@tensorflow/tfjs";
import { tfjs } from "../tf";
import { conv2dBackpropFilter, conv2dBackpropInput, depthwiseBackpropFilter, depthwiseBackpropInput } from "./conv-grads";
import { maxPoolGrad } from "./maxpool-grad";

const BACKEND = "wasm";
const builders: Record<string, (backend: string, stock: KernelConfig | undefined) => unknown> = {
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Conv2DBackpropInput: conv2dBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  MaxPoolGrad: maxPoolGrad,
};

const stock = new Map<string, KernelConfig | undefined>();
let installed = false;

/** Names of the kernels `registerWasmTrainingKernels` provides. */
export const WASM_TRAINING_KERNELS: readonly string[] = Object.keys(builders);

/**
 * Registers Conv2DBackpropFilter, a faster Conv2DBackpropInput and MaxPoolGrad, and the depthwise gradients for
 * the wasm backend (tf.registerKernel with kernels composed from wasm's Conv2D, Transpose, PadV2,
 * Reverse…). Safe to call repeatedly. Returns the kernel names registered.
 */
export function registerWasmTrainingKernels(): string[] {
  if (installed) return [...WASM_TRAINING_KERNELS];
  const tf = tfjs();
  for (const [name, build] of Object.entries(builders)) {
    const prev = tf.getKernel(name, BACKEND);
    stock.set(name, prev);
    if (prev) tf.unregisterKernel(name, BACKEND);
    // Keep the stock setupFunc: it initialises the stock kernel (our fallback) when the backend starts.
    tf.registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc: build(BACKEND, prev) as KernelFunc, setupFunc: prev?.setupFunc });
  }
  installed = true;
  return [...WASM_TRAINING_KERNELS];
}

/** Restores the wasm backend's stock kernels (for comparisons and benchmarks). */
export function unregisterWasmTrainingKernels(): void {
  if (!installed) return;
  const tf = tfjs();
  for (const name of WASM_TRAINING_KERNELS) {
    tf.unregisterKernel(name, BACKEND);
    const prev = stock.get(name);
    if (prev) tf.registerKernel(prev);
  }
  installed = false;
}

/** True while the Sciforge wasm training kernels are registered. */
export function wasmTrainingKernelsInstalled(): boolean {
  return installed;
}
