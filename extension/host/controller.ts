/**
 * The "Sciforge TypeScript" notebook controller for .ipynb (`jupyter-notebook`) documents:
 * runs cells one after another on the notebook's kernel session, streams outputs, records
 * execution order and timing, interrupts, and reports a dead kernel with a way to restart.
 */
import * as vscode from "vscode";
import { KernelDiedError, KernelLostError } from "../jupyter/kernel-api";
import { CellOutputWriter, DisplayRegistry, type DisplayRef } from "./cell-output-writer";
import type { KernelSession, KernelSessions } from "./kernel-session";
import { isMessageType } from "../../kernel-helpers/protocol/messages";
import { claimsNotebook } from "./notebook-kind";
import { readSettings } from "./settings";
import { UNTRUSTED_MESSAGE, requireTrust } from "./trust";

export const CONTROLLER_ID = "sciforge-typescript";
export const NOTEBOOK_TYPE = "jupyter-notebook";
/** Context key set once cells ran on this controller (the walkthrough's "run" step completes on it). */
export const RAN_CELLS_CONTEXT = "sciforge.ranCells";

/** True for notebooks whose kernelspec is Sciforge's (not any TypeScript kernel's: see notebook-kind.ts). */
export function isSciforgeNotebook(nb: vscode.NotebookDocument): boolean {
  return claimsNotebook(nb.metadata);
}

export interface RunEvent {
  notebook: vscode.NotebookDocument;
  running: boolean;
}

export class SciforgeController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly displays = new Map<string, DisplayRegistry>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly selected = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly runEmitter = new vscode.EventEmitter<RunEvent>();
  readonly onDidRun = this.runEmitter.event;
  private readonly watchedSessions = new WeakSet<KernelSession>();

  private ranCells = false;

  constructor(private readonly sessions: KernelSessions) {
    const c = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, "Sciforge TypeScript", async (cells, nb) => {
      await this.run(nb, cells);
    });
    c.supportedLanguages = ["typescript"];
    c.supportsExecutionOrder = true;
    c.description = "TypeScript kernel — no Python needed";
    c.detail = "Runs cells in a Sciforge kernel started by this extension";
    c.interruptHandler = async (nb) => this.interrupt(nb);
    this.controller = c;
    this.disposables.push(
      c,
      c.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
        sessions.log.appendLine(`[controller] ${selected ? "selected for" : "deselected from"} ${notebook.uri.toString()}`);
        if (selected) this.selected.add(notebook.uri.toString());
        else this.selected.delete(notebook.uri.toString());
      }),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.prefer(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        this.displays.delete(nb.uri.toString());
        this.sessions.close(nb);
      }),
      this.runEmitter,
    );
    for (const nb of vscode.workspace.notebookDocuments) this.prefer(nb);
  }

  private prefer(nb: vscode.NotebookDocument) {
    if (nb.notebookType === NOTEBOOK_TYPE && isSciforgeNotebook(nb)) this.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
  }

  isSelectedFor(nb: vscode.NotebookDocument): boolean {
    return this.selected.has(nb.uri.toString());
  }

  /** Asks VS Code to make this controller the notebook's kernel; true when it is. */
  async select(nb: vscode.NotebookDocument): Promise<boolean> {
    if (this.isSelectedFor(nb)) return true;
    const editor = vscode.window.visibleNotebookEditors.find((e) => e.notebook === nb);
    if (editor) await vscode.window.showNotebookDocument(nb, { viewColumn: editor.viewColumn });
    await vscode.commands.executeCommand("notebook.selectKernel", { id: CONTROLLER_ID, extension: "sciforge.sciforge" }).then(undefined, () => undefined);
    for (let i = 0; i < 20 && !this.isSelectedFor(nb); i++) await new Promise((r) => setTimeout(r, 100));
    return this.isSelectedFor(nb);
  }

  /**
   * Runs some cells for a command (Train/Evaluate): directly when this controller is the
   * notebook's kernel, else through VS Code's own "execute cells" (which binds the preferred
   * kernel first, as Run All does). Resolves true when every cell succeeded.
   */
  async runCells(nb: vscode.NotebookDocument, cells: readonly vscode.NotebookCell[], token?: vscode.CancellationToken): Promise<boolean> {
    requireTrust();
    if (await this.select(nb)) return this.run(nb, cells, token);
    const key = nb.uri.toString();
    const before = this.queues.get(key);
    this.sessions.log.appendLine(`[controller] not bound to ${key} yet: running through notebook.cell.execute`);
    await vscode.commands.executeCommand("notebook.cell.execute", { ranges: cells.map((c) => ({ start: c.index, end: c.index + 1 })), document: nb.uri });
    for (let i = 0; i < 100 && this.queues.get(key) === before; i++) await new Promise((r) => setTimeout(r, 100));
    if (this.queues.get(key) === before) throw new Error("the cells did not start: pick the Sciforge TypeScript kernel for this notebook");
    await this.queues.get(key);
    return cells.every((c) => c.executionSummary?.success === true);
  }

  session(nb: vscode.NotebookDocument): KernelSession {
    const s = this.sessions.getOrCreate(nb);
    if (!this.watchedSessions.has(s)) {
      this.watchedSessions.add(s);
      s.onDidDie((reason) => void this.reportDeath(s, reason));
    }
    return s;
  }

  private async reportDeath(s: KernelSession, reason: string) {
    const first = reason.split("\n")[0];
    const pick = await vscode.window.showErrorMessage(`Sciforge: the kernel died — restart? (${first})`, "Restart Kernel", "Show Log");
    if (pick === "Restart Kernel") await this.restart(s.notebook);
    if (pick === "Show Log") this.sessions.log.show(true);
  }

  async interrupt(nb: vscode.NotebookDocument): Promise<void> {
    await this.sessions.get(nb)?.interrupt();
  }

  async restart(nb: vscode.NotebookDocument): Promise<void> {
    const s = this.session(nb);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Sciforge: restarting the kernel…" }, () => s.restart());
    this.displays.delete(nb.uri.toString());
    void vscode.window.showInformationMessage("Sciforge: kernel restarted");
  }

  /** Runs cells in order (queued behind cells already running in this notebook). Resolves true when all succeeded. */
  run(nb: vscode.NotebookDocument, cells: readonly vscode.NotebookCell[], token?: vscode.CancellationToken): Promise<boolean> {
    const key = nb.uri.toString();
    const executions = cells.filter((c) => c.kind === vscode.NotebookCellKind.Code).map((c) => this.controller.createNotebookCellExecution(c));
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.runQueued(nb, executions, token));
    this.queues.set(key, next.catch(() => false));
    return next;
  }

  private async runQueued(nb: vscode.NotebookDocument, executions: vscode.NotebookCellExecution[], token?: vscode.CancellationToken): Promise<boolean> {
    this.runEmitter.fire({ notebook: nb, running: true });
    if (!this.ranCells) {
      this.ranCells = true;
      void vscode.commands.executeCommand("setContext", RAN_CELLS_CONTEXT, true);
    }
    let ok = true;
    try {
      for (let i = 0; i < executions.length; i++) {
        const e = executions[i];
        if (!ok || token?.isCancellationRequested || e.token.isCancellationRequested) {
          e.start();
          e.end(undefined);
          continue;
        }
        ok = await this.runOne(nb, e);
      }
    } finally {
      this.runEmitter.fire({ notebook: nb, running: false });
    }
    return ok;
  }

  private registry(nb: vscode.NotebookDocument): DisplayRegistry {
    const key = nb.uri.toString();
    let r = this.displays.get(key);
    if (!r) this.displays.set(key, (r = new DisplayRegistry()));
    return r;
  }

  /** An update for a display shown by a cell that is no longer running: a short execution of that cell. */
  private updateElsewhere = (ref: DisplayRef, items: vscode.NotebookCellOutputItem[]) => {
    try {
      const e = this.controller.createNotebookCellExecution(ref.cell);
      e.executionOrder = ref.cell.executionSummary?.executionOrder;
      e.start(ref.cell.executionSummary?.timing?.startTime);
      void e.replaceOutputItems(items, ref.output).then(
        () => e.end(ref.cell.executionSummary?.success, ref.cell.executionSummary?.timing?.endTime),
        () => e.end(ref.cell.executionSummary?.success),
      );
    } catch {
      // the cell is running again or gone: its own outputs win
    }
  };

  private async runOne(nb: vscode.NotebookDocument, e: vscode.NotebookCellExecution): Promise<boolean> {
    const settings = readSettings(nb.uri);
    const displays = this.registry(nb);
    displays.forgetCell(e.cell);
    e.start(Date.now());
    await e.clearOutput();
    const writer = new CellOutputWriter(e, displays, settings.maxOutputSize, this.updateElsewhere);
    const code = e.cell.document.getText();
    if (!vscode.workspace.isTrusted) {
      writer.error("UntrustedWorkspace", UNTRUSTED_MESSAGE);
      await writer.done();
      e.end(false, Date.now());
      return false;
    }
    const s = this.session(nb);
    try {
      const r = await s.execute(code, {
        onOutput: (m) => {
          if (isMessageType(m, "execute_input")) {
            e.executionOrder = m.content.execution_count;
            return;
          }
          writer.add(m);
        },
      });
      if (r.executionCount !== null) e.executionOrder = r.executionCount;
      await writer.done();
      const ok = r.reply.status === "ok";
      e.end(ok, Date.now());
      return ok;
    } catch (err) {
      const died = err instanceof KernelDiedError;
      const what = err instanceof KernelLostError ? "Lost the kernel" : "The kernel died";
      writer.error(died ? "DeadKernelError" : "KernelError", died ? `${what} while running this cell: ${(err as Error).message}` : (err as Error).message);
      await writer.done();
      e.end(false, Date.now());
      return false;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
