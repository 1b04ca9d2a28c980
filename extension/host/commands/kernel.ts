/** Restart / Interrupt Kernel and Select Compute Backend. */
import * as vscode from "vscode";
import { BACKENDS } from "../settings";
import type { SciforgeController } from "../controller";
import { requireNotebook } from "./active-notebook";
import { requireTrust } from "../trust";
import { isMessageType, isOneOf } from "../../../kernel-helpers/protocol/messages";

const DISPLAYS = ["display_data", "update_display_data", "execute_result"] as const;

export async function restartKernel(controller: SciforgeController, arg?: unknown) {
  await controller.restart(requireNotebook(arg));
}

export async function interruptKernel(controller: SciforgeController, arg?: unknown) {
  await controller.interrupt(requireNotebook(arg));
  void vscode.window.setStatusBarMessage("Sciforge: interrupt sent", 3000);
}

const DESCRIPTIONS: Record<string, string> = {
  auto: "fastest that works here",
  "tensorflow-gpu": "TensorFlow C library with CUDA",
  webgpu: "WebGPU (Dawn) on the GPU",
  tensorflow: "TensorFlow C library on the CPU",
  wasm: "WebAssembly (SIMD, threads)",
  cpu: "plain JavaScript",
};

export async function selectBackend(controller: SciforgeController, arg?: unknown) {
  const nb = requireNotebook(arg);
  requireTrust();
  const pick = await vscode.window.showQuickPick(
    BACKENDS.map((b) => ({ label: b, description: DESCRIPTIONS[b] })),
    { title: "Sciforge: compute backend", placeHolder: "Runs %backend NAME in the kernel" },
  );
  if (!pick) return;
  const s = controller.session(nb);
  const texts: string[] = [];
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Sciforge: switching to ${pick.label}…` }, () =>
    s.execute(`%backend ${pick.label}\n`, {
      storeHistory: false,
      onOutput: (m) => {
        if (isMessageType(m, "stream") && m.content.text) texts.push(m.content.text);
        const plain = isOneOf(m, DISPLAYS) ? m.content.data?.["text/plain"] : undefined;
        if (typeof plain === "string") texts.push(plain);
      },
    }),
  );
  if (r.reply.status === "ok") {
    if (!s.backend || (pick.label !== "auto" && s.backend.name !== pick.label)) s.setBackend({ name: pick.label, device: "" });
    const b = s.backend;
    void vscode.window.showInformationMessage(`Sciforge: compute backend ${b ? `${b.name}${b.device ? ` on ${b.device}` : ""}` : pick.label}`);
  } else {
    const err = r.reply as { evalue?: string };
    void vscode.window.showErrorMessage(`Sciforge: backend ${pick.label} is not available: ${err.evalue ?? texts.join(" ")}`);
  }
}
