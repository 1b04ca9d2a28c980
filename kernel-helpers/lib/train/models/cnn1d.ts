/** 1D CNN for sequences (one-hot DNA: [length, 4]) and spectra ([length, 1]). */
import type { LayersModel } from "@tensorflow/tfjs";
import { tfjs } from "../tf";
import { LayerFactory, type CommonModelOptions } from "./options";

/** Options of `buildCNN1D`. */
export interface CNN1DOptions extends CommonModelOptions {
  /** Input [length, channels]: [L, 4] for one-hot DNA, [L, 1] for a spectrum. */
  inputShape: [number, number];
  /** Filters of each convolution layer. Default [32, 64]. */
  filters?: number[];
  /** Kernel width of every convolution. Default 7. */
  kernelSize?: number;
  /** Max-pool size after each convolution (1 = none). Default 2. */
  poolSize?: number;
  /** Pooling over the whole sequence at the end ("max" suits motif detection) or flatten. Default "max". */
  globalPool?: "max" | "avg" | "flatten";
  /** Hidden dense units. Default [64]. */
  dense?: number[];
}

/** Builds a 1D CNN (conv → [BN] → relu → pool blocks, global pooling, dense head). */
export function buildCNN1D(options: CNN1DOptions): LayersModel {
  const tf = tfjs();
  const f = new LayerFactory(options);
  const model = tf.sequential({ name: options.name ?? "cnn1d" });
  const pool = options.poolSize ?? 2;
  (options.filters ?? [32, 64]).forEach((filters, i) => {
    model.add(
      tf.layers.conv1d({
        filters,
        kernelSize: options.kernelSize ?? 7,
        padding: "same",
        useBias: !options.batchNorm,
        activation: options.batchNorm ? "linear" : "relu",
        ...(i === 0 ? { inputShape: options.inputShape } : {}),
        ...f.weights(),
      }),
    );
    if (options.batchNorm) {
      model.add(tf.layers.batchNormalization());
      model.add(tf.layers.activation({ activation: "relu" }));
    }
    if (pool > 1) model.add(tf.layers.maxPooling1d({ poolSize: pool }));
  });
  const g = options.globalPool ?? "max";
  model.add(g === "max" ? tf.layers.globalMaxPooling1d({}) : g === "avg" ? tf.layers.globalAveragePooling1d({}) : tf.layers.flatten());
  for (const units of options.dense ?? [64]) {
    model.add(tf.layers.dense({ units, activation: "relu", ...f.weights() }));
    if (options.dropout) model.add(tf.layers.dropout({ rate: options.dropout }));
  }
  model.add(f.output());
  return model;
}
