/** Registers every "Sciforge: …" command; errors become messages instead of silent failures. */
import * as vscode from "vscode";
import type { SciforgeController } from "../controller";
import type { TrainingDashboard } from "../dashboard";
import type { KernelSessions } from "../kernel-session";
import { editCellTags } from "./cell-tags";
import { connectServer, disconnectServer } from "./connect-server";
import { exportHtml } from "./export-html";
import { installKernel } from "./install-kernel";
import { interruptKernel, restartKernel, selectBackend } from "./kernel";
import { newCaseStudy } from "./new-case-study";
import { runTagged } from "./run-tagged";
import { UntrustedWorkspaceError, explainUntrusted } from "../trust";

export function registerCommands(context: vscode.ExtensionContext, controller: SciforgeController, dashboard: TrainingDashboard, log: vscode.OutputChannel, sessions: KernelSessions): void {
  const table: Record<string, (arg?: unknown) => unknown> = {
    "sciforge.newCaseStudy": () => newCaseStudy(context.extensionPath),
    "sciforge.trainModel": (a) => runTagged(controller, "train", a),
    "sciforge.evaluateModel": (a) => runTagged(controller, "evaluate", a),
    "sciforge.selectBackend": (a) => selectBackend(controller, a),
    "sciforge.restartKernel": (a) => restartKernel(controller, a),
    "sciforge.interruptKernel": (a) => interruptKernel(controller, a),
    "sciforge.installKernel": () => installKernel(context.extensionPath),
    "sciforge.exportHtml": (a) => exportHtml(context.extensionPath, a),
    "sciforge.openDashboard": () => dashboard.open(),
    "sciforge.editCellTags": (a) => editCellTags(a),
    "sciforge.connectServer": () => connectServer(sessions),
    "sciforge.disconnectServer": () => disconnectServer(sessions),
  };
  for (const [id, run] of Object.entries(table)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (arg?: unknown) => {
        try {
          log.appendLine(`[command] ${id}`);
          await run(arg);
        } catch (e) {
          log.appendLine(`[command] ${id} failed: ${(e as Error).stack ?? e}`);
          if (e instanceof UntrustedWorkspaceError) void explainUntrusted();
          else void vscode.window.showErrorMessage(`Sciforge: ${(e as Error).message}`);
        }
      }),
    );
  }
}
