/** What the status bar shows of the compute backend, as the library reports it in display metadata (no vscode import: unit-tested). */
import { gpuName } from "../../kernel-helpers/lib/train/backend/webgpu";
import { SCIFORGE_METADATA_KEY } from "../../kernel-helpers/lib/display/mime";
import type { BackendStatus } from "../../kernel-helpers/lib/payloads";

export interface BackendInfo {
  /** The rung in use ("webgpu", "wasm"…). */
  name: string;
  /** The device the report names (CPU model, or the adapter's name). */
  device: string;
  /** The GPU's own name when WebGPU runs on one ("NVIDIA H200"). */
  gpu?: string;
}

/**
 * The backend a display's metadata reports in use (lib/payloads.ts: SciforgeDisplayMetadata,
 * set by the library on its backend-choice display), or undefined. Read tolerantly: metadata is
 * whatever the kernel sent.
 */
export function backendInfoFromMetadata(metadata: unknown): BackendInfo | undefined {
  const own = field(metadata, SCIFORGE_METADATA_KEY);
  return backendInfoFromStatus(field(own, "backend"));
}

/** A BackendStatus (checked field by field) as what the status bar shows. */
export function backendInfoFromStatus(status: unknown): BackendInfo | undefined {
  const name = field(status, "name");
  if (typeof name !== "string" || !name) return undefined;
  const device = field(status, "device");
  const info: BackendInfo = { name, device: typeof device === "string" ? device : "" };
  const adapter = field(status, "adapter");
  if (name === "webgpu" && adapter !== undefined) {
    const text = (k: keyof NonNullable<BackendStatus["adapter"]>) => {
      const v = field(adapter, k);
      return typeof v === "string" ? v : "";
    };
    info.gpu = gpuName({ device: text("device"), description: text("description"), vendor: text("vendor") });
  }
  return info;
}

function field(v: unknown, key: string): unknown {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
}

/** "webgpu (NVIDIA H200)" when WebGPU runs on a GPU, else the rung's name; "auto" before one was chosen. */
export function backendLabel(info: BackendInfo | undefined): string {
  if (!info) return "auto";
  return info.name === "webgpu" && info.gpu ? `webgpu (${info.gpu})` : info.name;
}
