/** Entry point of the VS Code extension: wires the controller, commands, status bar, language features. */
import * as vscode from "vscode";
import { registerCommands } from "./commands";
import { registerLanguageFeatures } from "./completion";
import { SciforgeController } from "./controller";
import { TrainingDashboard } from "./dashboard";
import { KernelSessions } from "./kernel-session";
import { KernelStatusBar } from "./status-bar";
import { ServerChoice } from "./remote-server";
import { withFileCopy } from "./log";

let sessions: KernelSessions | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = withFileCopy(vscode.window.createOutputChannel("Sciforge"), process.env.SCIFORGE_LOG_FILE);
  const server = new ServerChoice(context);
  sessions = new KernelSessions(context.extensionPath, log, server);
  const controller = new SciforgeController(sessions);
  const dashboard = new TrainingDashboard(sessions, context.extensionUri);
  context.subscriptions.push(log, server, sessions, controller, dashboard, new KernelStatusBar(sessions), ...registerLanguageFeatures(sessions));
  registerCommands(context, controller, dashboard, log, sessions);
  log.appendLine(`Sciforge activated (${context.extensionPath}); workspace trusted: ${vscode.workspace.isTrusted}`);
}

export async function deactivate(): Promise<void> {
  await Promise.all((sessions?.all() ?? []).map((s) => s.shutdown()));
}
