/**
 * nbformat 4.5 notebooks: types, reading with errors that say where, and atomic writing
 * (a temp file renamed into place, so a crash never leaves half a notebook).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export type MultilineString = string | string[];

export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: MultilineString }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "execute_result"; execution_count: number | null; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface CodeCell {
  cell_type: "code";
  id: string;
  source: MultilineString;
  metadata: { tags?: string[]; [k: string]: unknown };
  execution_count: number | null;
  outputs: Output[];
}

export interface OtherCell {
  cell_type: "markdown" | "raw";
  id: string;
  source: MultilineString;
  metadata: { tags?: string[]; [k: string]: unknown };
  attachments?: Record<string, unknown>;
}

export type Cell = CodeCell | OtherCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown> & {
    kernelspec?: { name: string; display_name: string; language?: string };
    language_info?: Record<string, unknown>;
  };
  cells: Cell[];
}

export class NotebookFormatError extends Error {}

export function sourceText(s: MultilineString): string {
  return Array.isArray(s) ? s.join("") : s;
}

/** Splits text into Jupyter's list-of-lines form (each line keeps its "\n"). */
export function toLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function newCellId(): string {
  return randomBytes(4).toString("hex");
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `${line}:${offset - before.lastIndexOf("\n")}`;
}

/** Reads and checks a notebook; errors name the file and, for bad JSON, line:column. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new NotebookFormatError(`cannot read notebook ${file}: ${(e as Error).message}`);
  }
  let nb: Notebook;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const where = m ? `:${lineCol(text, Number(m[1]))}` : "";
    throw new NotebookFormatError(`${file}${where}: not valid JSON (${(e as Error).message})`);
  }
  return normalizeNotebook(nb, file);
}

/** Checks the structure and upgrades to 4.5 (cell ids, outputs arrays). */
export function normalizeNotebook(nb: Notebook, file = "notebook"): Notebook {
  if (typeof nb !== "object" || nb === null || !Array.isArray(nb.cells)) {
    throw new NotebookFormatError(`${file}: not a Jupyter notebook (no "cells" array)`);
  }
  if (nb.nbformat !== 4) throw new NotebookFormatError(`${file}: nbformat ${nb.nbformat} is not supported (need 4)`);
  const seen = new Set<string>();
  nb.cells.forEach((c, i) => {
    if (!["code", "markdown", "raw"].includes(c.cell_type)) {
      throw new NotebookFormatError(`${file}: cell ${i + 1} has unknown cell_type "${(c as { cell_type: string }).cell_type}"`);
    }
    if (typeof c.id !== "string" || !/^[a-zA-Z0-9-_]{1,64}$/.test(c.id) || seen.has(c.id)) c.id = newCellId();
    seen.add(c.id);
    c.metadata ??= {};
    c.source ??= "";
    if (c.cell_type === "code") {
      c.outputs ??= [];
      c.execution_count ??= null;
    }
  });
  nb.metadata ??= {};
  nb.nbformat_minor = Math.max(nb.nbformat_minor ?? 0, 5);
  return nb;
}

/** Writes a notebook atomically, sources as lists of lines like Jupyter writes them. */
export function writeNotebook(file: string, nb: Notebook): void {
  const out = {
    ...nb,
    cells: nb.cells.map((c) => ({ ...c, source: toLines(sourceText(c.source)) })),
  };
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(3).toString("hex")}.tmp`);
  try {
    writeFileSync(tmp, JSON.stringify(out, null, 1) + "\n");
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function codeCells(nb: Notebook): CodeCell[] {
  return nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
}
