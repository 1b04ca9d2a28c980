/**
 * The "New Case Study" templates (extension/templates/*.ipynb, listed by extension/host/templates.ts
 * and copied by the New Case Study command) are written on the data-to-model layer — a frame with a
 * named target through `toXY`, a model's probabilities through `predictProba`, results shown as a
 * cell's last value — with none of the glue the library owns, and run headless as they ship.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { listTemplates } from "../../../extension/host/templates";
import { CLI, ROOT, requireBuilt, tempDir } from "../../helpers/paths";

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Array<{ output_type: string; data?: Record<string, unknown>; text?: string | string[] }>;
}
const TEMPLATES = listTemplates(join(ROOT, "extension", "templates"));
const text = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join("") : (s ?? ""));
const cellsOf = (file: string): Cell[] => (JSON.parse(readFileSync(file, "utf8")) as { cells: Cell[] }).cells;
const codeOf = (file: string) => cellsOf(file).filter((c) => c.cell_type === "code").map((c) => text(c.source)).join("\n");

const GLUE: Array<[RegExp, string]> = [
  [/\.predict\(/, "a model's predict: predictProba / predictClasses / predictValues"],
  [/\b(?:dataSync|arraySync|array)\(\)/, "reading tensors by hand: predictProba / XY.labels"],
  [/\bas\s+(?:number|any|string)\b/, "casts on library values"],
  [/new LabelEncoder\(\s*["']/, "toXY's classes"],
  [/backend\.use\([^)]*\bas\b/, "backend.use(name) as it is"],
  [/display\(await /, "a result displays itself as the cell's last value"],
];

test("the templates carry none of the glue the library owns; the classification template uses toXY and predictProba", () => {
  assert.ok(TEMPLATES.length >= 2);
  for (const t of TEMPLATES) {
    const code = codeOf(t.file);
    for (const [re, instead] of GLUE) assert.doesNotMatch(code, re, `${basename(t.file)}: ${instead}`);
  }
  const cls = codeOf(join(ROOT, "extension", "templates", "classification.ipynb"));
  assert.match(cls, /await toXY\(makeData\(800, 1\), \{ target \}\)/, "features and labels from a frame with a named target");
  assert.match(cls, /toXY\(makeData\(200, 2\), \{ target, classes: train\.classes \}\)/, "the test set reuses the training classes");
  assert.match(cls, /predictProba\(model, test\)/);
});

test("every template runs headless with `sciforge run` and shows its results", () => {
  requireBuilt();
  const out = tempDir();
  for (const t of TEMPLATES) {
    const name = basename(t.file);
    const r = spawnSync(process.execPath, [CLI, "run", t.file, "--out", join(out, name), "--quiet"], { encoding: "utf8", timeout: 240_000 });
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    const nb = JSON.parse(readFileSync(join(out, name), "utf8")) as { cells: Cell[]; metadata: { sciforge?: { run?: { status?: string } } } };
    assert.equal(nb.metadata.sciforge?.run?.status, "ok", name);
    const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
    assert.ok(!outputs.some((o) => o.output_type === "error"), `${name}: no errors`);
    assert.ok(outputs.some((o) => o.data && "application/vnd.sciforge.metrics-report+json" in o.data), `${name}: a metrics report`);
    if (name === "classification.ipynb") {
      const texts = outputs.map((o) => text(o.data?.["text/plain"] as string | string[] | undefined));
      assert.ok(texts.some((s) => /^XY\(800 rows × 2 features, target "shape": 2 classes \["inner", "ring"\], counts \[400, 400\]\)/.test(s)), "the training set's summary");
      assert.ok(texts.some((s) => /^<Training curves: 20 epochs/.test(s)), "the training curves");
      assert.ok(texts.some((s) => /accuracy\s+1\.00\s+200/.test(s)), "the report on 200 test points");
    }
  }
});
