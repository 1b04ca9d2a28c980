/**
 * Train Model / Evaluate Model: runs the cells tagged `train` (or `evaluate`) and the untagged
 * setup cells above them (selectCells), with a cancellable progress notification.
 */
import * as vscode from "vscode";
import { selectCells } from "../../notebook/runner";
import { notebookSnapshot } from "../notebook-snapshot";
import type { SciforgeController } from "../controller";
import { requireNotebook } from "./active-notebook";
import { requireTrust } from "../trust";

export function cellsForTag(nb: vscode.NotebookDocument, tag: string): vscode.NotebookCell[] {
  const cells = nb.getCells();
  const snapshot = notebookSnapshot(cells.map((c) => ({ kind: c.kind, text: "", metadata: c.metadata as Record<string, unknown>, outputs: [] })));
  return selectCells(snapshot, [tag]).map((i) => cells[i]);
}

export async function runTagged(controller: SciforgeController, tag: "train" | "evaluate", arg?: unknown): Promise<void> {
  const nb = requireNotebook(arg);
  requireTrust();
  let cells: vscode.NotebookCell[];
  try {
    cells = cellsForTag(nb, tag);
  } catch {
    void vscode.window.showWarningMessage(`Sciforge: no code cell is tagged "${tag}". Tag cells with "Sciforge: Edit Cell Tags".`);
    return;
  }
  const verb = tag === "train" ? "Training" : "Evaluating";
  const ok = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Sciforge: ${verb} (${cells.length} cells)`, cancellable: true },
    async (progress, token) => {
      const session = controller.session(nb);
      const sub = token.onCancellationRequested(() => void session.interrupt());
      const watch = session.onTraining((p) => {
        const t = p as { epoch?: number; epochs?: number };
        if (t && typeof t.epoch === "number" && typeof t.epochs === "number") progress.report({ message: `epoch ${t.epoch}/${t.epochs}` });
      });
      try {
        progress.report({ message: `running cells ${cells.map((c) => c.index + 1).join(", ")}` });
        return await controller.runCells(nb, cells, token);
      } finally {
        sub.dispose();
        watch.dispose();
      }
    },
  );
  if (ok) void vscode.window.showInformationMessage(`Sciforge: ${tag === "train" ? "training" : "evaluation"} finished (${cells.length} cells)`);
  else void vscode.window.showWarningMessage(`Sciforge: ${tag === "train" ? "training" : "evaluation"} stopped — see the cell outputs`);
}
