import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tfjs } from "../../../kernel-helpers/lib/train/tf";
import { fileHandler } from "../../../kernel-helpers/lib/train/io/file-handler";
import { quantize } from "../../../kernel-helpers/lib/deploy/compress/quantize";
import { prune } from "../../../kernel-helpers/lib/deploy/compress/prune";
import { compressionReport } from "../../../kernel-helpers/lib/deploy/compress/report";
import { toFloat16Bits } from "../../../kernel-helpers/lib/deploy/compress/float16";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import { trainOn, type Trained } from "../../fixtures/deploy/models";

const dir = mkdtempSync(join(tmpdir(), "sciforge-compress-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let trained: Trained | undefined;
async function model(): Promise<Trained> {
  // Breast cancer (569×30, real): an MLP with 30·128 + 128·64 + 64·2 kernel weights (~12k).
  trained ??= await trainOn("breast_cancer.csv", { hidden: [128, 64], epochs: 10, seed: 2 });
  return trained;
}

test("float16 encoding matches known bit patterns", () => {
  assert.equal(toFloat16Bits(1), 0x3c00);
  assert.equal(toFloat16Bits(-2), 0xc000);
  assert.equal(toFloat16Bits(65504), 0x7bff);
  assert.equal(toFloat16Bits(1e6), 0x7c00);
  assert.equal(toFloat16Bits(0.1), 0x2e66);
  assert.equal(toFloat16Bits(5.960464477539063e-8), 0x0001);
});

test("uint8 quantization: standard manifest, tf.loadLayersModel dequantizes, size ≈ ¼, accuracy delta reported", async () => {
  const t = await model();
  const tf = tfjs();
  const q = await quantize(t.model, { dtype: "uint8", dir: join(dir, "q8") });
  const manifest = JSON.parse(readFileSync(join(dir, "q8", "model.json"), "utf8"));
  const entries = manifest.weightsManifest[0].weights as Array<{ dtype: string; quantization?: { dtype: string; min: number; scale: number } }>;
  assert.ok(entries.length >= 6);
  for (const e of entries) {
    assert.equal(e.dtype, "float32");
    assert.equal(e.quantization?.dtype, "uint8");
    assert.equal(typeof e.quantization?.min, "number");
    assert.ok(e.quantization!.scale > 0);
  }
  // Reload with tfjs's own loader (our IOHandler only reads the files; tfjs decodes the quantization).
  const reloaded = await tf.loadLayersModel(fileHandler(join(dir, "q8")));
  const a = t.model.getWeights().map((w) => w.dataSync());
  const b = reloaded.getWeights().map((w) => w.dataSync());
  let maxErr = 0;
  a.forEach((wa, i) => wa.forEach((v, j) => (maxErr = Math.max(maxErr, Math.abs(v - b[i][j])))));
  assert.ok(maxErr > 0, "weights were really quantized");
  assert.ok(maxErr <= q.maxAbsError + 1e-6, `reload error ${maxErr} vs reported ${q.maxAbsError}`);

  const origDir = join(dir, "orig");
  await t.model.save(fileHandler(origDir));
  const ratio = statSync(join(dir, "q8", "weights.bin")).size / statSync(join(origDir, "weights.bin")).size;
  assert.ok(Math.abs(ratio - 0.25) < 0.001, `weights.bin ratio ${ratio}`);

  const f16 = await quantize(t.model, { dtype: "float16", dir: join(dir, "f16") });
  assert.equal(f16.weightBytesAfter * 2, f16.weightBytesBefore);

  const report = await compressionReport({
    original: t.model,
    originalDir: origDir,
    variants: [
      { name: "uint8", model: reloaded, dir: q.dir },
      { name: "float16", model: f16.model, dir: f16.dir },
    ],
    x: t.xTest,
    y: t.yTest,
  });
  const r8 = report.row("uint8")!;
  const orig = report.row("original")!;
  console.log(`compression report:\n${mimeBundleOf(report)["text/plain"]}`);
  assert.ok(orig.accuracy > 0.9, `original accuracy ${orig.accuracy}`);
  // The whole folder (model.json included) is about a quarter of the float32 one.
  assert.ok(r8.sizeRatio < 0.3 && r8.sizeRatio > 0.24, `folder size ratio ${r8.sizeRatio}`);
  assert.ok(Math.abs(report.row("float16")!.sizeRatio - 0.5) < 0.04, `float16 folder ratio ${report.row("float16")!.sizeRatio}`);
  assert.equal(r8.accuracyDelta, r8.accuracy - orig.accuracy);
  assert.ok(Math.abs(r8.accuracyDelta) <= 0.05, `uint8 accuracy delta ${r8.accuracyDelta}`);
  assert.ok(r8.latencyMs > 0);
  assert.match(String(mimeBundleOf(report)["text/html"]), /accuracyDelta/);
});

test("magnitude pruning: reported sparsity is real, original untouched, accuracy delta reported; fine-tune keeps zeros", async () => {
  const t = await model();
  const before = t.model.getWeights()[0].dataSync().slice();
  const p = await prune(t.model, { sparsity: 0.5 });
  assert.ok(Math.abs(p.sparsity - 0.5) < 1e-3, `global sparsity ${p.sparsity}`);
  assert.deepEqual(t.model.getWeights()[0].dataSync(), before, "original model unchanged");
  const zeros = p.model.getWeights().filter((w) => w.shape.length === 2).reduce((a, w) => a + Array.from(w.dataSync()).filter((v) => v === 0).length, 0);
  const total = p.model.getWeights().filter((w) => w.shape.length === 2).reduce((a, w) => a + w.size, 0);
  assert.equal(zeros / total, p.sparsity);

  const perLayer = await prune(t.model, { sparsity: 0.7, scope: "layer" });
  for (const l of perLayer.perLayer) assert.ok(Math.abs(l.sparsity - 0.7) < 0.01, `${l.layer}: ${l.sparsity}`);

  const tuned = await prune(t.model, { sparsity: 0.8, fineTune: { x: t.xTrain, y: t.yTrain, epochs: 2, batchSize: 32, seed: 1 } });
  assert.ok(Math.abs(tuned.sparsity - 0.8) < 1e-3, `sparsity after fine-tune ${tuned.sparsity}`);

  const report = await compressionReport({
    original: t.model,
    variants: [
      { name: "pruned-50", model: p.model },
      { name: "pruned-80+ft", model: tuned.model },
    ],
    x: t.xTest,
    y: t.yTest,
    repeats: 5,
  });
  console.log(`pruning report:\n${mimeBundleOf(report)["text/plain"]}`);
  const r = report.row("pruned-50")!;
  assert.ok(Math.abs(r.sparsity - 0.5) < 1e-3);
  assert.ok(Number.isFinite(r.accuracyDelta));
  assert.ok(r.gzipBytes < report.row("original")!.gzipBytes, "zeros compress");
});
