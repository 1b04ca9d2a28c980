/**
 * The training loop: one `optimizer.computeGradients` + `applyGradients` per batch, with
 * Keras-like callbacks, checked at every batch edge for a kernel interrupt, a NaN/Inf loss
 * (the bad step is not applied), and stop requests from callbacks.
 */
import type { LayersModel, Scalar, Tensor, Variable } from "@tensorflow/tfjs";
import { interruptRequested } from "../../display/display";
import { ensureBackend } from "../backend/ladder";
import { progress as progressCallback } from "../callbacks/progress";
import { tfjs } from "../tf";
import { RowSource } from "./batches";
import { checkFitInputs, FitInputError } from "./check-inputs";
import { inferLoss, perSampleCorrect, perSampleLoss } from "./losses";
import { getLearningRate, makeOptimizer, setLearningRate } from "./optimizer";
import { permutation, seededRandom, withSeededMathRandom } from "./random";
import type { EpochRecord, FitOptions, History, Logs, LossName, StopInfo, TrainCallback, TrainContext } from "./types";

/** Thrown by `fit` with `onNonFinite: "throw"`. */
export class NonFiniteLossError extends Error {
  constructor(readonly stop: StopInfo) {
    super(stop.message);
    this.name = "NonFiniteLossError";
  }
}

function lastLayerInfo(model: LayersModel): { activation?: string; units: number } {
  const layer = model.layers[model.layers.length - 1];
  const cfg = layer.getConfig() as { activation?: string };
  const shape = model.outputs[0].shape;
  return { activation: cfg.activation, units: (shape[shape.length - 1] as number) ?? 1 };
}

function weightsFor(classWeight: FitOptions["classWeight"], labels: RowSource, loss: LossName): Float32Array | undefined {
  if (!classWeight) return undefined;
  const w = new Float32Array(labels.rows);
  const get = (k: number) => {
    const v = Array.isArray(classWeight) ? classWeight[k] : (classWeight as Record<number, number>)[k];
    return v === undefined ? 1 : v;
  };
  for (let i = 0; i < labels.rows; i++) {
    const row = labels.row(i);
    let cls: number;
    if (loss === "categoricalCrossentropy") {
      cls = 0;
      for (let k = 1; k < row.length; k++) if (row[k] > row[cls]) cls = k;
    } else cls = Math.round(row[0]);
    w[i] = get(cls);
  }
  return w;
}

async function evaluateSet(model: LayersModel, x: Tensor, y: Tensor, loss: LossName, batchSize: number): Promise<Logs> {
  const tf = tfjs();
  const n = x.shape[0];
  let lossSum = 0;
  let correct = 0;
  let hasAcc = false;
  for (let s = 0; s < n; s += batchSize) {
    const m = Math.min(batchSize, n - s);
    const [l, c] = tf.tidy(() => {
      const xb = tf.slice(x, s, m);
      const yb = tf.slice(y, s, m);
      const pred = model.apply(xb, { training: false }) as Tensor;
      const per = perSampleLoss(loss, yb, pred);
      const cor = perSampleCorrect(loss, yb, pred);
      return [tf.sum(per), cor ? tf.sum(cor) : undefined];
    });
    lossSum += (await l.data())[0];
    if (c) {
      hasAcc = true;
      correct += (await c.data())[0];
      c.dispose();
    }
    l.dispose();
  }
  const logs: Logs = { val_loss: lossSum / n };
  if (hasAcc) logs.val_acc = correct / n;
  return logs;
}

const nextTick = () => new Promise<void>((r) => setImmediate(r));

/**
 * Trains `model` on (x, y) with a hand-written loop (Keras-like API).
 * - progress display (MIME.training) updated every N batches; callbacks for early stopping,
 *   checkpoints, LR schedules (see `callbacks`);
 * - stops cleanly at a batch edge on a kernel interrupt (`interruptRequested()`), on a NaN/Inf
 *   loss (that batch's update is not applied; the stop names epoch and batch), or when a
 *   callback asks; the model and the returned history stay usable;
 * - `seed` makes shuffling, augmentation and dropout reproducible.
 * Labels: class indices (softmax output), one-hot, 0/1 (sigmoid) or targets (linear).
 */
export async function fit(model: LayersModel, x: Tensor, y: Tensor, options: FitOptions = {}): Promise<History> {
  const tf = tfjs();
  const backendName = await ensureBackend();
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 32;
  if (x.shape[0] !== y.shape[0]) throw new FitInputError(`x has ${x.shape[0]} samples but y has ${y.shape[0]}`);

  const owned: Tensor[] = [];
  let xTrain = x;
  let yTrain = y;
  let validation = options.validationData;
  if (!validation && options.validationSplit && options.validationSplit > 0) {
    const nVal = Math.max(1, Math.floor(x.shape[0] * options.validationSplit));
    const nTr = x.shape[0] - nVal;
    xTrain = tf.slice(x, 0, nTr);
    yTrain = tf.slice(y, 0, nTr);
    validation = [tf.slice(x, nTr, nVal), tf.slice(y, nTr, nVal)];
    owned.push(xTrain, yTrain, validation[0], validation[1]);
  }

  const last = lastLayerInfo(model);
  const loss = options.loss ?? inferLoss(last.activation, last.units, y.shape);
  const xs = await RowSource.of(xTrain);
  const ys = await RowSource.of(yTrain);
  checkFitInputs(xs, ys, loss, last.units);
  if (validation) checkFitInputs(await RowSource.of(validation[0]), await RowSource.of(validation[1]), loss, last.units, "validation ");
  const sampleWeights = weightsFor(options.classWeight, ys, loss);
  const wantAcc = options.accuracy !== false && perSampleCorrectKind(loss);
  const optimizer = makeOptimizer(options.optimizer, options.learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as Variable);
  const n = xs.rows;
  const batchesPerEpoch = Math.ceil(n / batchSize);
  const seed = options.seed;
  const rand = seededRandom(seed ?? Math.floor(Math.random() * 2 ** 31));

  const history: History = { epochs: [], history: {}, batchesSeen: 0, samplesSeen: 0, elapsedSeconds: 0, backend: backendName };
  let pendingStop: StopInfo | undefined;
  let epochNow = 0;
  let batchNow = 0;
  const ctx: TrainContext = {
    model,
    optimizer,
    params: { epochs, batchSize, samples: n, batchesPerEpoch, backend: backendName, hasValidation: Boolean(validation) },
    history,
    stop: (reason, message) => {
      pendingStop = pendingStop ?? { reason, epoch: epochNow, batch: batchNow, message };
    },
    setLearningRate: (lr) => setLearningRate(optimizer, lr),
    learningRate: () => getLearningRate(optimizer),
  };
  const cbs: TrainCallback[] = [...(options.callbacks ?? [])];
  if (options.progress !== false) cbs.unshift(progressCallback({ every: typeof options.progress === "number" ? options.progress : undefined }));
  const call = async <K extends keyof TrainCallback>(hook: K, ...args: Parameters<NonNullable<TrainCallback[K]>>) => {
    for (const cb of cbs) {
      const f = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (f) await f.apply(cb, args);
    }
  };

  const t0 = performance.now();
  try {
    await withSeededMathRandom(seed, async () => {
      await call("onTrainBegin", ctx);
      for (let epoch = 1; epoch <= epochs && !pendingStop; epoch++) {
        epochNow = epoch;
        batchNow = 0;
        await call("onEpochBegin", epoch, ctx);
        const order = options.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : permutation(n, rand);
        const te = performance.now();
        let lossSum = 0;
        let correct = 0;
        let seen = 0;
        for (let b = 0; b < batchesPerEpoch; b++) {
          // Batch edge: the only place training stops, so the model is never half-updated.
          await nextTick();
          if (interruptRequested()) {
            ctx.stop("interrupt", `interrupted by the user at epoch ${epoch} after batch ${b}/${batchesPerEpoch}; the model keeps the weights of all ${history.batchesSeen} batches trained`);
          }
          if (pendingStop) break;
          batchNow = b + 1;
          const from = b * batchSize;
          const to = Math.min(n, from + batchSize);
          const m = to - from;
          const xb = xs.batch(order, from, to, options.augment, rand);
          const yb = ys.batch(order, from, to);
          let wb: Tensor | undefined;
          if (sampleWeights) {
            const w = new Float32Array(m);
            for (let k = 0; k < m; k++) w[k] = sampleWeights[order[from + k]];
            wb = tf.tensor1d(w);
          }
          let correctT: Tensor | undefined;
          const { value, grads } = optimizer.computeGradients(() => {
            const pred = model.apply(xb, { training: true }) as Tensor;
            const per = perSampleLoss(loss, yb, pred);
            let total = tf.mean(wb ? tf.mul(per, wb) : per) as Scalar;
            for (const r of regularizationLosses(model)) total = tf.add(total, r);
            if (wantAcc) correctT = tf.keep(tf.sum(perSampleCorrect(loss, yb, pred)!));
            return total;
          }, vars);
          // One read back per step, of [loss, Σ gradients, correct]: each read is a sync point, which
          // costs most on a GPU. The gradient sum is checked too: wasm's fused relu/clamp kernels can
          // turn NaN/Inf activations into finite outputs, so a finite loss does not prove finite
          // gradients. (Chained adds, not one AddN: webgpu's AddN fails past 8 inputs.)
          const checks = tf.tidy(() => {
            const gradSum = Object.values(grads)
              .map((g) => tf.sum(g))
              .reduce((a, b) => tf.add(a, b));
            return tf.stack([value, gradSum, correctT ?? tf.scalar(0)]);
          });
          const [lossValue, gradSum, correctValue] = await checks.data();
          checks.dispose();
          const finite = Number.isFinite(lossValue) && Number.isFinite(gradSum);
          if (finite) optimizer.applyGradients(grads);
          tf.dispose([value, xb, yb, ...(wb ? [wb] : []), ...(correctT ? [correctT] : [])]);
          tf.dispose(Object.values(grads));
          if (!finite) {
            const what = !Number.isFinite(lossValue) ? `loss became ${Number.isNaN(lossValue) ? "NaN" : "Inf"}` : `gradients became ${Number.isNaN(gradSum) ? "NaN" : "Inf"} (loss ${lossValue.toPrecision(4)})`;
            const stop: StopInfo = {
              reason: "non-finite",
              epoch,
              batch: b + 1,
              message: `${what} at epoch ${epoch}, batch ${b + 1}/${batchesPerEpoch}; training stopped and that batch's update was not applied (try a lower learning rate, check the inputs for NaN/Inf, or normalise them)`,
            };
            pendingStop = stop;
            if (options.onNonFinite === "throw") throw new NonFiniteLossError(stop);
            break;
          }
          lossSum += lossValue * m;
          correct += correctValue;
          seen += m;
          history.batchesSeen++;
          history.samplesSeen += m;
          const logs: Logs = { loss: lossSum / seen };
          if (wantAcc) logs.acc = correct / seen;
          logs.lr = getLearningRate(optimizer);
          await call("onBatchEnd", b + 1, logs, ctx);
        }
        if (seen < n) {
          // Stopped mid-epoch: no epoch record; the partial epoch's running means are kept.
          if (seen > 0) history.partialEpoch = { epoch, batches: batchNow, samples: seen, loss: lossSum / seen, ...(wantAcc ? { acc: correct / seen } : {}) };
          break;
        }
        const seconds = (performance.now() - te) / 1000;
        const rec: EpochRecord = { epoch, seconds, samplesPerSec: seen / seconds, loss: lossSum / seen };
        if (wantAcc) rec.acc = correct / seen;
        if (validation) Object.assign(rec, await evaluateSet(model, validation[0], validation[1], loss, Math.max(batchSize, 256)));
        rec.lr = getLearningRate(optimizer);
        history.epochs.push(rec);
        for (const [k, v] of Object.entries(rec)) if (k !== "epoch") (history.history[k] ??= []).push(v);
        await call("onEpochEnd", epoch, rec, ctx);
      }
    });
  } finally {
    history.elapsedSeconds = (performance.now() - t0) / 1000;
    history.stopped = pendingStop;
    tf.dispose(owned);
    if (options.optimizer === undefined || typeof options.optimizer === "string") optimizer.dispose();
  }
  await call("onTrainEnd", history, ctx);
  if (pendingStop && pendingStop.reason !== "early-stopping" && options.progress === false) {
    process.stderr.write(`fit: ${pendingStop.message}\n`);
  }
  return history;
}

/**
 * The weight penalties (L1/L2 regularisers) of every layer. `model.calculateLosses()` misses
 * them for Sequential models (their container nodes live on an inner model), so ask each layer.
 */
export function regularizationLosses(model: LayersModel): Scalar[] {
  return model.layers.flatMap((l) => l.calculateLosses());
}

function perSampleCorrectKind(loss: LossName): boolean {
  return loss === "sparseCategoricalCrossentropy" || loss === "categoricalCrossentropy" || loss === "binaryCrossentropy";
}
