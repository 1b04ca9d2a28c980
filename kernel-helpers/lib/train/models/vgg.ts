/** VGG-style 2D CNN: blocks of 3×3 convolutions followed by max-pooling, then a dense head. */
import type { LayersModel } from "@tensorflow/tfjs";
import { tfjs } from "../tf";
import { LayerFactory, type CommonModelOptions } from "./options";

/** Options of `buildVGG`. */
export interface VGGOptions extends CommonModelOptions {
  /** Input [height, width, channels], e.g. [28, 28, 1]. */
  inputShape: [number, number, number];
  /** Filters of each convolution, one array per block (each block ends with a 2×2 max-pool). Default [[32, 32], [64, 64]]. */
  blocks?: number[][];
  /** Hidden dense units of the head. Default [128]. */
  dense?: number[];
  /** Dropout after each pooling (0 = none). */
  convDropout?: number;
}

/** Builds a VGG-style CNN for images (softmax output unless `task` says otherwise). */
export function buildVGG(options: VGGOptions): LayersModel {
  const tf = tfjs();
  const f = new LayerFactory(options);
  const model = tf.sequential({ name: options.name ?? "vgg" });
  const blocks = options.blocks ?? [[32, 32], [64, 64]];
  let first = true;
  for (const block of blocks) {
    for (const filters of block) {
      model.add(
        tf.layers.conv2d({
          filters,
          kernelSize: 3,
          padding: "same",
          useBias: !options.batchNorm,
          activation: options.batchNorm ? "linear" : "relu",
          ...(first ? { inputShape: options.inputShape } : {}),
          ...f.weights(),
        }),
      );
      first = false;
      if (options.batchNorm) {
        model.add(tf.layers.batchNormalization());
        model.add(tf.layers.activation({ activation: "relu" }));
      }
    }
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    if (options.convDropout) model.add(tf.layers.dropout({ rate: options.convDropout }));
  }
  model.add(tf.layers.flatten());
  for (const units of options.dense ?? [128]) {
    model.add(tf.layers.dense({ units, activation: options.batchNorm ? "linear" : "relu", useBias: !options.batchNorm, ...f.weights() }));
    if (options.batchNorm) {
      model.add(tf.layers.batchNormalization());
      model.add(tf.layers.activation({ activation: "relu" }));
    }
    if (options.dropout) model.add(tf.layers.dropout({ rate: options.dropout }));
  }
  model.add(f.output());
  return model;
}
