/**
 * Magnitude pruning: the smallest-magnitude kernel weights (dense / conv kernels; biases and
 * normalisation parameters are kept) are set to zero, either to one global threshold or per
 * layer, on a copy of the model. Optional fine-tuning keeps the zeros fixed (masks re-applied
 * after every batch).
 */
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { fit } from "../../train/fit/fit";
import type { FitOptions } from "../../train/fit/types";
import { tfjs } from "../../train/tf";
import { cloneModel } from "./artifacts";

/** Options of {@link prune}. */
export interface PruneOptions {
  /** Fraction of kernel weights set to zero (0..1). */
  sparsity: number;
  /** One threshold over all kernels ("global", default) or the same fraction in each layer ("layer"). */
  scope?: "global" | "layer";
  /** Only these layers (names); default every layer with a kernel. */
  layers?: string[];
  /** Fine-tune after pruning with the zeros held fixed. */
  fineTune?: { x: Tensor; y: Tensor } & FitOptions;
}

/** Sparsity of one pruned weight. */
export interface LayerSparsity {
  layer: string;
  weight: string;
  params: number;
  zeros: number;
  sparsity: number;
}

/** What {@link prune} returns. */
export interface PrunedModel {
  model: LayersModel;
  /** Zeros / weights over the pruned kernels. */
  sparsity: number;
  /** Zeros / weights over all weights (biases included). */
  overallSparsity: number;
  perLayer: LayerSparsity[];
}

interface Target {
  layer: string;
  index: number;
  name: string;
  values: Float32Array;
}

function kthSmallest(values: Float32Array, k: number): number {
  const sorted = Float32Array.from(values, Math.abs).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, k))];
}

function masksFor(targets: Target[], sparsity: number, scope: "global" | "layer"): Uint8Array[] {
  const maskOf = (vals: Float32Array, count: number): Uint8Array => {
    // Zero exactly `count` weights (the smallest magnitudes; ties broken by position).
    const order = Array.from(vals.keys()).sort((a, b) => Math.abs(vals[a]) - Math.abs(vals[b]) || a - b);
    const m = new Uint8Array(vals.length).fill(1);
    for (let i = 0; i < count; i++) m[order[i]] = 0;
    return m;
  };
  if (scope === "layer") return targets.map((t) => maskOf(t.values, Math.round(t.values.length * sparsity)));
  const all = new Float32Array(targets.reduce((a, t) => a + t.values.length, 0));
  let o = 0;
  for (const t of targets) {
    all.set(t.values, o);
    o += t.values.length;
  }
  const count = Math.round(all.length * sparsity);
  if (count === 0) return targets.map((t) => new Uint8Array(t.values.length).fill(1));
  const threshold = kthSmallest(all, count - 1);
  // Strictly below the threshold, then ties at the threshold until `count` is reached.
  let left = count;
  const masks = targets.map((t) => {
    const m = new Uint8Array(t.values.length).fill(1);
    t.values.forEach((v, i) => {
      if (Math.abs(v) < threshold) {
        m[i] = 0;
        left--;
      }
    });
    return m;
  });
  targets.forEach((t, k) =>
    t.values.forEach((v, i) => {
      if (left > 0 && masks[k][i] === 1 && Math.abs(v) === threshold) {
        masks[k][i] = 0;
        left--;
      }
    }),
  );
  return masks;
}

function applyMasks(model: LayersModel, targets: Target[], masks: Uint8Array[]): void {
  const tf = tfjs();
  targets.forEach((t, k) => {
    const layer = model.getLayer(t.layer);
    const w = layer.weights[t.index];
    const cur = w.read();
    const next = tf.tidy(() => tf.mul(cur, tf.tensor(masks[k], cur.shape, "float32")));
    w.write(next);
    next.dispose();
  });
}

/** Measures the zeros of a model's weights (all, and kernels only). */
export function measureSparsity(model: LayersModel): { sparsity: number; overallSparsity: number; perLayer: LayerSparsity[] } {
  const perLayer: LayerSparsity[] = [];
  let zerosAll = 0;
  let total = 0;
  for (const layer of model.layers) {
    layer.weights.forEach((w) => {
      const v = w.read().dataSync();
      let z = 0;
      for (let i = 0; i < v.length; i++) if (v[i] === 0) z++;
      zerosAll += z;
      total += v.length;
      if (w.shape.length >= 2) perLayer.push({ layer: layer.name, weight: w.name, params: v.length, zeros: z, sparsity: v.length ? z / v.length : 0 });
    });
  }
  const kp = perLayer.reduce((a, l) => a + l.params, 0);
  const kz = perLayer.reduce((a, l) => a + l.zeros, 0);
  return { sparsity: kp ? kz / kp : 0, overallSparsity: total ? zerosAll / total : 0, perLayer };
}

/**
 * Prunes a copy of `model` by weight magnitude to the given sparsity (the original is untouched).
 * ```ts
 * const p = await prune(model, { sparsity: 0.5, fineTune: { x, y, epochs: 2 } });
 * p.sparsity; // 0.5
 * ```
 */
export async function prune(model: LayersModel, options: PruneOptions): Promise<PrunedModel> {
  if (!(options.sparsity >= 0 && options.sparsity < 1)) throw new Error(`prune: sparsity must be in [0, 1), got ${options.sparsity}`);
  const copy = await cloneModel(model);
  const targets: Target[] = [];
  for (const layer of copy.layers) {
    if (options.layers && !options.layers.includes(layer.name)) continue;
    layer.weights.forEach((w, index) => {
      if (w.shape.length >= 2 && w.dtype === "float32") targets.push({ layer: layer.name, index, name: w.name, values: w.read().dataSync() as Float32Array });
    });
  }
  if (targets.length === 0) throw new Error("prune: no kernel weights to prune" + (options.layers ? ` in layers ${options.layers.join(", ")}` : ""));
  const masks = masksFor(targets, options.sparsity, options.scope ?? "global");
  applyMasks(copy, targets, masks);
  if (options.fineTune) {
    const { x, y, ...fitOptions } = options.fineTune;
    const reapply = { onBatchEnd: () => applyMasks(copy, targets, masks) };
    await fit(copy, x, y, { progress: false, ...fitOptions, callbacks: [...(fitOptions.callbacks ?? []), reapply] });
    applyMasks(copy, targets, masks);
  }
  const m = measureSparsity(copy);
  const names = new Set(targets.map((t) => t.name));
  const perLayer = m.perLayer.filter((l) => names.has(l.weight));
  const kp = perLayer.reduce((a, l) => a + l.params, 0);
  const kz = perLayer.reduce((a, l) => a + l.zeros, 0);
  return { model: copy, sparsity: kp ? kz / kp : 0, overallSparsity: m.overallSparsity, perLayer };
}
