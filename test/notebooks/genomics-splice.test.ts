/**
 * The genomics case study, short version: genomics-splice.ipynb runs headless with the CLI on the
 * default backend, the position-aware CNN beats a floor and the k-mer baseline on held-out
 * sequences, and the saliency peaks sit at the donor GT / acceptor AG. The deploy sections: the
 * uint8 model keeps the accuracy, the bundle (CNN + sequence encoder) predicts like the CNN in
 * memory, the service answers and refuses a bad base, and a retrained v2 is compared with v1.
 * Also checks that the committed notebook carries the outputs of a full run with its default parameters.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/paths";
import { committedRun, outputTexts, runCaseStudy, runCardOf } from "../helpers/case-study";

const DATA_FILE = join(ROOT, "notebooks", "data", "genomics", "splice.csv");


/** The deploy sections' checks, for a short or a full run. */
function checkDeploy(results: Record<string, number>, texts: string[]): void {
  assert.ok(Math.abs(results.uint8AccuracyDelta) <= 0.01, `uint8 accuracy change ${results.uint8AccuracyDelta}`);
  assert.ok(results.uint8SizeRatio > 0.2 && results.uint8SizeRatio < 0.3, `uint8 size ratio ${results.uint8SizeRatio}`);
  assert.equal(results.bundleMatchesInMemory, 1, "the bundle loaded from disk predicts exactly like the CNN in memory");
  assert.equal(results.servedStatus, 200);
  assert.equal(results.refusedStatus, 400);
  assert.ok(texts.some((t) => /400: invalid input: row 1, column "sequence": letter "N" at position 30 is not in the alphabet "ACGT"/.test(t)), "the refusal names row, column and letter");
  assert.ok(results.corrections > 0, "the lab batch has mistakes to correct");
  // v1's held-out score in the retrain report is the evaluation's: same model, same test sequences.
  assert.equal(results.retrainV1Accuracy, results.cnnAccuracy);
  for (const k of ["retrainV2Accuracy", "retrainControlAccuracy"]) assert.ok(results[k] > 0.8 && results[k] <= 1, `${k} ${results[k]}`);
  assert.equal(results.v2Promoted, results.retrainV2Accuracy >= results.retrainV1Accuracy ? 1 : 0);
  assert.ok(texts.some((t) => new RegExp(`^Retrain splice-cnn: v2 from v1 with ${results.corrections} correction\\(s\\)`).test(t)), "the retrain report compares v2 with v1");
}

test("genomics-splice.ipynb runs headless with -p epochs=5: CNN accuracy above 0.88, far above the k-mer baseline, saliency peaks at GT / AG; uint8 keeps the accuracy, the bundle predicts like the CNN, the service refuses a bad base, v2 is compared with v1", () => {
  const { nb, outputs, texts, html } = runCaseStudy("genomics-splice.ipynb", { epochs: 5, retrainEpochs: 1 });
  const { results, params, data, seed } = runCardOf(nb);
  assert.deepEqual(params, { epochs: 5, k: 3, retrainEpochs: 1 });
  assert.equal(seed, 42);
  assert.equal(data[0].sha256, createHash("sha256").update(readFileSync(DATA_FILE)).digest("hex"));
  assert.ok(results.cnnAccuracy > 0.88, `CNN accuracy ${results.cnnAccuracy}`);
  assert.ok(results.cnnMacroF1 > 0.85, `CNN macro F1 ${results.cnnMacroF1}`);
  assert.ok(results.kmerAccuracy > 0.5 && results.kmerAccuracy < results.cnnAccuracy - 0.15, `k-mer baseline ${results.kmerAccuracy} vs CNN ${results.cnnAccuracy}`);
  // Donor windows: the intron's GT is at positions 31–32; acceptor windows: its AG at 29–30.
  assert.ok(results.saliencyPeakEi >= 30 && results.saliencyPeakEi <= 33, `donor saliency peak at ${results.saliencyPeakEi}`);
  assert.ok(results.saliencyPeakIe >= 28 && results.saliencyPeakIe <= 31, `acceptor saliency peak at ${results.saliencyPeakIe}`);

  assert.ok(texts.some((t) => /^<Saliency by position: 3 series × 60 positions>/.test(t)), "saliency figure");
  assert.ok(texts.some((t) => /exactDuplicatesDropped: 184/.test(t)), "duplicates are dropped before the split");
  checkDeploy(results, texts);
  const workDir = texts.map((t) => /at (\/\S+)\/splice-cnn\/v1/.exec(t)?.[1]).find(Boolean);
  assert.ok(workDir, "the bundle's folder is shown");
  assert.equal(existsSync(workDir), false, `the temporary folder ${workDir} is removed`);
  const report = outputs.find((o) => o.output_type === "execute_result" && "application/vnd.sciforge.metrics-report+json" in o.data);
  assert.ok(report, "the evaluation report is in the notebook");
  assert.match(html, /Splice junctions: reading DNA with a 1D CNN/);
  assert.match(html, /macro avg/);
});

test("the committed genomics-splice.ipynb carries a full run with its default parameters", () => {
  const { nb, results, pngs } = committedRun("genomics-splice.ipynb");
  assert.ok(results.cnnAccuracy > 0.9, `saved CNN accuracy ${results.cnnAccuracy}`);
  checkDeploy(results, outputTexts(nb));
  assert.ok(pngs >= 4, `static pictures for GitHub: ${pngs}`);
});
