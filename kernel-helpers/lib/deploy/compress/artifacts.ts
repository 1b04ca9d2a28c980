/** In-memory model artifacts: capture a model's topology + weights, clone a model, write a model dir. */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { io, LayersModel } from "@tensorflow/tfjs";
import { tfjs } from "../../train/tf";

/** A model's artifacts with its weights as one contiguous buffer. */
export interface CapturedModel {
  artifacts: io.ModelArtifacts;
  specs: io.WeightsManifestEntry[];
  weights: ArrayBuffer;
}

/** Serializes a model in memory (topology, weight specs, weight bytes). */
export async function captureModel(model: LayersModel): Promise<CapturedModel> {
  const tf = tfjs();
  let captured: io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      captured = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  const a = captured!;
  const wd = a.weightData;
  const weights = wd === undefined ? new ArrayBuffer(0) : Array.isArray(wd) ? tf.io.concatenateArrayBuffers(wd) : wd;
  return { artifacts: a, specs: a.weightSpecs ?? [], weights };
}

/** An independent copy of a model (same topology and weights). */
export async function cloneModel(model: LayersModel): Promise<LayersModel> {
  const tf = tfjs();
  const c = await captureModel(model);
  return tf.loadLayersModel(tf.io.fromMemory({ ...c.artifacts, weightSpecs: c.specs, weightData: c.weights }));
}

/**
 * Writes a model directory (model.json + weights.bin, standard tfjs layout) atomically: the files
 * go into a temporary sibling folder that is renamed into place.
 */
export function writeModelDir(dir: string, artifacts: io.ModelArtifacts, specs: io.WeightsManifestEntry[], weights: Uint8Array): void {
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  const json = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? "layers-model",
    generatedBy: artifacts.generatedBy,
    convertedBy: "sciforge",
    trainingConfig: artifacts.trainingConfig,
    userDefinedMetadata: artifacts.userDefinedMetadata,
    weightsManifest: [{ paths: ["./weights.bin"], weights: specs }],
  };
  writeFileSync(join(tmp, "weights.bin"), weights);
  writeFileSync(join(tmp, "model.json"), JSON.stringify(json));
  replaceDir(tmp, dir);
}

/** Moves folder `from` to `to`, replacing an existing `to` (old copy removed after the swap). */
export function replaceDir(from: string, to: string): void {
  let old: string | undefined;
  try {
    statSync(to);
    old = join(dirname(to), `.${basename(to)}.old-${process.pid}-${Date.now()}`);
    renameSync(to, old);
  } catch {
    old = undefined;
  }
  renameSync(from, to);
  if (old) rmSync(old, { recursive: true, force: true });
}

/** Total bytes of the files in a folder (recursive). */
export function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}
