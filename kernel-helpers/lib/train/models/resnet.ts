/** A small ResNet (basic residual blocks, batch-norm, global average pooling). */
import type { LayersModel, SymbolicTensor } from "@tensorflow/tfjs";
import { tfjs } from "../tf";
import { LayerFactory, type CommonModelOptions } from "./options";

/** Options of `buildResNet`. */
export interface ResNetOptions extends CommonModelOptions {
  /** Input [height, width, channels]. */
  inputShape: [number, number, number];
  /** Filters per stage; every stage after the first halves the resolution. Default [16, 32, 64]. */
  stages?: number[];
  /** Residual blocks per stage. Default 2. */
  blocksPerStage?: number;
}

/** Builds a small ResNet for images. Batch-norm is on unless `batchNorm: false`. */
export function buildResNet(options: ResNetOptions): LayersModel {
  const tf = tfjs();
  const bn = options.batchNorm !== false;
  const f = new LayerFactory(options);
  const stages = options.stages ?? [16, 32, 64];
  const perStage = options.blocksPerStage ?? 2;
  const conv = (x: SymbolicTensor, filters: number, kernelSize: number, strides: number) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: "same", useBias: !bn, ...f.weights() }).apply(x) as SymbolicTensor;
  const norm = (x: SymbolicTensor) => (bn ? (tf.layers.batchNormalization().apply(x) as SymbolicTensor) : x);
  const relu = (x: SymbolicTensor) => tf.layers.activation({ activation: "relu" }).apply(x) as SymbolicTensor;

  const input = tf.input({ shape: options.inputShape });
  let x = relu(norm(conv(input, stages[0], 3, 1)));
  stages.forEach((filters, s) => {
    for (let b = 0; b < perStage; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      let shortcut = x;
      if (stride !== 1 || (x.shape[3] as number) !== filters) shortcut = norm(conv(x, filters, 1, stride));
      let y = relu(norm(conv(x, filters, 3, stride)));
      y = norm(conv(y, filters, 3, 1));
      x = relu(tf.layers.add().apply([y, shortcut]) as SymbolicTensor);
    }
  });
  x = tf.layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
  if (options.dropout) x = tf.layers.dropout({ rate: options.dropout }).apply(x) as SymbolicTensor;
  const output = f.output().apply(x) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: options.name ?? "resnet" });
}
