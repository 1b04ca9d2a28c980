/**
 * Input-gradient saliency: how strongly each input position moves a class score,
 * |∂ score / ∂ input| (Simonyan et al., 2014), aggregated per position (summed over channels,
 * averaged over samples). For one-hot sequences [n, length, 4] this says which positions the
 * model looks at; for spectra [n, length, 1], which wavelengths.
 */
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { tfjs } from "../tf";

/** Options of {@link saliency}. */
export interface SaliencyOptions {
  /**
   * Output unit whose score is differentiated: one index for every sample, one per sample (e.g.
   * the true labels), or "predicted" (default: each sample's arg-max output; unit 0 for a
   * single-output model).
   */
  target?: number | ArrayLike<number> | "predicted";
  /** "gradient": |∂s/∂x| (default); "gradientTimesInput": |x · ∂s/∂x| (only the letters present count, for one-hot input). */
  method?: "gradient" | "gradientTimesInput";
  /**
   * The score s: the model's output for the unit ("output", default: a probability for softmax
   * models) or its natural log ("log": log-probability, which does not saturate when the model
   * is confident; outputs must be positive).
   */
  score?: "output" | "log";
  /** Samples per gradient computation (default 128). */
  batchSize?: number;
}

/** What {@link saliency} returns. Arrays are row-major; `shape` is the input's [n, length, ...channels]. */
export interface SaliencyMap {
  shape: number[];
  /** The output unit differentiated for each sample. */
  targets: Int32Array;
  /** Signed ∂s/∂x for every input value, shaped like the input. */
  gradient: Float32Array;
  /** Per sample and position [n, length]: the sum over channels of |∂s/∂x| (or |x·∂s/∂x|). */
  perSample: Float32Array;
  /** Per position [length]: the mean of `perSample` over the samples. */
  positions: Float64Array;
  /** Per position and channel [length, channels]: the mean over samples of signed ∂s/∂x (or x·∂s/∂x). */
  signed: Float64Array;
}

function outputUnits(model: LayersModel): number {
  const shape = model.outputs[0].shape;
  return shape.length < 2 ? 1 : (shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
}

function resolveTargets(model: LayersModel, x: Tensor, target: SaliencyOptions["target"], batchSize: number): Int32Array {
  const tf = tfjs();
  const n = x.shape[0];
  const units = outputUnits(model);
  const out = new Int32Array(n);
  if (target === undefined || target === "predicted") {
    if (units === 1) return out;
    for (let s = 0; s < n; s += batchSize) {
      const m = Math.min(batchSize, n - s);
      const best = tf.tidy(() => tf.argMax((model.apply(tf.slice(x, s, m), { training: false }) as Tensor).reshape([m, units]), 1));
      out.set(best.dataSync() as Int32Array, s);
      best.dispose();
    }
    return out;
  }
  if (typeof target !== "number" && target.length !== n) throw new Error(`saliency: target has ${target.length} entries for ${n} samples`);
  for (let i = 0; i < n; i++) {
    const t = typeof target === "number" ? target : Number(target[i]);
    if (!Number.isInteger(t) || t < 0 || t >= units) throw new Error(`saliency: target ${t} (sample ${i}) is not an output unit 0..${units - 1}`);
    out[i] = t;
  }
  return out;
}

/**
 * Input-gradient saliency of `model` on `x` (rank ≥ 2: [n, length, ...channels]). The gradient
 * of each sample's score is taken with `tf.grad` in inference mode (dropout off), in batches.
 * ```ts
 * const s = await saliency(cnn, xTest, { target: yTest, score: "log" });
 * display(await plotSaliency({ ei: s.positions }));
 * ```
 */
export async function saliency(model: LayersModel, x: Tensor, options: SaliencyOptions = {}): Promise<SaliencyMap> {
  const tf = tfjs();
  if (!model || typeof (model as LayersModel).apply !== "function") throw new Error("saliency: model must be a tfjs LayersModel");
  if (!x || !Array.isArray(x.shape) || x.rank < 2) throw new Error(`saliency: x must be a tensor [samples, positions, ...channels], got shape [${x?.shape}]`);
  const method = options.method ?? "gradient";
  if (method !== "gradient" && method !== "gradientTimesInput") throw new Error(`saliency: unknown method "${method}" (gradient, gradientTimesInput)`);
  const score = options.score ?? "output";
  if (score !== "output" && score !== "log") throw new Error(`saliency: unknown score "${score}" (output, log)`);
  const batchSize = options.batchSize ?? 128;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`saliency: batchSize must be a positive integer, got ${options.batchSize}`);
  const inputShape = model.inputs[0].shape.slice(1);
  if (inputShape.length !== x.rank - 1 || inputShape.some((d, i) => d !== null && d !== x.shape[i + 1]))
    throw new Error(`saliency: x has shape [${x.shape}] but the model takes [n, ${inputShape.map((d) => d ?? "?")}]`);

  const [n, L] = x.shape;
  const C = x.size / (n * L);
  const units = outputUnits(model);
  const targets = resolveTargets(model, x, options.target, batchSize);
  const gradient = new Float32Array(x.size);
  const perSample = new Float32Array(n * L);
  const signed = new Float64Array(L * C);
  const positions = new Float64Array(L);

  for (let s = 0; s < n; s += batchSize) {
    const m = Math.min(batchSize, n - s);
    const [g, xb, value] = tf.tidy(() => {
      const xs = tf.slice(x, s, m);
      const maskData = new Float32Array(m * units);
      for (let i = 0; i < m; i++) maskData[i * units + targets[s + i]] = 1;
      const mask = tf.tensor2d(maskData, [m, units]);
      const f = (input: Tensor) => {
        const out = (model.apply(input, { training: false }) as Tensor).reshape([m, units]);
        const picked = tf.sum(tf.mul(out, mask), 1);
        return tf.sum(score === "log" ? tf.log(picked) : picked);
      };
      const { value, grad } = tf.valueAndGrad(f)(xs);
      return [grad, xs.clone(), value];
    });
    const total = (await value.data())[0];
    value.dispose();
    if (!Number.isFinite(total)) {
      g.dispose();
      xb.dispose();
      throw new Error(`saliency: the score of samples ${s}..${s + m - 1} is not finite (score "${score}"${score === "log" ? ": a non-positive output has no log" : ""})`);
    }
    const gd = (await g.data()) as Float32Array;
    const xd = method === "gradientTimesInput" ? ((await xb.data()) as Float32Array) : undefined;
    g.dispose();
    xb.dispose();
    gradient.set(gd, s * L * C);
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < L; p++) {
        let sum = 0;
        for (let c = 0; c < C; c++) {
          const at = (i * L + p) * C + c;
          const v = xd ? gd[at] * xd[at] : gd[at];
          if (!Number.isFinite(v)) throw new Error(`saliency: the gradient of sample ${s + i} is not finite`);
          sum += Math.abs(v);
          signed[p * C + c] += v / n;
        }
        perSample[(s + i) * L + p] = sum;
        positions[p] += sum / n;
      }
    }
  }
  return { shape: [...x.shape], targets, gradient, perSample, positions, signed };
}
