/** The `callbacks` namespace notebooks use: `callbacks.earlyStopping({ patience: 3 })`. */
import { modelCheckpoint } from "./checkpoint";
import { curves } from "./curves";
import { earlyStopping } from "./early-stopping";
import { cosineDecay, exponentialDecay, lrScheduler, reduceLrOnPlateau, stepDecay } from "./lr-schedule";
import { progress } from "./progress";

/** Keras-like training callbacks and learning-rate schedules. */
export const callbacks = {
  progress,
  curves,
  earlyStopping,
  modelCheckpoint,
  lrScheduler,
  reduceLrOnPlateau,
  schedules: { stepDecay, exponentialDecay, cosineDecay },
};
