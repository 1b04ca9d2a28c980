// plotSaliency: one line per series over 1-based positions, static SVG/PNG fallbacks with the
// series colours, a text fallback naming the top positions, and clear errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import { plotSaliency } from "../../../kernel-helpers/lib/plot";
import { PALETTE } from "../../../kernel-helpers/lib/plot/palette";
import type { SaliencyMap } from "../../../kernel-helpers/lib/train/explain/saliency";

async function pixelsNear(png: Buffer, hex: string, tol = 30): Promise<number> {
  const { data } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < data.length; i += 3) if (Math.abs(data[i] - r) <= tol && Math.abs(data[i + 1] - g) <= tol && Math.abs(data[i + 2] - b) <= tol) n++;
  return n;
}

test("plotSaliency draws one line per series with static fallbacks and names the top positions", async () => {
  const peak = (at: number, height: number) => Array.from({ length: 60 }, (_, p) => height * Math.exp(-(((p - at) / 2) ** 2)) + 0.01);
  const map = { positions: Float64Array.from(peak(30, 2)) } as SaliencyMap;
  const fig = await plotSaliency({ donor: map, acceptor: peak(28, 0.5) }, { normalize: true, title: "Where the CNN looks" });
  const traces = fig.plotly.data;
  assert.equal(traces.length, 2);
  assert.deepEqual(traces.map((t) => t.name), ["donor", "acceptor"]);
  assert.deepEqual((traces[0].x as number[]).slice(0, 3), [1, 2, 3], "positions are 1-based");
  assert.equal(Math.max(...(traces[1].y as number[])), 1, "normalized to a maximum of 1");
  const b = mimeBundleOf(fig);
  assert.match(String(b[MIME.text]), /donor: top positions 31 \(1\.00\), 30 \(0\.7\d+\), 32 \(0\.7\d+\)/);
  assert.match(String(b[MIME.text]), /acceptor: top positions 29 \(1\.00\)/);
  assert.match(String(b[MIME.svg]), /^<svg[\s\S]*Where the CNN looks[\s\S]*<\/svg>$/);
  const png = Buffer.from(String(b[MIME.png]), "base64");
  assert.ok((await pixelsNear(png, PALETTE[0])) > 100, "first series colour drawn");
  assert.ok((await pixelsNear(png, PALETTE[1])) > 100, "second series colour drawn");
  const one = await plotSaliency(new Float32Array([0, 3, 1]), { start: 0, static: false });
  assert.deepEqual(one.plotly.data[0].x, [0, 1, 2]);
  assert.equal(one.plotly.layout?.showlegend, false);
  assert.equal(mimeBundleOf(one)[MIME.png], undefined, "static: false sends no picture");
  const nm = await plotSaliency([0.1, 0.5, 0.2], { x: [850, 852, 854], xTitle: "wavelength (nm)", static: false });
  assert.deepEqual(nm.plotly.data[0].x, [850, 852, 854]);
  assert.match(String(mimeBundleOf(nm)[MIME.text]), /top positions 852 \(0\.500\), 854 \(0\.200\), 850 \(0\.100\)/);
  assert.equal((nm.plotly.layout?.xaxis as { title: { text: string } }).title.text, "wavelength (nm)");
});

test("plotSaliency rejects empty or non-finite series", async () => {
  await assert.rejects(plotSaliency({}), /no series to plot/);
  await assert.rejects(plotSaliency({ a: [] }), /series "a" has no values/);
  await assert.rejects(plotSaliency({ a: [1, NaN] }), /series "a" has a non-finite value at index 1/);
  await assert.rejects(plotSaliency([1, 2], { x: [1, 2, 3] }), /x has 3 values but series "saliency" has 2/);
});
