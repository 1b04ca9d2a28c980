/**
 * Registers Sciforge's training kernels on a backend, built from that backend's own fast kernels:
 * on wasm the gradients it lacks or runs slowly (or wrongly, MaxPoolGrad); on webgpu a filter
 * gradient that uses the GPU (its stock one runs one thread per filter element). Idempotent; the
 * stock kernels are kept and can be restored.
 */
import type { KernelConfig, KernelFunc } from "@tensorflow/tfjs";
import { tfjs } from "../tf";
import { conv2dBackpropFilter, conv2dBackpropFilterIm2col, conv2dBackpropInput, depthwiseBackpropFilter, depthwiseBackpropInput } from "./conv-grads";
import { maxPoolGrad } from "./maxpool-grad";

type Builder = (backend: string, stock: KernelConfig | undefined) => unknown;

const BUILDERS: Record<string, Record<string, Builder>> = {
  wasm: {
    Conv2DBackpropFilter: conv2dBackpropFilter,
    Conv2DBackpropInput: conv2dBackpropInput,
    DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
    DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
    MaxPoolGrad: maxPoolGrad,
  },
  webgpu: {
    Conv2DBackpropFilter: conv2dBackpropFilterIm2col,
  },
};

const stock = new Map<string, KernelConfig | undefined>();
const installed = new Set<string>();

/** Names of the kernels `registerWasmTrainingKernels` provides. */
export const WASM_TRAINING_KERNELS: readonly string[] = Object.keys(BUILDERS.wasm);

/**
 * Registers Sciforge's training kernels for `backendName` (none for backends that need none).
 * Safe to call repeatedly. Returns the kernel names registered.
 */
export function registerTrainingKernels(backendName: string): string[] {
  const builders = BUILDERS[backendName] ?? {};
  if (installed.has(backendName)) return Object.keys(builders);
  const tf = tfjs();
  for (const [name, build] of Object.entries(builders)) {
    const prev = tf.getKernel(name, backendName);
    stock.set(`${backendName}/${name}`, prev);
    if (prev) tf.unregisterKernel(name, backendName);
    // Keep the stock setupFunc: it initialises the stock kernel (our fallback) when the backend starts.
    tf.registerKernel({ kernelName: name, backendName, kernelFunc: build(backendName, prev) as KernelFunc, setupFunc: prev?.setupFunc });
  }
  installed.add(backendName);
  return Object.keys(builders);
}

/** Restores the stock kernels of `backendName` (for comparisons and benchmarks). */
export function unregisterTrainingKernels(backendName: string): void {
  if (!installed.has(backendName)) return;
  const tf = tfjs();
  for (const name of Object.keys(BUILDERS[backendName] ?? {})) {
    tf.unregisterKernel(name, backendName);
    const prev = stock.get(`${backendName}/${name}`);
    if (prev) tf.registerKernel(prev);
  }
  installed.delete(backendName);
}

/**
 * Registers Conv2DBackpropFilter, a faster Conv2DBackpropInput and MaxPoolGrad, and the depthwise gradients for
 * the wasm backend (kernels composed from wasm's Conv2D, Transpose, PadV2, Reverse…, and a SIMD
 * WebAssembly MaxPoolGrad). Returns the kernel names registered.
 */
export function registerWasmTrainingKernels(): string[] {
  return registerTrainingKernels("wasm");
}

/** Restores the wasm backend's stock kernels. */
export function unregisterWasmTrainingKernels(): void {
  unregisterTrainingKernels("wasm");
}

/** True while the Sciforge wasm training kernels are registered. */
export function wasmTrainingKernelsInstalled(): boolean {
  return installed.has("wasm");
}
