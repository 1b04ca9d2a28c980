/**
 * The training loop: one `optimizer.computeGradients` + `applyGradients` per batch, with
 * Keras-like callbacks, checked at every batch edge for a kernel interrupt, a NaN/Inf loss
 * (the bad step is not applied), and stop requests from callbacks.
 */
import type { LayersModel, Optimizer, Scalar, Tensor, Variable } from "@tensorflow/tfjs";
import { interruptRequested } from "../../display/display";
import { ensureBackend } from "../backend/ladder";
import { progress as progressCallback } from "../callbacks/progress";
import { tfjs } from "../tf";
import { RowSource } from "./batches";
import { checkFitInputs, FitInputError } from "./check-inputs";
import { inferLoss, perSampleCorrect, perSampleLoss } from "./losses";
import { getLearningRate, makeOptimizer, setLearningRate } from "./optimizer";
import { permutation, seededRandom, withSeededMathRandom } from "./random";
import type { AugmentFn } from "../images/augment";
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

/** What a training run holds fixed for every batch: the model, its optimizer and data, the loss. */
export interface BatchSetup {
  model: LayersModel;
  optimizer: Optimizer;
  /** The trainable variables the optimizer updates. */
  vars: Variable[];
  loss: LossName;
  xs: RowSource;
  ys: RowSource;
  /** Per-sample weights (class weights), indexed like the rows of xs. */
  sampleWeights?: Float32Array;
  /** Count correct predictions (classification / binary). */
  wantAcc: boolean;
  augment?: AugmentFn;
  /** The run's random source (augmentation). */
  rand: () => number;
}

/** One optimizer step's numbers, read back in a single sync. */
export interface BatchResult {
  /** Mean (weighted) loss of the batch, regularization included. */
  loss: number;
  /** Sum of every gradient value (checked for NaN/Inf). */
  gradSum: number;
  /** Correct predictions in the batch (0 without accuracy). */
  correct: number;
  /** Rows in the batch. */
  samples: number;
  /** Loss and gradients finite: the update was applied. */
  finite: boolean;
}

/**
 * One training step on rows `order[from..to)`: forward, loss, gradients, then the update, applied
 * only when the loss and the gradients are finite. Frees every tensor it makes.
 */
export async function trainBatch(setup: BatchSetup, order: Int32Array, from: number, to: number): Promise<BatchResult> {
  const tf = tfjs();
  const { model, optimizer, loss, sampleWeights, wantAcc } = setup;
  const m = to - from;
  const xb = setup.xs.batch(order, from, to, setup.augment, setup.rand);
  const yb = setup.ys.batch(order, from, to);
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
  }, setup.vars);
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
  return { loss: lossValue, gradSum, correct: correctValue, samples: m, finite };
}

/** The message of a stop on a NaN/Inf loss or gradient. */
function nonFiniteStop(r: BatchResult, epoch: number, batch: number, batchesPerEpoch: number): StopInfo {
  const what = !Number.isFinite(r.loss) ? `loss became ${Number.isNaN(r.loss) ? "NaN" : "Inf"}` : `gradients became ${Number.isNaN(r.gradSum) ? "NaN" : "Inf"} (loss ${r.loss.toPrecision(4)})`;
  return {
    reason: "non-finite",
    epoch,
    batch,
    message: `${what} at epoch ${epoch}, batch ${batch}/${batchesPerEpoch}; training stopped and that batch's update was not applied (try a lower learning rate, check the inputs for NaN/Inf, or normalise them)`,
  };
}

/**
 * A training run's loop state: the callbacks, the history, the pending stop. `trainEpoch` runs one
 * epoch (batches, then validation and the epoch record); `run` runs them all.
 */
export class TrainLoop {
  readonly history: History;
  readonly ctx: TrainContext;
  /** The first stop requested (interrupt, NaN/Inf, a callback); training ends at the next batch edge. */
  pendingStop?: StopInfo;
  private epochNow = 0;
  private batchNow = 0;
  private readonly n: number;
  private readonly batchesPerEpoch: number;

  constructor(
    readonly setup: BatchSetup,
    readonly options: FitOptions & { epochs: number; batchSize: number; validation?: [Tensor, Tensor]; backend: string },
    private readonly callbacks: TrainCallback[],
  ) {
    this.n = setup.xs.rows;
    this.batchesPerEpoch = Math.ceil(this.n / options.batchSize);
    const { optimizer } = setup;
    this.history = { epochs: [], history: {}, batchesSeen: 0, samplesSeen: 0, elapsedSeconds: 0, backend: options.backend };
    this.ctx = {
      model: setup.model,
      optimizer,
      params: { epochs: options.epochs, batchSize: options.batchSize, samples: this.n, batchesPerEpoch: this.batchesPerEpoch, backend: options.backend, hasValidation: Boolean(options.validation) },
      history: this.history,
      stop: (reason, message) => {
        this.pendingStop = this.pendingStop ?? { reason, epoch: this.epochNow, batch: this.batchNow, message };
      },
      setLearningRate: (lr) => setLearningRate(optimizer, lr),
      learningRate: () => getLearningRate(optimizer),
    };
  }

  /** Calls one hook of every callback, in order. */
  async call<K extends keyof TrainCallback>(hook: K, ...args: Parameters<NonNullable<TrainCallback[K]>>): Promise<void> {
    for (const cb of this.callbacks) {
      const f = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (f) await f.apply(cb, args);
    }
  }

  /**
   * One epoch: onEpochBegin, the batches (each followed by onBatchEnd; a stop is honoured at every
   * batch edge), then validation, the epoch record and onEpochEnd. Returns the record, or
   * undefined when the epoch stopped part-way (its running means go to `history.partialEpoch`).
   */
  async trainEpoch(epoch: number): Promise<EpochRecord | undefined> {
    const { setup, options, history, ctx, n, batchesPerEpoch } = this;
    const { batchSize } = options;
    this.epochNow = epoch;
    this.batchNow = 0;
    await this.call("onEpochBegin", epoch, ctx);
    const order = options.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : permutation(n, setup.rand);
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
      if (this.pendingStop) break;
      this.batchNow = b + 1;
      const from = b * batchSize;
      const r = await trainBatch(setup, order, from, Math.min(n, from + batchSize));
      if (!r.finite) {
        this.pendingStop = nonFiniteStop(r, epoch, b + 1, batchesPerEpoch);
        if (options.onNonFinite === "throw") throw new NonFiniteLossError(this.pendingStop);
        break;
      }
      lossSum += r.loss * r.samples;
      correct += r.correct;
      seen += r.samples;
      history.batchesSeen++;
      history.samplesSeen += r.samples;
      const logs: Logs = { loss: lossSum / seen };
      if (setup.wantAcc) logs.acc = correct / seen;
      logs.lr = getLearningRate(setup.optimizer);
      await this.call("onBatchEnd", b + 1, logs, ctx);
    }
    if (seen < n) {
      // Stopped mid-epoch: no epoch record; the partial epoch's running means are kept.
      if (seen > 0) history.partialEpoch = { epoch, batches: this.batchNow, samples: seen, loss: lossSum / seen, ...(setup.wantAcc ? { acc: correct / seen } : {}) };
      return undefined;
    }
    const seconds = (performance.now() - te) / 1000;
    const rec: EpochRecord = { epoch, seconds, samplesPerSec: seen / seconds, loss: lossSum / seen };
    if (setup.wantAcc) rec.acc = correct / seen;
    const validation = options.validation;
    if (validation) Object.assign(rec, await evaluateSet(setup.model, validation[0], validation[1], setup.loss, Math.max(batchSize, 256)));
    rec.lr = getLearningRate(setup.optimizer);
    history.epochs.push(rec);
    for (const [k, v] of Object.entries(rec)) if (k !== "epoch") (history.history[k] ??= []).push(v);
    await this.call("onEpochEnd", epoch, rec, ctx);
    return rec;
  }

  /** onTrainBegin, the epochs until done or stopped, then the elapsed time and the stop (onTrainEnd is the caller's, after cleanup). */
  async run(): Promise<History> {
    const t0 = performance.now();
    try {
      await withSeededMathRandom(this.options.seed, async () => {
        await this.call("onTrainBegin", this.ctx);
        for (let epoch = 1; epoch <= this.options.epochs && !this.pendingStop; epoch++) {
          if (!(await this.trainEpoch(epoch))) break;
        }
      });
    } finally {
      this.history.elapsedSeconds = (performance.now() - t0) / 1000;
      this.history.stopped = this.pendingStop;
    }
    return this.history;
  }
}

/**
 * Trains `model` on (x, y) with a hand-written loop (Keras-like API).
 * - progress display (MIME.training) updated every N batches; callbacks for early stopping,
 *   checkpoints, LR schedules (see `callbacks`);
 * - stops cleanly at a batch edge on a kernel interrupt (`interruptRequested()`), on a NaN/Inf
 *   loss (that batch's update is not applied; the stop names epoch and batch), or when a
 *   callback asks; the model and the returned history stay usable;
 * - `seed` makes shuffling, augmentation and dropout reproducible.
 * Labels: class indices (softmax output), one-hot, 0/1 (sigmoid) or targets (linear).
 * One epoch is {@link TrainLoop.trainEpoch}, one batch {@link trainBatch}.
 */
export async function fit(model: LayersModel, x: Tensor, y: Tensor, options: FitOptions = {}): Promise<History> {
  const tf = tfjs();
  const backend = await ensureBackend();
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
  const optimizer = makeOptimizer(options.optimizer, options.learningRate);
  const setup: BatchSetup = {
    model,
    optimizer,
    vars: model.trainableWeights.map((w) => w.read() as Variable),
    loss,
    xs,
    ys,
    sampleWeights: weightsFor(options.classWeight, ys, loss),
    wantAcc: options.accuracy !== false && perSampleCorrectKind(loss),
    augment: options.augment,
    rand: seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31)),
  };
  const cbs: TrainCallback[] = [...(options.callbacks ?? [])];
  if (options.progress !== false) cbs.unshift(progressCallback({ every: typeof options.progress === "number" ? options.progress : undefined }));
  const loop = new TrainLoop(setup, { ...options, epochs, batchSize, validation, backend }, cbs);
  try {
    await loop.run();
  } finally {
    tf.dispose(owned);
    if (options.optimizer === undefined || typeof options.optimizer === "string") optimizer.dispose();
  }
  await loop.call("onTrainEnd", loop.history, loop.ctx);
  const stop = loop.pendingStop;
  if (stop && stop.reason !== "early-stopping" && options.progress === false) process.stderr.write(`fit: ${stop.message}\n`);
  return loop.history;
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
