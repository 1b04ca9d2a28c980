/** Multi-layer perceptron for tabular data. */
import type { LayersModel } from "@tensorflow/tfjs";
import { tfjs } from "../tf";
import { LayerFactory, type CommonModelOptions } from "./options";

/** Options of `buildMLP`. */
export interface MLPOptions extends CommonModelOptions {
  /** Number of input features. */
  inputDim: number;
  /** Hidden layer widths. Default [64, 64]. */
  hidden?: number[];
  /** Hidden activation. Default "relu". */
  activation?: "relu" | "tanh" | "elu" | "selu";
}

/**
 * Builds an MLP: dense → [BN] → activation → [dropout] per hidden layer, then the task's output.
 * `hidden: []` gives a linear model (logistic / softmax regression) — a baseline.
 */
export function buildMLP(options: MLPOptions): LayersModel {
  const tf = tfjs();
  const f = new LayerFactory(options);
  const model = tf.sequential({ name: options.name ?? "mlp" });
  const act = options.activation ?? "relu";
  const hidden = options.hidden ?? [64, 64];
  // No hidden layer: a linear / logistic model, fed straight into the output layer.
  if (hidden.length === 0) model.add(tf.layers.inputLayer({ inputShape: [options.inputDim] }));
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: options.batchNorm ? "linear" : act,
        useBias: !options.batchNorm,
        ...(i === 0 ? { inputShape: [options.inputDim] } : {}),
        ...f.weights(act === "relu" ? "relu" : "linear"),
      }),
    );
    if (options.batchNorm) {
      model.add(tf.layers.batchNormalization());
      model.add(tf.layers.activation({ activation: act }));
    }
    if (options.dropout) model.add(tf.layers.dropout({ rate: options.dropout }));
  });
  model.add(f.output());
  return model;
}
