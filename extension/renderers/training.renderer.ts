/**
 * Live training monitor (MIME.training), updated in place as the kernel updates the display. The
 * drawing is training-view.ts, shared with the Training Dashboard (which loads this bundle and
 * calls its `drawTraining`).
 */
import { jsonRenderer } from "./dom";
import { renderTraining, TRAINING_CSS } from "./training-view";

export { drawTraining, renderTraining } from "./training-view";

export const activate = jsonRenderer("sciforge-training", TRAINING_CSS, "training monitor", renderTraining);
