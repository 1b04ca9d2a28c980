/** The extension's settings (contributes.configuration in package.json), read fresh each time. */
import * as vscode from "vscode";

export const BACKENDS = ["auto", "tensorflow-gpu", "webgpu", "tensorflow", "wasm", "cpu"] as const;
export type BackendSetting = (typeof BACKENDS)[number];

export interface Settings {
  defaultBackend: BackendSetting;
  nodePath: string;
  maxOutputSize: number;
  modelsDir: string;
  /** Threads of the wasm backend (0: the available cores, at most 8); given to the kernel as SCIFORGE_WASM_THREADS. */
  wasmThreads: number;
}

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration("sciforge", scope);
  const backend = c.get<string>("defaultBackend", "auto");
  return {
    defaultBackend: (BACKENDS as readonly string[]).includes(backend) ? (backend as BackendSetting) : "auto",
    nodePath: c.get<string>("nodePath", "").trim(),
    maxOutputSize: Math.max(0, c.get<number>("maxOutputSize", 1_000_000)),
    modelsDir: c.get<string>("modelsDir", "models").trim(),
    wasmThreads: Math.max(0, Math.floor(c.get<number>("wasmThreads", 0))),
  };
}
