/** What the status bar shows of the compute backend, read from the kernel's MIME.backend displays (no vscode import: unit-tested). */
import { gpuName } from "../../kernel-helpers/lib/train/backend/webgpu";

export interface BackendInfo {
  /** The rung in use ("webgpu", "wasm"…). */
  name: string;
  /** The device the report names (CPU model, or the adapter's name). */
  device: string;
  /** The GPU's own name when WebGPU runs on one ("NVIDIA H200"). */
  gpu?: string;
}

interface BackendPayload {
  chosen?: string | null;
  device?: string;
  adapter?: { device?: string; description?: string; vendor?: string };
}

/** The backend a MIME.backend payload reports as chosen, or undefined (a refusal that left nothing chosen). */
export function backendInfoFromReport(payload: unknown): BackendInfo | undefined {
  const b = payload as BackendPayload | undefined;
  if (!b || !b.chosen) return undefined;
  const info: BackendInfo = { name: b.chosen, device: b.device ?? "" };
  if (b.chosen === "webgpu" && b.adapter) info.gpu = gpuName({ device: b.adapter.device ?? "", description: b.adapter.description ?? "", vendor: b.adapter.vendor ?? "" });
  return info;
}

/** "webgpu (NVIDIA H200)" when WebGPU runs on a GPU, else the rung's name; "auto" before one was chosen. */
export function backendLabel(info: BackendInfo | undefined): string {
  if (!info) return "auto";
  return info.name === "webgpu" && info.gpu ? `webgpu (${info.gpu})` : info.name;
}
