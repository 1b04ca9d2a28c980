/**
 * What the ladder asks of the machine: which packages resolve, whether a CUDA GPU is visible,
 * and how to load Dawn. Injectable so that the GPU code paths are unit-testable anywhere.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";

/** A WebGPU adapter (the subset the ladder reads). */
export interface GpuAdapterLike {
  info?: Partial<Record<"vendor" | "architecture" | "device" | "description", string>>;
  requestAdapterInfo?: () => Promise<Partial<Record<"vendor" | "architecture" | "device" | "description", string>>>;
  isFallbackAdapter?: boolean;
}

/** The npm `webgpu` (Dawn) module, as far as the ladder uses it. */
export interface DawnModule {
  create(flags: string[]): { requestAdapter(options?: Record<string, unknown>): Promise<GpuAdapterLike | null> };
  globals: Record<string, unknown>;
}

/** Hooks the ladder uses to look at the machine. */
export interface LadderEnvironment {
  /** Resolved path of a package, or undefined when it is not installed. */
  resolve(pkg: string): string | undefined;
  /** `require` a package (registers tfjs backends as a side effect). */
  load(pkg: string): unknown;
  /** Whether a CUDA GPU is visible to this process, and its name. */
  cuda(): { visible: boolean; detail: string };
  /** Loads Dawn (npm `webgpu`); throws when it cannot load. */
  loadDawn(): DawnModule;
  /** Description of the CPU. */
  cpuModel(): string;
  /** Logical CPUs. */
  cpuCount(): number;
}

function resolveFrom(pkg: string): string | undefined {
  try {
    return require.resolve(pkg, { paths: [process.cwd(), __dirname] });
  } catch {
    return undefined;
  }
}

/** Whether a CUDA GPU is visible: driver present and not hidden by CUDA_VISIBLE_DEVICES. */
export function detectCuda(env: NodeJS.ProcessEnv = process.env): { visible: boolean; detail: string } {
  const cvd = env.CUDA_VISIBLE_DEVICES;
  if (cvd !== undefined && (cvd.trim() === "" || cvd.trim() === "-1")) {
    return { visible: false, detail: `CUDA_VISIBLE_DEVICES=${JSON.stringify(cvd)} hides every GPU` };
  }
  if (!existsSync("/proc/driver/nvidia/version") && !existsSync("/dev/nvidia0") && !existsSync("/dev/nvidiactl")) {
    return { visible: false, detail: "no NVIDIA driver (/proc/driver/nvidia, /dev/nvidia0 absent)" };
  }
  try {
    const out = execFileSync("nvidia-smi", ["--query-gpu=name", "--format=csv,noheader"], { timeout: 5000, encoding: "utf8" });
    const names = out.split("\n").map((s) => s.trim()).filter(Boolean);
    if (names.length === 0) return { visible: false, detail: "nvidia-smi lists no GPU" };
    return { visible: true, detail: names.join(", ") };
  } catch {
    return { visible: true, detail: "NVIDIA driver present (nvidia-smi unavailable)" };
  }
}

/** The real machine. */
export const nodeEnvironment: LadderEnvironment = {
  resolve: resolveFrom,
  load: (pkg) => require(resolveFrom(pkg) ?? pkg),
  cuda: () => detectCuda(),
  loadDawn: () => require(resolveFrom("webgpu") ?? "webgpu") as DawnModule,
  cpuModel: () => (os.cpus()[0]?.model ?? "unknown CPU").trim(),
  cpuCount: () => os.cpus().length,
};
