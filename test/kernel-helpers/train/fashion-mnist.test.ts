// Short version of the Fashion-MNIST run (the bench's --accuracy runs the full one, ≥ 88 %).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Tensor } from "@tensorflow/tfjs";
import { tfjs } from "../../../kernel-helpers/lib/train/tf";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";
import { buildVGG } from "../../../kernel-helpers/lib/train/models/vgg";
import { fit } from "../../../kernel-helpers/lib/train/fit/fit";
import { loadIdx } from "../../../kernel-helpers/lib/train/images/idx";
import { DATA } from "../../helpers/paths";

const D = DATA + "/fashion-mnist/";

test("VGG-style CNN learns the Fashion-MNIST subset on the default backend (short run)", async () => {
  const report = await useBackend("auto", { display: false });
  const tf = tfjs();
  const train = loadIdx(D + "train-images-idx3-ubyte.gz", D + "train-labels-idx1-ubyte.gz", { limit: 5000 });
  const testSet = loadIdx(D + "t10k-images-idx3-ubyte.gz", D + "t10k-labels-idx1-ubyte.gz", { limit: 1000 });
  const model = buildVGG({ inputShape: [28, 28, 1], numClasses: 10, blocks: [[16], [32]], dense: [64], seed: 1 });
  const t0 = performance.now();
  const h = await fit(model, train.x, train.y, { epochs: 3, batchSize: 32, seed: 1, learningRate: 2e-3, progress: false });
  const seconds = (performance.now() - t0) / 1000;
  const acc = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(model.predict(testSet.x) as Tensor, -1), tf.cast(testSet.y, "int32")), "float32")).dataSync()[0]);
  console.log(`fashion-mnist short run on ${report.chosen}: ${h.epochs.length} epochs, ${seconds.toFixed(1)} s, ${Math.round(h.epochs[2].samplesPerSec)} img/s, test accuracy ${(acc * 100).toFixed(1)} %`);
  assert.ok(acc >= 0.8, `test accuracy ${acc}`);
  assert.ok(h.history.loss[2] < h.history.loss[0]);
});
