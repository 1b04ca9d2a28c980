/**
 * The WebGPU rung: Dawn (npm `webgpu`) gives Node a `navigator.gpu`; tfjs-backend-webgpu runs on it.
 * Detection asks Dawn for an adapter and refuses software adapters (slower than wasm).
 */
import type { DawnModule, GpuAdapterLike, LadderEnvironment } from "./environment";
import type { GpuAdapterSummary } from "./types";

/** Result of looking for a usable WebGPU adapter. */
export interface AdapterProbe {
  ok: boolean;
  reason: string;
  adapter?: GpuAdapterSummary;
  dawn?: DawnModule;
  gpu?: ReturnType<DawnModule["create"]>;
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|softpipe/i;

/** Reads an adapter's description (adapter.info, or the older requestAdapterInfo()). */
export async function describeAdapter(adapter: GpuAdapterLike): Promise<GpuAdapterSummary> {
  let info = adapter.info;
  if (!info && typeof adapter.requestAdapterInfo === "function") info = await adapter.requestAdapterInfo();
  info = info ?? {};
  const device = info.device ?? "";
  const description = info.description ?? "";
  return {
    vendor: info.vendor ?? "",
    architecture: info.architecture ?? "",
    device,
    description,
    // Dawn names the GPU in `device` and the driver in `description` ("NVIDIA: 580.159.03").
    driver: device && description && description !== device ? description : "",
    isFallbackAdapter: adapter.isFallbackAdapter === true,
  };
}

/** The GPU's own name: "NVIDIA H200" (the device, else the description or vendor). */
export function gpuName(a: Pick<GpuAdapterSummary, "device" | "description" | "vendor">): string {
  return a.device || a.description || a.vendor || "unnamed adapter";
}

/** A short human name for an adapter ("NVIDIA H200 (nvidia hopper)"). */
export function adapterName(a: GpuAdapterSummary): string {
  const main = gpuName(a);
  const extra = [a.vendor, a.architecture].filter((s) => s && !main.toLowerCase().includes(s.toLowerCase())).join(" ");
  return extra ? `${main} (${extra})` : main;
}

/**
 * Looks for a hardware WebGPU adapter through Dawn. Never throws: a missing package, a Dawn
 * that cannot load, no adapter, or a software adapter each give `ok: false` with the reason.
 */
export async function probeWebGpuAdapter(env: LadderEnvironment): Promise<AdapterProbe> {
  if (!env.resolve("webgpu")) return { ok: false, reason: "npm package webgpu (Dawn) not installed" };
  if (!env.resolve("@tensorflow/tfjs-backend-webgpu")) return { ok: false, reason: "@tensorflow/tfjs-backend-webgpu not installed" };
  let dawn: DawnModule;
  try {
    dawn = env.loadDawn();
  } catch (e) {
    return { ok: false, reason: `Dawn failed to load: ${(e as Error).message.split("\n")[0]}` };
  }
  let gpu: ReturnType<DawnModule["create"]>;
  let adapter: GpuAdapterLike | null;
  try {
    gpu = dawn.create([]);
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (e) {
    return { ok: false, reason: `Dawn adapter request failed: ${(e as Error).message.split("\n")[0]}` };
  }
  if (!adapter) {
    return { ok: false, reason: "no adapter (Dawn found no Vulkan/Metal/D3D12 GPU driver that it accepts)" };
  }
  const summary = await describeAdapter(adapter);
  const text = `${summary.description} ${summary.device} ${summary.architecture}`;
  if (summary.isFallbackAdapter || SOFTWARE.test(text)) {
    return { ok: false, reason: `software adapter only (${adapterName(summary)}): slower than wasm`, adapter: summary };
  }
  return { ok: true, reason: `adapter ${adapterName(summary)}`, adapter: summary, dawn, gpu };
}

/**
 * Makes the Dawn adapter visible to tfjs (globals + navigator.gpu) and loads
 * tfjs-backend-webgpu, which registers the "webgpu" backend only when navigator.gpu exists.
 */
export function exposeWebGpu(probe: AdapterProbe, env: LadderEnvironment): void {
  if (!probe.dawn || !probe.gpu) throw new Error("exposeWebGpu: no adapter");
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(probe.dawn.globals)) if (!(k in g)) g[k] = v;
  const nav = (g.navigator ?? {}) as Record<string, unknown>;
  if (!nav.gpu) {
    try {
      Object.defineProperty(nav, "gpu", { value: withAdapterLimits(probe.gpu), configurable: true, enumerable: true });
    } catch {
      /* read-only navigator: fall through to replacing it */
    }
  }
  if (!g.navigator) g.navigator = nav;
  env.load("@tensorflow/tfjs-backend-webgpu");
}

/** Limits tfjs-backend-webgpu leaves at WebGPU's defaults although its kernels need more. */
const RAISED_LIMITS = ["maxStorageBuffersPerShaderStage"] as const;

type GpuLike = AdapterProbe["gpu"] & object;

/**
 * `gpu`, whose adapters ask for their own `maxStorageBuffersPerShaderStage` when tfjs requests a
 * device. tfjs asks only for workgroup and buffer-size limits, so the default of 8 storage buffers
 * applies, and its kernels with more inputs (AddN of 13 gradients, measured on an H200) fail
 * validation: "The number of storage buffers (13) in the Compute stage exceeds the maximum
 * per-stage limit (8)", after which their results are garbage, not an error.
 */
export function withAdapterLimits(gpu: GpuLike): GpuLike {
  const bound = (target: object, key: string | symbol) => {
    const v = Reflect.get(target, key, target) as unknown;
    return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  };
  const adapterWithLimits = (adapter: object) =>
    new Proxy(adapter, {
      get(target, key) {
        if (key !== "requestDevice") return bound(target, key);
        return (descriptor: { requiredLimits?: Record<string, number> } = {}) => {
          const limits = (target as { limits?: Record<string, number> }).limits ?? {};
          const raised: Record<string, number> = {};
          for (const k of RAISED_LIMITS) if (typeof limits[k] === "number") raised[k] = limits[k];
          const request = (target as { requestDevice(d: unknown): Promise<unknown> }).requestDevice.bind(target);
          return request({ ...descriptor, requiredLimits: { ...raised, ...descriptor.requiredLimits } });
        };
      },
    });
  return new Proxy(gpu, {
    get(target, key) {
      if (key !== "requestAdapter") return bound(target, key);
      return async (options?: Record<string, unknown>) => {
        const adapter = await (target as { requestAdapter(o?: unknown): Promise<object | null> }).requestAdapter(options);
        return adapter ? adapterWithLimits(adapter) : adapter;
      };
    },
  }) as GpuLike;
}
