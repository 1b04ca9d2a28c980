/**
 * Writes one cell's iopub messages into VS Code outputs while it runs. What a message does is the
 * shared reducer's decision (notebook/outputs.ts, the same as the headless runner's); this maps
 * its changes onto VS Code: streams appended to the previous stream output, displays as outputs
 * (remembered by display_id so later updates replace them, in any cell), errors as VS Code error
 * items with a link to the failing cell line.
 */
import * as vscode from "vscode";
import type { Message } from "../../kernel-helpers/protocol/messages";
import { sourceText, type Output } from "../notebook/nbformat";
import { outputState, reduceOutputs, type OutputChange, type OutputState } from "../notebook/outputs";
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
  /** The cell's outputs as nbformat (the shared reducer's view) and the VS Code output showing each. */
  private readonly outputs: Output[] = [];
  private readonly shown = new Map<Output, vscode.NotebookCellOutput>();
  private readonly state: OutputState;
  private chain: Thenable<void> = Promise.resolve();
  private readonly mine = new Set<vscode.NotebookCellOutput>();

  constructor(
    private readonly execution: vscode.NotebookCellExecution,
    private readonly displays: DisplayRegistry,
    maxOutputSize: number,
    private readonly updateElsewhere: OtherCellUpdater,
  ) {
    const budget = new StreamBudget(maxOutputSize);
    this.state = outputState((text) => budget.take(text));
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

  /** One iopub message of the cell: the shared reducer decides, this maps its changes onto VS Code outputs. */
  add(m: Message) {
    for (const change of reduceOutputs(this.state, this.outputs, m)) this.apply(change);
  }

  private apply(change: OutputChange) {
    switch (change.kind) {
      case "clear":
        this.shown.clear();
        this.queue(() => this.execution.clearOutput());
        return;
      case "extend": {
        const out = this.shown.get(change.output);
        if (!out) return;
        const item = streamItem(change.output.name, change.text);
        this.queue(() => this.execution.appendOutputItems(item, out));
        return;
      }
      case "append": {
        const out = toCellOutput(change.output);
        if (!out) return;
        this.shown.set(change.output, out);
        if (change.output.output_type === "display_data" || change.output.output_type === "execute_result") {
          this.mine.add(out);
          if (change.displayId) this.displays.add(change.displayId, { cell: this.execution.cell, output: out });
        }
        this.queue(() => this.execution.appendOutput(out));
        return;
      }
      case "update": {
        const items = toOutputItems(change.data);
        for (const ref of this.displays.get(change.displayId)) {
          if (ref.cell === this.execution.cell && this.mine.has(ref.output)) {
            this.queue(() => this.execution.replaceOutputItems(items, ref.output));
          } else this.updateElsewhere(ref, items);
        }
        return;
      }
    }
  }
}

function streamItem(name: "stdout" | "stderr", text: string): vscode.NotebookCellOutputItem {
  return name === "stderr" ? vscode.NotebookCellOutputItem.stderr(text) : vscode.NotebookCellOutputItem.stdout(text);
}

/** An nbformat output as a VS Code output (undefined: a display with nothing VS Code can show). */
export function toCellOutput(o: Output): vscode.NotebookCellOutput | undefined {
  switch (o.output_type) {
    case "stream":
      return new vscode.NotebookCellOutput([streamItem(o.name, sourceText(o.text))]);
    case "display_data":
    case "execute_result": {
      const items = toOutputItems(o.data ?? {});
      return items.length ? new vscode.NotebookCellOutput(items, { outputType: o.output_type, metadata: o.metadata ?? {} }) : undefined;
    }
    case "error":
      return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(errorForVsCode({ ename: o.ename, evalue: o.evalue, traceback: o.traceback }))]);
  }
}
