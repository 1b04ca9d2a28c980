// Static fallbacks are real pictures: figures render to PNG (checked by decoding the pixels:
// size, how many are not background, and that the series colours are present), bundles carry
// plotly + SVG + PNG + text, and a few PNGs are saved to .test-output/plot/ for a human look.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import {
  type Figure,
  imageGrid,
  plot,
  plotClassMetrics,
  plotConfusionMatrix,
  plotHistogram,
  plotPrecisionRecallCurve,
  plotPredictedVsActual,
  plotResiduals,
  plotRocCurve,
  plotCalibrationCurve,
  plotCostCurve,
  plotTrainingCurves,
  plotlyToVegaLite,
  UnsupportedFigureError,
} from "../../../kernel-helpers/lib/plot";
import { costThreshold } from "../../../kernel-helpers/lib/metrics";

const out = join(process.env.SCIFORGE_ROOT ?? process.cwd(), ".test-output", "plot");
mkdirSync(out, { recursive: true });

interface PixelStats {
  width: number;
  height: number;
  nonBackground: number;
  /** Pixels with a clearly coloured (not grey) value. */
  coloured: number;
  /** Pixels close to a given colour. */
  near(hex: string, tol?: number): number;
}

async function pixels(png: Buffer): Promise<PixelStats> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let nonBackground = 0;
  let coloured = 0;
  for (let i = 0; i < data.length; i += 3) {
    if (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245) nonBackground++;
    if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 50) coloured++;
  }
  return {
    width: info.width,
    height: info.height,
    nonBackground,
    coloured,
    near(hex: string, tol = 30) {
      const r = parseInt(hex.slice(1, 3), 16);
      const g = parseInt(hex.slice(3, 5), 16);
      const b = parseInt(hex.slice(5, 7), 16);
      let n = 0;
      for (let i = 0; i < data.length; i += 3)
        if (Math.abs(data[i] - r) <= tol && Math.abs(data[i + 1] - g) <= tol && Math.abs(data[i + 2] - b) <= tol) n++;
      return n;
    },
  };
}

function checkBundle(fig: Figure): void {
  const b = mimeBundleOf(fig);
  assert.ok(b[MIME.plotly], "plotly JSON");
  assert.match(String(b[MIME.svg]), /^<svg[\s\S]*<\/svg>$/);
  assert.ok(typeof b[MIME.png] === "string" && (b[MIME.png] as string).length > 1000, "base64 PNG");
  assert.ok(String(b[MIME.text]).length > 10, "text/plain");
  assert.deepEqual(Buffer.from(b[MIME.png] as string, "base64").subarray(1, 4).toString(), "PNG");
}

// A seeded generator so pictures are the same on every run.
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("confusion matrix heatmap renders cells and numbers", async () => {
  const r = rng(1);
  const yTrue = Array.from({ length: 300 }, () => Math.floor(r() * 3));
  const yPred = yTrue.map((y) => (r() < 0.75 ? y : Math.floor(r() * 3)));
  const fig = await plotConfusionMatrix(yTrue, yPred, { targetNames: ["cat", "dog", "bird"] });
  checkBundle(fig);
  const heat = fig.plotly.data[0];
  assert.equal(heat.type, "heatmap");
  assert.equal((heat.z as number[][]).flat().reduce((s, v) => s + v, 0), 300);
  assert.match(fig.svg!, />cat</);
  const px = await pixels(fig.png!);
  assert.ok(px.width >= 600 && px.height >= 500, `size ${px.width}x${px.height}`);
  assert.ok(px.nonBackground > px.width * px.height * 0.2, `non-background ${px.nonBackground}`);
  // The diagonal (large counts) is dark blue in the "blues" scheme.
  assert.ok(px.near("#08306b", 60) > 1000, "dark blue cells");
  writeFileSync(join(out, "confusion-matrix.png"), fig.png!);
});

test("ROC curve: one-vs-rest lines in palette colours plus the chance diagonal", async () => {
  const r = rng(2);
  const yTrue = Array.from({ length: 400 }, () => Math.floor(r() * 3));
  const scores = yTrue.map((y) => {
    const s = [r(), r(), r()];
    s[y] += 0.8;
    const t = s[0] + s[1] + s[2];
    return s.map((v) => v / t);
  });
  const fig = await plotRocCurve(yTrue, scores, { targetNames: ["a", "b", "c"] });
  checkBundle(fig);
  assert.equal(fig.plotly.data.length, 4);
  assert.match(String(fig.plotly.data[0].name), /^a \(AUC = 0\.\d{3}\)$/);
  const px = await pixels(fig.png!);
  assert.ok(px.near("#4c78a8") > 200, "first class line (blue)");
  assert.ok(px.near("#f58518") > 200, "second class line (orange)");
  writeFileSync(join(out, "roc-curve.png"), fig.png!);
});

test("training curves: two panels, dashed validation; static:false skips the images for live updates", async () => {
  const epochs = 20;
  const history = {
    epoch: Array.from({ length: epochs }, (_, i) => i + 1),
    loss: Array.from({ length: epochs }, (_, i) => 1.2 * Math.exp(-i / 6) + 0.1),
    val_loss: Array.from({ length: epochs }, (_, i) => 1.3 * Math.exp(-i / 7) + 0.18),
    acc: Array.from({ length: epochs }, (_, i) => 0.95 - 0.5 * Math.exp(-i / 5)),
    val_acc: Array.from({ length: epochs }, (_, i) => 0.9 - 0.5 * Math.exp(-i / 5)),
  };
  const fig = await plotTrainingCurves(history);
  checkBundle(fig);
  assert.equal(fig.plotly.data.find((t) => t.name === "val_loss")?.line?.dash, "dash");
  assert.equal(fig.plotly.data.find((t) => t.name === "acc")?.xaxis, "x2");
  const px = await pixels(fig.png!);
  assert.ok(px.width > 1400, `two panels side by side: ${px.width}px wide`);
  assert.ok(px.near("#4c78a8") > 300 && px.near("#f58518") > 300);
  writeFileSync(join(out, "training-curves.png"), fig.png!);
  const live = await plotTrainingCurves(history, { static: false });
  const b = mimeBundleOf(live);
  assert.deepEqual(Object.keys(b).sort(), [MIME.plotly, MIME.text].sort());
  // tfjs History shape works too.
  const tf = await plotTrainingCurves({ epoch: [0, 1, 2], history: { loss: [1, 0.5, 0.3] } }, { static: false });
  assert.deepEqual(tf.plotly.data[0].y, [1, 0.5, 0.3]);
});

test("other figures render non-empty pictures", async () => {
  const r = rng(3);
  const yt = Array.from({ length: 500 }, () => r() * 10);
  const yp = yt.map((v) => v + (r() - 0.5) * 2);
  const figs: [string, Figure][] = [
    ["pr-curve", await plotPrecisionRecallCurve(yt.map((v) => (v > 5 ? 1 : 0)), yp.map((v) => v / 11))],
    ["histogram", await plotHistogram({ actual: yt, predicted: yp }, { bins: 20 })],
    ["predicted-vs-actual", await plotPredictedVsActual(yt, yp)],
    ["residuals", await plotResiduals(yt, yp)],
    ["class-metrics", await plotClassMetrics([0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 2, 1, 0, 1])],
  ];
  for (const [name, fig] of figs) {
    writeFileSync(join(out, `${name}.png`), fig.png!);
    checkBundle(fig);
    const px = await pixels(fig.png!);
    assert.ok(px.width > 500 && px.height > 400, `${name}: ${px.width}x${px.height}`);
    assert.ok(px.nonBackground > 5000, `${name}: ${px.nonBackground} non-background pixels`);
    // Marks are drawn in colour (translucent ones mixed with white), axes and text in grey.
    assert.ok(px.coloured > 1000, `${name}: ${px.coloured} coloured pixels`);
  }
  const hist = figs[1][1].plotly.data;
  assert.equal((hist[0].y as number[]).reduce((s, v) => s + v, 0), 500, "every value counted once");
});

test("plot(): generic plotly figures map to Vega-Lite; unsupported traces fall back to text only", async () => {
  const bar = await plot({ data: [{ type: "bar", x: ["a", "b", "c"], y: [3, 5, 2], name: "n" }], layout: { title: { text: "Bars" } } });
  checkBundle(bar);
  const px = await pixels(bar.png!);
  assert.ok(px.near("#4c78a8") > 2000, "bars drawn in blue");
  const spec = plotlyToVegaLite({ data: [{ type: "scatter", x: [1, 2], y: [3, 4], mode: "markers" }, { type: "histogram", x: [1, 2, 2, 3] }] });
  assert.equal((spec.layer as unknown[]).length, 2);
  assert.throws(() => plotlyToVegaLite({ data: [{ type: "pie", values: [1, 2] }] }), UnsupportedFigureError);
  const pie = await plot({ data: [{ type: "pie", values: [1, 2], labels: ["x", "y"] }] });
  const b = mimeBundleOf(pie);
  assert.ok(b[MIME.plotly]);
  assert.equal(b[MIME.png], undefined);
  assert.match(String(b[MIME.text]), /pie/);
  await assert.rejects(() => plot({} as never), /figure: expected a plotly figure/);
});

test("image grid: per-image PNGs, a composite PNG, an HTML table and text", async () => {
  // Eight 28×28 grayscale "digits": a filled square whose size depends on the index.
  const images = Array.from({ length: 8 }, (_, k) =>
    Array.from({ length: 28 }, (_, i) => Array.from({ length: 28 }, (_, j) => (Math.abs(i - 14) < 3 + k && Math.abs(j - 14) < 3 + k ? 1 : 0))),
  );
  const predicted = [0, 1, 2, 3, 4, 5, 6, 0];
  const actual = [0, 1, 2, 3, 4, 5, 6, 7];
  const grid = await imageGrid(images, { predicted, actual, classNames: ["zero", "one", "two", "three", "four", "five", "six", "seven"], columns: 4 });
  const b = mimeBundleOf(grid);
  assert.equal(grid.payload.images.length, 8);
  assert.equal(grid.payload.images[7].correct, false);
  assert.equal(grid.payload.images[7].predicted, "zero");
  assert.match(String(b[MIME.html]), /<table>.*data:image\/png;base64/);
  assert.match(String(b[MIME.text]), /7\/8 predicted correctly/);
  const tile = await pixels(Buffer.from(grid.payload.images[0].png, "base64"));
  assert.equal(tile.width, 84);
  const px = await pixels(grid.png);
  assert.ok(px.width >= 4 * 84 && px.height >= 2 * 84);
  assert.ok(px.nonBackground > 8 * 84 * 84 * 0.5, "dark image backgrounds visible");
  assert.ok(px.near("#cf222e", 40) > 20, "red caption of the wrong prediction");
  writeFileSync(join(out, "image-grid.png"), grid.png);
  // RGB tensor-shaped input.
  const rgb = { shape: [2, 4, 4, 3], data: new Uint8Array(2 * 4 * 4 * 3).fill(200) };
  const g2 = await imageGrid(rgb, {});
  assert.equal(g2.payload.images.length, 2);
  await assert.rejects(() => imageGrid({ shape: [2, 4], data: [1, 2, 3, 4, 5, 6, 7, 8] }), /images: expected shape/);
});

test("live training curves update one display in place (same display id)", async () => {
  const calls: { data: Record<string, unknown>; id: string | undefined; update: boolean }[] = [];
  const key = Symbol.for("sciforge.kernel");
  const g = globalThis as Record<symbol, unknown>;
  const previous = g[key];
  g[key] = {
    display: (data: Record<string, unknown>, _m: unknown, id: string | undefined, update: boolean) => calls.push({ data, id, update }),
    input: async () => "",
    interrupted: false,
  };
  try {
    const { showTrainingCurves } = await import("../../../kernel-helpers/lib/plot");
    const h = { loss: [1] as number[], val_loss: [1.1] as number[] };
    const live = await showTrainingCurves(h);
    for (let e = 2; e <= 4; e++) {
      h.loss.push(1 / e);
      h.val_loss.push(1.1 / e);
      await live.update(h);
    }
    await live.finish(h);
    assert.equal(calls.length, 5);
    assert.equal(calls[0].update, false);
    assert.ok(calls.slice(1).every((c) => c.update && c.id === calls[0].id), "updates reuse the display id");
    assert.equal(calls[3].data[MIME.png], undefined, "live updates skip the static picture");
    assert.ok(calls[4].data[MIME.png], "finish() adds the PNG");
    const traces = (calls[4].data[MIME.plotly] as { data: { y: number[] }[] }).data;
    assert.equal(traces[0].y.length, 4);
  } finally {
    g[key] = previous;
  }
});

test("calibration curve compares models with Brier scores; cost curve marks the cheapest threshold", async () => {
  const r = rng(5);
  const p = Array.from({ length: 400 }, () => r());
  const y = p.map((v) => (r() < v ? 1 : 0));
  const overconfident = p.map((v) => (v > 0.5 ? Math.min(1, v + 0.3) : Math.max(0, v - 0.3)));
  const fig = await plotCalibrationCurve(y, { calibrated: p, overconfident });
  checkBundle(fig);
  assert.equal(fig.plotly.data.length, 3);
  assert.match(String(fig.plotly.data[0].name), /^calibrated \(Brier = 0\.\d{3}\)$/);
  assert.match(String(mimeBundleOf(fig)[MIME.text]), /calibrated: Brier=0\.\d{4}, overconfident: Brier=0\.\d{4}/);
  const px = await pixels(fig.png!);
  assert.ok(px.near("#4c78a8") > 150 && px.near("#f58518") > 150, "both model lines drawn");
  writeFileSync(join(out, "calibration-curve.png"), fig.png!);
  const cost = costThreshold(y, p, { costFalsePositive: 1, costFalseNegative: 4 });
  const cf = await plotCostCurve(cost);
  checkBundle(cf);
  assert.deepEqual(cf.plotly.data[1].x, [cost.threshold]);
  writeFileSync(join(out, "cost-curve.png"), cf.png!);
});

test("heatmap colour scales match plotly's orientation: RdBu centred on zmid draws blue lows and red highs", async () => {
  const z = [[-2, -1, 0, 1, 2], [-1, 0, 0, 0, 1]];
  const fig = await plot({ data: [{ type: "heatmap", z, x: [1, 2, 3, 4, 5], y: ["a", "b"], colorscale: "RdBu", zmid: 0 }], layout: { width: 400, height: 260 } });
  assert.match(JSON.stringify(fig.vegaLite), /"scale":\{"scheme":"redblue","reverse":true,"domainMid":0\}/);
  const px = await pixels(fig.png!);
  // plotly's RdBu: the lowest value is blue, the highest red.
  assert.ok(px.near("#053061", 70) + px.near("#2166ac", 60) > 300, "blue cells for negative values");
  assert.ok(px.near("#67001f", 70) + px.near("#b2182b", 60) > 300, "red cells for positive values");
  writeFileSync(join(out, "heatmap-rdbu.png"), fig.png!);
});
