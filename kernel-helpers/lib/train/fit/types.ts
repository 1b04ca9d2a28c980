/** Types of the training loop: options, logs, history, callbacks. */
import type { LayersModel, Optimizer, Tensor } from "@tensorflow/tfjs";
import type { AugmentFn } from "../images/augment";

/** Loss names `fit` understands. */
export type LossName = "sparseCategoricalCrossentropy" | "categoricalCrossentropy" | "binaryCrossentropy" | "mse" | "mae";

/** Metrics of one batch or epoch: `loss`, `acc`, `val_loss`, `val_acc`, `lr`… */
export type Logs = Record<string, number>;

/** Why training stopped before the last epoch. */
export interface StopInfo {
  reason: "interrupt" | "non-finite" | "early-stopping" | "callback";
  /**
   * 1-based epoch and batch: for "non-finite" the batch whose loss was NaN/Inf (its update was not
   * applied); otherwise the last batch trained before the stop (0 = stopped before the epoch's first batch).
   */
  epoch: number;
  batch: number;
  message: string;
}

/** One epoch's record. */
export interface EpochRecord extends Logs {
  epoch: number;
  seconds: number;
  /** Training samples per second over the epoch. */
  samplesPerSec: number;
}

/** What `fit` returns: per-epoch logs, Keras-style series, and how it ended. */
export interface History {
  epochs: EpochRecord[];
  /** Keras-style: metric name → value per completed epoch. */
  history: Record<string, number[]>;
  /** Present when training stopped early (interrupt, NaN/Inf, early stopping, callback). */
  stopped?: StopInfo;
  /** Running means of an epoch that was stopped part-way (interrupt, NaN/Inf, callback). */
  partialEpoch?: { epoch: number; batches: number; samples: number; loss: number; acc?: number };
  /** Batches trained in total (including those of a partial epoch). */
  batchesSeen: number;
  /** Samples trained in total. */
  samplesSeen: number;
  elapsedSeconds: number;
  /** tfjs backend the run used. */
  backend: string;
}

/** Fixed facts about a run, available to callbacks. */
export interface TrainParams {
  epochs: number;
  batchSize: number;
  samples: number;
  batchesPerEpoch: number;
  backend: string;
  hasValidation: boolean;
}

/** What callbacks receive: the model, optimizer, params, history so far, and a way to stop. */
export interface TrainContext {
  model: LayersModel;
  optimizer: Optimizer;
  params: TrainParams;
  history: History;
  /** Requests a stop at the next batch edge. */
  stop(reason: StopInfo["reason"], message: string): void;
  /** Sets the optimizer's learning rate. */
  setLearningRate(lr: number): void;
  /** Current learning rate. */
  learningRate(): number;
}

/** Keras-like callback hooks (all optional, may be async). */
export interface TrainCallback {
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainContext): void | Promise<void>;
  /** After every batch; `logs` has the running epoch means (loss, acc…) and `batch` is 1-based. */
  onBatchEnd?(batch: number, logs: Logs, ctx: TrainContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochRecord, ctx: TrainContext): void | Promise<void>;
  onTrainEnd?(history: History, ctx: TrainContext): void | Promise<void>;
}

/** Options of `fit`. */
export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  /** Shuffle each epoch (seeded when `seed` is set). Default true. */
  shuffle?: boolean;
  /** Makes the run reproducible: initial shuffles, augmentation and dropout masks. */
  seed?: number;
  /** An optimizer, or a name ("adam" default, "sgd", "momentum", "rmsprop"). */
  optimizer?: Optimizer | "adam" | "sgd" | "momentum" | "rmsprop";
  /** Initial learning rate for named optimizers. Default 1e-3 (sgd/momentum: 1e-2). */
  learningRate?: number;
  /** Loss; inferred from the output layer and labels when omitted. */
  loss?: LossName;
  /** Weight per class index (classification / binary): multiplies each sample's loss. */
  classWeight?: Record<number, number> | number[];
  /** Held-out data evaluated after each epoch. */
  validationData?: [Tensor, Tensor];
  /** Fraction of the (unshuffled) tail of x/y held out for validation. */
  validationSplit?: number;
  callbacks?: TrainCallback[];
  /** Live progress display (default true; a number sets "update every N batches"). */
  progress?: boolean | number;
  /** Per-batch augmentation of image inputs (see `augment`). */
  augment?: AugmentFn;
  /** What to do on a NaN/Inf loss: stop with a report (default) or throw. */
  onNonFinite?: "stop" | "throw";
  /** Compute accuracy (classification/binary). Default true. */
  accuracy?: boolean;
}
