/** Options and layer helpers shared by the model builders. */
import type { layers } from "@tensorflow/tfjs";
import { tfjs } from "../tf";

/** What the network predicts; sets the output layer's activation and width. */
export type Task = "classification" | "binary" | "regression";

/** Options every builder accepts. */
export interface CommonModelOptions {
  /** L2 weight penalty on kernels (0 = none). */
  l2?: number;
  /** Dropout rate before the output layer (and after hidden dense layers); 0 = none. */
  dropout?: number;
  /** Batch normalisation after each convolution / hidden layer. */
  batchNorm?: boolean;
  /** Seed for the weight initialisers: the same seed gives the same initial weights on every backend. */
  seed?: number;
  /** classification (softmax over `numClasses`), binary (one sigmoid unit) or regression (linear). */
  task?: Task;
  /** Classes (classification) or outputs (regression). */
  numClasses?: number;
  /** Model name. */
  name?: string;
}

type LayerArgs = Parameters<typeof layers.dense>[0];

/** Builds per-layer initialiser/regulariser arguments with a distinct seed for each layer. */
export class LayerFactory {
  private index = 0;
  // Before the ladder has chosen, weights start on the stand-in cpu backend and move to the
  // chosen one on first use (see tfjs() in ../tf.ts).
  constructor(private readonly opts: CommonModelOptions) {}

  /** Initialiser + regulariser arguments for the next weighted layer. */
  weights(kind: "relu" | "linear" = "relu"): Pick<LayerArgs, "kernelInitializer" | "kernelRegularizer" | "biasInitializer"> {
    const tf = tfjs();
    const seed = this.opts.seed === undefined ? undefined : this.opts.seed * 1000 + this.index++;
    return {
      kernelInitializer: kind === "relu" ? tf.initializers.heNormal({ seed }) : tf.initializers.glorotUniform({ seed }),
      biasInitializer: "zeros",
      kernelRegularizer: this.opts.l2 ? tf.regularizers.l2({ l2: this.opts.l2 }) : undefined,
    };
  }

  /** The output dense layer for the task. */
  output(): ReturnType<typeof layers.dense> {
    const tf = tfjs();
    const task = this.opts.task ?? "classification";
    const units = task === "binary" ? 1 : (this.opts.numClasses ?? (task === "regression" ? 1 : 10));
    const activation = task === "classification" ? "softmax" : task === "binary" ? "sigmoid" : "linear";
    return tf.layers.dense({ units, activation, name: "output", ...this.weights("linear") });
  }
}
