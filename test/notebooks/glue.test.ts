// The case studies read like the pipeline: the glue a helper owns is not written again in a
// notebook. Each pattern below was copied into the notebooks before the data-to-model layer
// (issue #19); the library call that replaces it is named in the message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/paths";

const NOTEBOOKS = ["credit-risk.ipynb", "genomics-splice.ipynb", "image-classification.ipynb", "manufacturing-quality.ipynb"];

const GLUE: Array<[RegExp, string]> = [
  [/backend\.use\([^)]*\bas\b/, "backend.use(name) takes the parameter's string as it is"],
  // A model's predict; a running service's typed client (`service.predict(rows)`) is the API, not glue.
  [/(?<!\b(?:service|client))\.predict\(/, "predictProba / predictClasses / predictValues (or a bundle's predict)"],
  [/\b(?:dataSync|arraySync)\(/, "predictProba / predictClasses / XY.labels"],
  [/\bfetch\(/, "service.predict(rows) / serviceClient(url)"],
  [/\bmkdtempSync\b|process\.once\(\s*["']exit/, "workDir()"],
  [/Number\((?:rocAucScore|averagePrecisionScore|f1Score|r2Score)\(/, "metric functions return number unless average: null"],
  [/\bexclude:\s*\[\s*["'](?:Status|label|class|fat)["']\s*\]/, "toXY(frame, { target })"],
  [/\bas\s+(?:number|any|string)\b/, "typed results (no casts on library values)"],
  [/new LabelEncoder\(\s*["']/, "toXY's classes, or LabelEncoder({ column })"],
];

function codeOf(name: string): string[] {
  const nb = JSON.parse(readFileSync(join(ROOT, "notebooks", name), "utf8")) as { cells: Array<{ cell_type: string; source: string | string[] }> };
  return nb.cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
}

for (const name of NOTEBOOKS) {
  test(`${name}: none of the glue the library owns`, () => {
    const found: string[] = [];
    codeOf(name).forEach((src, cell) =>
      src.split("\n").forEach((line, i) => {
        for (const [re, instead] of GLUE) if (re.test(line)) found.push(`code cell ${cell + 1}, line ${i + 1}: ${line.trim()}  → use ${instead}`);
      }),
    );
    assert.deepEqual(found, []);
  });
}
