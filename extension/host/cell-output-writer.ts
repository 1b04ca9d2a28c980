/**
 * Writes one cell's iopub messages into VS Code outputs while it runs: streams appended to the
 * previous stream output, displays as outputs (remembered by display_id so later updates replace
 * them, in any cell), errors as VS Code error items with a link to the failing cell line.
 */
import * as vscode from "vscode";
import type { Message } from "../../kernel-helpers/protocol/messages";
import { bundleToItems, errorForVsCode, StreamBudget } from "./mime-bundle";

export function toOutputItems(data: Record<string, unknown>): vscode.NotebookCellOutputItem[] {
  return bundleToItems(data).map((i) => new vscode.NotebookCellOutputItem(i.data, i.mime));
}

export interface DisplayRef {
  cell: vscode.NotebookCell;
  output: vscode.NotebookCellOutput;
}

/** display_id → outputs showing it (per notebook). */
export class DisplayRegistry {
  private readonly refs = new Map<string, DisplayRef[]>();
  add(id: string, ref: DisplayRef) {
    this.refs.set(id, [...(this.refs.get(id) ?? []).filter((r) => r.output !== ref.output), ref]);
  }
  get(id: string): DisplayRef[] {
    return this.refs.get(id) ?? [];
  }
  forgetCell(cell: vscode.NotebookCell) {
    for (const [id, list] of this.refs) this.refs.set(id, list.filter((r) => r.cell !== cell));
  }
}

export type OtherCellUpdater = (ref: DisplayRef, items: vscode.NotebookCellOutputItem[]) => void;

export class CellOutputWriter {
  private lastStream: { name: string; output: vscode.NotebookCellOutput } | undefined;
  private readonly budget: StreamBudget;
  private clearPending = false;
  private chain: Thenable<void> = Promise.resolve();
  private readonly mine = new Set<vscode.NotebookCellOutput>();

  constructor(
    private readonly execution: vscode.NotebookCellExecution,
    private readonly displays: DisplayRegistry,
    maxOutputSize: number,
    private readonly updateElsewhere: OtherCellUpdater,
  ) {
    this.budget = new StreamBudget(maxOutputSize);
  }

  /** Output edits are applied in order (each waits for the one before). */
  private queue(f: () => Thenable<void>) {
    this.chain = this.chain.then(f, f);
  }

  done(): Thenable<void> {
    return this.chain;
  }

  /** Shows an error that did not come from the kernel (it died, could not start …). */
  error(name: string, message: string) {
    const item = vscode.NotebookCellOutputItem.error({ name, message, stack: `${name}: ${message}` });
    this.queue(() => this.execution.appendOutput(new vscode.NotebookCellOutput([item])));
  }

  add(m: Message) {
    const c = m.content as Record<string, unknown>;
    const type = m.header.msg_type;
    if (this.clearPending && ["stream", "display_data", "execute_result", "error"].includes(type)) {
      this.clearPending = false;
      this.lastStream = undefined;
      this.queue(() => this.execution.clearOutput());
    }
    switch (type) {
      case "stream": {
        const name = c.name === "stderr" ? "stderr" : "stdout";
        const text = this.budget.take(String(c.text ?? ""));
        if (!text) return;
        const item = name === "stderr" ? vscode.NotebookCellOutputItem.stderr(text) : vscode.NotebookCellOutputItem.stdout(text);
        if (this.lastStream && this.lastStream.name === name) {
          const out = this.lastStream.output;
          this.queue(() => this.execution.appendOutputItems(item, out));
        } else {
          const out = new vscode.NotebookCellOutput([item]);
          this.lastStream = { name, output: out };
          this.queue(() => this.execution.appendOutput(out));
        }
        return;
      }
      case "display_data":
      case "execute_result": {
        this.lastStream = undefined;
        const items = toOutputItems((c.data as Record<string, unknown>) ?? {});
        if (items.length === 0) return;
        const out = new vscode.NotebookCellOutput(items, { outputType: type, metadata: c.metadata ?? {} });
        this.mine.add(out);
        const displayId = (c.transient as { display_id?: string } | undefined)?.display_id;
        if (displayId) this.displays.add(displayId, { cell: this.execution.cell, output: out });
        this.queue(() => this.execution.appendOutput(out));
        return;
      }
      case "update_display_data": {
        const displayId = (c.transient as { display_id?: string } | undefined)?.display_id;
        if (!displayId) return;
        const items = toOutputItems((c.data as Record<string, unknown>) ?? {});
        for (const ref of this.displays.get(displayId)) {
          if (ref.cell === this.execution.cell && this.mine.has(ref.output)) {
            this.queue(() => this.execution.replaceOutputItems(items, ref.output));
          } else this.updateElsewhere(ref, items);
        }
        return;
      }
      case "error": {
        this.lastStream = undefined;
        const e = errorForVsCode({ ename: String(c.ename), evalue: String(c.evalue), traceback: (c.traceback as string[]) ?? [] });
        this.queue(() => this.execution.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(e)])));
        return;
      }
      case "clear_output":
        if (c.wait) this.clearPending = true;
        else {
          this.lastStream = undefined;
          this.queue(() => this.execution.clearOutput());
        }
        return;
    }
  }
}
