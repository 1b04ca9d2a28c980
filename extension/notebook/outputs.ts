/**
 * The one iopub → nbformat outputs reducer, shared by the headless runner (CLI, papermill) and
 * the VS Code cell writer (host/cell-output-writer.ts, which only maps its changes onto VS Code
 * outputs). No I/O and no vscode: consecutive stream text is merged, `update_display_data`
 * rewrites every output shown under that display_id (in any cell this state has seen),
 * `clear_output` is honoured, with `wait` deferred to the next output.
 */
import { isMessageType, isOneOf, type Message } from "../../kernel-helpers/protocol/messages";
import { sourceText, type Output } from "./nbformat";

export type DisplayOutput = Extract<Output, { output_type: "display_data" | "execute_result" }>;
export type StreamOutput = Extract<Output, { output_type: "stream" }>;

/** What one message did to the outputs (so a view can apply the same edit). */
export type OutputChange =
  /** `output` was appended to the outputs (`displayId` when it is a display that can be updated). */
  | { kind: "append"; output: Output; displayId?: string }
  /** `text` was appended to the stream output `output` (the last one). */
  | { kind: "extend"; output: StreamOutput; text: string }
  /** update_display_data: `outputs` (those this state knows under the id) now show `data`. */
  | { kind: "update"; displayId: string; data: Record<string, unknown>; metadata: Record<string, unknown>; outputs: DisplayOutput[] }
  /** All outputs were removed. */
  | { kind: "clear" };

export interface OutputState {
  /** display_id → outputs showing it. */
  readonly byDisplayId: Map<string, DisplayOutput[]>;
  /** A clear_output(wait) waits for the next output. */
  clearPending: boolean;
  /**
   * Stream text goes through this before it is kept (VS Code's output size budget); an empty
   * result drops the message. Without it every stream message is kept as is.
   */
  readonly takeStream?: (text: string) => string;
}

export function outputState(takeStream?: (text: string) => string): OutputState {
  return { byDisplayId: new Map(), clearPending: false, ...(takeStream ? { takeStream } : {}) };
}

const SHOWS_OUTPUT = ["stream", "display_data", "execute_result", "error"] as const;

/**
 * Applies one iopub message to `outputs` (one cell's list, edited in place) and `state`;
 * returns what changed, in order (empty: nothing did, or the message is no output).
 */
export function reduceOutputs(state: OutputState, outputs: Output[], msg: Message): OutputChange[] {
  const changes: OutputChange[] = [];
  if (state.clearPending && isOneOf(msg, SHOWS_OUTPUT)) {
    outputs.splice(0);
    state.clearPending = false;
    changes.push({ kind: "clear" });
  }
  if (isMessageType(msg, "stream")) {
    const name = msg.content.name === "stderr" ? "stderr" : "stdout";
    const text = state.takeStream ? state.takeStream(String(msg.content.text ?? "")) : String(msg.content.text);
    if (state.takeStream && !text) return changes;
    const last = outputs[outputs.length - 1];
    if (last?.output_type === "stream" && last.name === name) {
      last.text = sourceText(last.text) + text;
      changes.push({ kind: "extend", output: last, text });
    } else {
      const out: StreamOutput = { output_type: "stream", name, text };
      outputs.push(out);
      changes.push({ kind: "append", output: out });
    }
  } else if (isMessageType(msg, "display_data") || isMessageType(msg, "execute_result")) {
    const c = msg.content;
    const data = c.data;
    const metadata = c.metadata ?? {};
    const out: DisplayOutput = isMessageType(msg, "execute_result")
      ? { output_type: "execute_result", execution_count: msg.content.execution_count ?? null, data, metadata }
      : { output_type: "display_data", data, metadata };
    outputs.push(out);
    const displayId = c.transient?.display_id;
    if (displayId) state.byDisplayId.set(displayId, [...(state.byDisplayId.get(displayId) ?? []), out]);
    changes.push(displayId ? { kind: "append", output: out, displayId } : { kind: "append", output: out });
  } else if (isMessageType(msg, "update_display_data")) {
    const displayId = msg.content.transient?.display_id;
    if (!displayId) return changes;
    const data = msg.content.data ?? {};
    const metadata = msg.content.metadata ?? {};
    const shown = state.byDisplayId.get(displayId) ?? [];
    for (const out of shown) {
      out.data = data;
      out.metadata = metadata;
    }
    changes.push({ kind: "update", displayId, data, metadata, outputs: shown });
  } else if (isMessageType(msg, "error")) {
    const c = msg.content;
    const out: Output = { output_type: "error", ename: String(c.ename), evalue: String(c.evalue), traceback: c.traceback ?? [] };
    outputs.push(out);
    changes.push({ kind: "append", output: out });
  } else if (isMessageType(msg, "clear_output")) {
    if (msg.content.wait) state.clearPending = true;
    else {
      outputs.splice(0);
      changes.push({ kind: "clear" });
    }
  }
  return changes;
}

/** The reducer with its state, for a run over many cells (the headless runner). */
export class OutputCollector {
  private readonly state = outputState();

  /** Adds one iopub message to `outputs`; returns true when the message is an output message (they may have changed). */
  add(outputs: Output[], msg: Message): boolean {
    const changes = reduceOutputs(this.state, outputs, msg);
    return changes.length > 0 || isOneOf(msg, ["update_display_data", "clear_output"]);
  }
}
