/**
 * A file-system IOHandler for tfjs models (tfjs's own file:// handler needs tfjs-node).
 * Saves model.json + weights.bin in the standard tfjs layout; each file is written to a temporary
 * name and renamed into place, weights first, so a crash never leaves a half-written checkpoint.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { io, LayersModel } from "@tensorflow/tfjs";
import { tfjs } from "../tf";

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";

function atomicWrite(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function toBytes(weightData: io.WeightData | undefined): Uint8Array {
  if (!weightData) return new Uint8Array(0);
  const buf = Array.isArray(weightData) ? tfjs().io.concatenateArrayBuffers(weightData) : weightData;
  return new Uint8Array(buf);
}

/** An IOHandler that saves to / loads from directory `dir` (model.json + weights.bin). */
export function fileHandler(dir: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      mkdirSync(dir, { recursive: true });
      const weights = toBytes(artifacts.weightData);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        trainingConfig: artifacts.trainingConfig,
        userDefinedMetadata: artifacts.userDefinedMetadata,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      atomicWrite(join(dir, WEIGHTS_BIN), weights);
      atomicWrite(join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: tfjs().io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<io.ModelArtifacts> {
      const json = JSON.parse(readFileSync(join(dir, MODEL_JSON), "utf8")) as {
        modelTopology: object;
        format?: string;
        generatedBy?: string;
        convertedBy?: string | null;
        trainingConfig?: io.TrainingConfig;
        userDefinedMetadata?: Record<string, object>;
        weightsManifest: Array<{ paths: string[]; weights: io.WeightsManifestEntry[] }>;
      };
      const specs: io.WeightsManifestEntry[] = [];
      const parts: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) parts.push(new Uint8Array(readFileSync(join(dir, p))));
      }
      const total = parts.reduce((a, b) => a + b.length, 0);
      const all = new Uint8Array(total);
      let o = 0;
      for (const p of parts) {
        all.set(p, o);
        o += p.length;
      }
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        trainingConfig: json.trainingConfig,
        userDefinedMetadata: json.userDefinedMetadata,
        weightSpecs: specs,
        weightData: all.buffer,
      };
    },
  };
}

/** Saves a model to directory `dir` (model.json + weights.bin, atomically). */
export async function saveModel(model: LayersModel, dir: string): Promise<io.SaveResult> {
  return model.save(fileHandler(dir));
}

/** Loads a model saved by `saveModel` or a checkpoint callback. */
export async function loadModel(dir: string): Promise<LayersModel> {
  return tfjs().loadLayersModel(fileHandler(dir));
}
