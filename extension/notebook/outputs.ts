/**
 * Collects iopub messages into nbformat outputs: consecutive stream text is merged,
 * `update_display_data` rewrites every output shown under that display_id (in any cell),
 * `clear_output` (with wait) is honoured.
 */
import type { Message } from "../../kernel-helpers/protocol/messages";
import type { Output } from "./nbformat";

type DisplayOutput = Extract<Output, { output_type: "display_data" | "execute_result" }>;

export class OutputCollector {
  private readonly byDisplayId = new Map<string, DisplayOutput[]>();
  private clearPending = false;

  /** Adds one iopub message to `outputs`; returns true when the message changed them. */
  add(outputs: Output[], msg: Message): boolean {
    const c = msg.content as Record<string, unknown>;
    const type = msg.header.msg_type;
    if (this.clearPending && ["stream", "display_data", "execute_result", "error"].includes(type)) {
      outputs.splice(0);
      this.clearPending = false;
    }
    switch (type) {
      case "stream": {
        const name = c.name as "stdout" | "stderr";
        const last = outputs[outputs.length - 1];
        if (last?.output_type === "stream" && last.name === name) last.text = String(last.text) + String(c.text);
        else outputs.push({ output_type: "stream", name, text: String(c.text) });
        return true;
      }
      case "display_data":
      case "execute_result": {
        const out: DisplayOutput =
          type === "execute_result"
            ? { output_type: "execute_result", execution_count: (c.execution_count as number) ?? null, data: c.data as Record<string, unknown>, metadata: (c.metadata as Record<string, unknown>) ?? {} }
            : { output_type: "display_data", data: c.data as Record<string, unknown>, metadata: (c.metadata as Record<string, unknown>) ?? {} };
        outputs.push(out);
        const id = (c.transient as { display_id?: string } | undefined)?.display_id;
        if (id) this.byDisplayId.set(id, [...(this.byDisplayId.get(id) ?? []), out]);
        return true;
      }
      case "update_display_data": {
        const id = (c.transient as { display_id?: string } | undefined)?.display_id;
        for (const out of (id && this.byDisplayId.get(id)) || []) {
          out.data = c.data as Record<string, unknown>;
          out.metadata = (c.metadata as Record<string, unknown>) ?? {};
        }
        return true;
      }
      case "error":
        outputs.push({ output_type: "error", ename: String(c.ename), evalue: String(c.evalue), traceback: (c.traceback as string[]) ?? [] });
        return true;
      case "clear_output":
        if (c.wait) this.clearPending = true;
        else outputs.splice(0);
        return true;
      default:
        return false;
    }
  }
}
