/**
 * Running a case-study notebook headless for a spec: the CLI on the default backend with
 * papermill parameters, the executed notebook and its HTML report in a temporary folder, and
 * the checks every case study shares (no error outputs, run status ok).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CodeCell, Notebook } from "../../extension/notebook/nbformat";
import { CLI, ROOT, requireBuilt, tempDir } from "./paths";

/** What `runCard()` records (its application/json output). */
export interface RunCardJson {
  seed: number;
  data: Array<{ name: string; sha256: string }>;
  params: Record<string, number>;
  results: Record<string, number>;
}

export interface CaseStudyRun {
  nb: Notebook;
  cells: CodeCell[];
  outputs: CodeCell["outputs"];
  /** Every output as text (stream text, or a rich output's text/plain), in order. */
  texts: string[];
  html: string;
  seconds: number;
}

const textOf = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));

/** Runs notebooks/NAME with `-p key=value` parameters and checks it ran cleanly. */
export function runCaseStudy(name: string, params: Record<string, number | string>, timeoutMs = 300_000): CaseStudyRun {
  requireBuilt();
  const out = tempDir();
  const flags = Object.entries(params).flatMap(([k, v]) => ["-p", `${k}=${v}`]);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, "run", join(ROOT, "notebooks", name), ...flags, "--out", join(out, name), "--html", join(out, "report.html"), "--quiet"], {
    encoding: "utf8",
    timeout: timeoutMs,
  });
  const seconds = (performance.now() - t0) / 1000;
  assert.equal(r.status, 0, r.stderr);
  const nb: Notebook = JSON.parse(readFileSync(join(out, name), "utf8"));
  const cells = nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
  const outputs = cells.flatMap((c) => c.outputs);
  assert.deepEqual(outputs.filter((o) => o.output_type === "error"), [], "no error outputs");
  assert.equal((nb.metadata.sciforge as { run: { status: string } }).run.status, "ok");
  const texts = outputTexts(nb);
  return { nb, cells, outputs, texts, html: readFileSync(join(out, "report.html"), "utf8"), seconds };
}

/** The run card of a notebook: the JSON of its last cell's result. */
export function runCardOf(nb: Notebook): RunCardJson {
  const cells = nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
  const out = cells.at(-1)!.outputs.find((o) => o.output_type === "execute_result") as unknown as { data: { "application/json": RunCardJson } } | undefined;
  assert.ok(out, "the last cell shows the run card");
  return out.data["application/json"];
}

/** Every code-cell output of a notebook as text: stream text, or a rich output's text/plain. */
export function outputTexts(nb: Notebook): string[] {
  return nb.cells.flatMap((c) => (c.cell_type === "code" ? c.outputs : [])).map((o) => {
    const out = o as { data?: Record<string, unknown>; text?: unknown };
    return out.text !== undefined ? textOf(out.text) : textOf(out.data?.["text/plain"]);
  });
}

/**
 * The committed notebooks/NAME as a full run: executed without -p overrides, every code cell
 * ran, and its run card's parameters are the defaults of its `parameters` cell.
 */
export function committedRun(name: string): { nb: Notebook; results: Record<string, number>; pngs: number } {
  const nb: Notebook = JSON.parse(readFileSync(join(ROOT, "notebooks", name), "utf8"));
  const run = (nb.metadata.sciforge as { run: { status: string; parameters: Record<string, unknown> } }).run;
  assert.equal(run.status, "ok");
  assert.deepEqual(run.parameters, {}, "executed without -p overrides");
  const cells = nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
  assert.ok(cells.every((c) => c.execution_count !== null), "every code cell ran");
  const { params, results } = runCardOf(nb);
  const defaults = cells.find((c) => c.metadata.tags?.includes("parameters"));
  assert.ok(defaults, "a parameters cell");
  const source = textOf(defaults.source);
  // Numbers only: a text parameter may be resolved (e.g. dataDir "auto" → the folder used).
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === "number") assert.ok(source.includes(`let ${key} = ${value};`), `${key} = ${value} is the default`);
  }
  const pngs = cells.flatMap((c) => c.outputs).filter((o) => "data" in o && o.data && "image/png" in o.data).length;
  return { nb, results, pngs };
}
