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
      Object.defineProperty(nav, "gpu", { value: probe.gpu, configurable: true, enumerable: true });
    } catch {
      /* read-only navigator: fall through to replacing it */
    }
  }
  if (!g.navigator) g.navigator = nav;
  env.load("@tensorflow/tfjs-backend-webgpu");
}
