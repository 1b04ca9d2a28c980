/**
 * The manufacturing case study, short version: manufacturing-quality.ipynb runs headless with the
 * CLI on the default backend; the NIR-spectra CNN and the linear model reach R² floors on held-out
 * meat samples, the CNN's saliency peaks in the fat band, and class weights lift the macro recall
 * of the rare shuttle states. The deploy sections: quantization keeps the R², the bundle (scaling +
 * CNN on [100, 1]) predicts like the CNN in memory, the service answers and refuses a short
 * spectrum, and a retrained v2 is compared with v1 and a control. Also checks that the committed
 * notebook carries a full run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/paths";
import { committedRun, outputTexts, runCaseStudy, runCardOf } from "../helpers/case-study";

const sha256 = (file: string) => createHash("sha256").update(readFileSync(join(ROOT, "notebooks", "data", "tabular", file))).digest("hex");

/** The meats deploy sections' checks, for a short or a full run. */
function checkDeploy(results: Record<string, number>, outputs: string[]): void {
  assert.ok(Math.abs(results.meatsUint8R2Delta) <= 0.01, `uint8 R² change ${results.meatsUint8R2Delta}`);
  assert.ok(results.meatsUint8SizeRatio > 0.2 && results.meatsUint8SizeRatio < 0.35, `uint8 size ratio ${results.meatsUint8SizeRatio}`);
  assert.equal(results.meatsBundleMatchesInMemory, 1, "the bundle loaded from disk predicts exactly like the CNN in memory");
  assert.equal(results.meatsServedRows, 3, "service.predict answered the 3 spectra (it throws a ServiceError on any other status)");
  assert.equal(results.meatsRefusedStatus, 400);
  assert.ok(outputs.some((t) => /99 absorbances: ServiceError POST \/predict → 400: invalid input: row 0: missing feature "x_100"/.test(t)), "the refusal is a ServiceError that says what is wrong");
  assert.equal(results.meatsLabSamples, 26, "the later lab samples: 15 % of the 172 non-test samples");
  // v1's held-out RMSE in the retrain report is the evaluation's: same model, same 43 test samples.
  assert.ok(Math.abs(results.meatsRetrainV1Rmse - results.meatsCnnRmse) < 1e-3, `retrain v1 RMSE ${results.meatsRetrainV1Rmse} vs evaluation ${results.meatsCnnRmse}`);
  for (const k of ["meatsRetrainV2Rmse", "meatsRetrainControlRmse"]) assert.ok(results[k] > 0 && results[k] < 6, `${k} ${results[k]}`);
  assert.equal(results.meatsV2Promoted, results.meatsRetrainV2Rmse <= results.meatsRetrainV1Rmse ? 1 : 0);
  assert.ok(outputs.some((t) => /^Retrain meat-fat: v2 from v1 with 26 correction\(s\)/.test(t)), "the retrain report compares v2 with v1");
}

test("manufacturing-quality.ipynb runs headless in short mode: meats R² floors, saliency in the fat band, class weights lift shuttle macro recall; uint8 keeps R², the bundle predicts like the CNN, the service refuses a short spectrum, v2 is compared with v1", () => {
  const { nb, outputs: all, texts: outputs, html } = runCaseStudy("manufacturing-quality.ipynb", { cnnEpochs: 40, linearEpochs: 600, shuttleEpochs: 4, folds: 3, retrainEpochs: 5 });
  const { results, params, data, seed } = runCardOf(nb);
  assert.deepEqual(params, { cnnEpochs: 40, linearEpochs: 600, shuttleEpochs: 4, folds: 3, retrainEpochs: 5 });
  assert.equal(seed, 42);
  assert.deepEqual(data.map((d) => [d.name, d.sha256]), [["meats.csv", sha256("meats.csv")], ["shuttle.csv", sha256("shuttle.csv")]]);
  assert.ok(results.meatsCnnR2 > 0.85, `meats CNN R² ${results.meatsCnnR2}`);
  assert.ok(results.meatsLinearR2 > 0.7, `meats linear R² ${results.meatsLinearR2}`);
  assert.ok(results.meatsLinearCvR2 > 0.7, `meats linear CV R² ${results.meatsLinearCvR2}`);
  assert.ok(results.meatsCnnMae > 0 && results.meatsCnnMae < 4, `meats CNN MAE ${results.meatsCnnMae} (fat %)`);
  assert.ok(results.meatsSaliencyPeakNm >= 900 && results.meatsSaliencyPeakNm <= 960, `saliency peak at ${results.meatsSaliencyPeakNm} nm`);
  assert.ok(results.shuttleMacroRecallBalanced > 0.75, `shuttle macro recall with balanced weights ${results.shuttleMacroRecallBalanced}`);
  assert.ok(results.shuttleMacroRecallBalanced > results.shuttleMacroRecallPlain + 0.2, `weights ${results.shuttleMacroRecallBalanced} vs none ${results.shuttleMacroRecallPlain}`);

  const texts = outputs;
  assert.ok(texts.some((t) => /^<Predicted vs actual: 43 samples, R²=/.test(t)), "predicted-vs-actual figure");
  assert.ok(texts.some((t) => /^<Confusion matrix \(normalize=true\)/.test(t)), "confusion matrix");
  assert.ok(texts.some((t) => /Fpv\.Close\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+10\n/.test(t)), "classification report with per-class recall");
  const reports = all.filter((o) => o.output_type === "execute_result" && "application/vnd.sciforge.metrics-report+json" in o.data);
  assert.equal(reports.length, 2, "a regression and a classification report");
  checkDeploy(results, outputs);
  const workDir = outputs.map((t) => /at (\/\S+)\/meat-fat\/v1/.exec(t)?.[1]).find(Boolean);
  assert.ok(workDir, "the bundle's folder is shown");
  assert.equal(existsSync(workDir), false, `the temporary folder ${workDir} is removed`);
  assert.match(html, /Manufacturing quality: spectra and sensor states/);
  assert.match(html, /macro avg/);
});

test("the committed manufacturing-quality.ipynb carries a full run with its default parameters", () => {
  const { nb, results, pngs } = committedRun("manufacturing-quality.ipynb");
  assert.ok(results.meatsCnnR2 > 0.95, `saved meats CNN R² ${results.meatsCnnR2}`);
  assert.ok(results.shuttleMacroRecallBalanced > 0.9, `saved shuttle macro recall ${results.shuttleMacroRecallBalanced}`);
  checkDeploy(results, outputTexts(nb));
  assert.ok(pngs >= 6, `static pictures for GitHub: ${pngs}`);
});
