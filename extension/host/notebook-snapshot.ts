/**
 * Turns VS Code's cells (kind, text, metadata, outputs) into an nbformat notebook, so the shared
 * notebook code (selectCells, notebookToHtml) works on what the editor shows. No `vscode` import.
 */
import type { Notebook, Output, Cell } from "../notebook/nbformat";
import { toLines } from "../notebook/nbformat";
import { readCellTags, type CellMetadata } from "./cell-tags";

export interface CellLike {
  /** 1 = markup, 2 = code (vscode.NotebookCellKind). */
  kind: number;
  text: string;
  metadata: CellMetadata;
  executionOrder?: number;
  outputs: { items: { mime: string; data: Uint8Array }[]; metadata?: Record<string, unknown> }[];
}

const decoder = new TextDecoder();
const TEXT_LIKE = /^text\/|\+json$|^application\/(json|javascript)$|^image\/svg\+xml$/;

function outputOf(o: CellLike["outputs"][number], executionCount: number | null): Output | null {
  const first = o.items[0];
  if (!first) return null;
  if (first.mime === "application/vnd.code.notebook.stdout" || first.mime === "application/vnd.code.notebook.stderr") {
    return { output_type: "stream", name: first.mime.endsWith("stdout") ? "stdout" : "stderr", text: o.items.map((i) => decoder.decode(i.data)).join("") };
  }
  if (first.mime === "application/vnd.code.notebook.error") {
    let e: { name?: string; message?: string; stack?: string } = {};
    try {
      e = JSON.parse(decoder.decode(first.data));
    } catch {
      // keep the defaults
    }
    return { output_type: "error", ename: e.name ?? "Error", evalue: e.message ?? "", traceback: (e.stack ?? "").split("\n") };
  }
  const data: Record<string, unknown> = {};
  for (const item of o.items) {
    const text = decoder.decode(item.data);
    if (/\+json$|^application\/json$/.test(item.mime)) {
      try {
        data[item.mime] = JSON.parse(text);
      } catch {
        data[item.mime] = text;
      }
    } else if (TEXT_LIKE.test(item.mime)) data[item.mime] = text;
    else data[item.mime] = Buffer.from(item.data).toString("base64");
  }
  const metadata = (o.metadata?.metadata as Record<string, unknown>) ?? {};
  return o.metadata?.outputType === "execute_result"
    ? { output_type: "execute_result", execution_count: executionCount, data, metadata }
    : { output_type: "display_data", data, metadata };
}

export function notebookSnapshot(cells: readonly CellLike[], metadata: Record<string, unknown> = {}): Notebook {
  const out: Cell[] = cells.map((c, i) => {
    const tags = readCellTags(c.metadata);
    const md = tags.length ? { tags } : {};
    const id = typeof c.metadata.id === "string" ? c.metadata.id : `cell-${i + 1}`;
    if (c.kind === 2) {
      const count = c.executionOrder ?? null;
      return { cell_type: "code", id, source: toLines(c.text), metadata: md, execution_count: count, outputs: c.outputs.map((o) => outputOf(o, count)).filter((o): o is Output => o !== null) };
    }
    return { cell_type: "markdown", id, source: toLines(c.text), metadata: md };
  });
  return { nbformat: 4, nbformat_minor: 5, metadata: metadata as Notebook["metadata"], cells: out };
}
