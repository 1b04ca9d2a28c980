/**
 * Post-training weight quantization written in the standard tfjs weights manifest: each float32
 * weight becomes uint8 (affine: value = min + scale · q, with 0 exactly representable so pruned
 * zeros stay zero) or float16, and its manifest entry carries `quantization`, so
 * `tf.loadLayersModel` reads the folder back and dequantizes it.
 */
import type { io, LayersModel } from "@tensorflow/tfjs";
import { loadModel } from "../../train/io/file-handler";
import { captureModel, dirBytes, writeModelDir } from "./artifacts";
import { encodeFloat16 } from "./float16";

/** Quantized weight types. */
export type QuantizeDtype = "uint8" | "float16";

/** Options of {@link quantize}. */
export interface QuantizeOptions {
  /** "uint8" (≈¼ the size) or "float16" (≈½). */
  dtype: QuantizeDtype;
  /** Folder written (model.json + weights.bin). */
  dir: string;
}

/** What {@link quantize} returns. */
export interface QuantizedModel {
  /** The quantized model, reloaded from `dir` (weights dequantized by tfjs). */
  model: LayersModel;
  dir: string;
  dtype: QuantizeDtype;
  /** Bytes of the folder on disk. */
  bytes: number;
  /** Bytes of the float32 weights before / after. */
  weightBytesBefore: number;
  weightBytesAfter: number;
  /** Largest absolute change of any weight after the round trip. */
  maxAbsError: number;
}

/** Affine uint8 parameters with zero exactly representable. */
export function uint8Params(values: Float32Array): { min: number; scale: number } {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) return { min: lo, scale: 1 };
  const scale = (hi - lo) / 255;
  const zeroPoint = Math.round(-lo / scale);
  return { min: -zeroPoint * scale, scale };
}

/** Quantizes float32 values to uint8 with the given parameters. */
export function quantizeUint8(values: Float32Array, min: number, scale: number): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.max(0, Math.min(255, Math.round((values[i] - min) / scale)));
  return out;
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Quantizes a model's float32 weights to uint8 or float16 and writes it to `options.dir`
 * (atomically). Returns the reloaded model, its size on disk and the largest weight error.
 * ```ts
 * const q = await quantize(model, { dtype: "uint8", dir: "models/q8" });
 * const same = await tf.loadLayersModel(fileHandler("models/q8")); // dequantized on load
 * ```
 */
export async function quantize(model: LayersModel, options: QuantizeOptions): Promise<QuantizedModel> {
  if (options.dtype !== "uint8" && options.dtype !== "float16") throw new Error(`quantize: dtype must be "uint8" or "float16", got ${JSON.stringify(options.dtype)}`);
  const { artifacts, specs, weights } = await captureModel(model);
  const parts: Uint8Array[] = [];
  const outSpecs: io.WeightsManifestEntry[] = [];
  let offset = 0;
  let maxAbsError = 0;
  for (const spec of specs) {
    const n = sizeOf(spec.shape);
    if (spec.quantization) throw new Error(`quantize: weight ${spec.name} is already quantized`);
    const bytesPer = spec.dtype === "float32" || spec.dtype === "int32" ? 4 : spec.dtype === "bool" ? 1 : 0;
    if (bytesPer === 0) throw new Error(`quantize: weight ${spec.name} has unsupported dtype ${spec.dtype}`);
    const raw = weights.slice(offset, offset + n * bytesPer);
    offset += n * bytesPer;
    if (spec.dtype !== "float32") {
      parts.push(new Uint8Array(raw));
      outSpecs.push(spec);
      continue;
    }
    const values = new Float32Array(raw);
    if (options.dtype === "uint8") {
      const { min, scale } = uint8Params(values);
      const q = quantizeUint8(values, min, scale);
      for (let i = 0; i < n; i++) maxAbsError = Math.max(maxAbsError, Math.abs(min + scale * q[i] - values[i]));
      parts.push(q);
      outSpecs.push({ ...spec, quantization: { dtype: "uint8", min, scale } });
    } else {
      const h = encodeFloat16(values);
      parts.push(new Uint8Array(h.buffer));
      outSpecs.push({ ...spec, quantization: { dtype: "float16" } });
    }
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const all = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  writeModelDir(options.dir, artifacts, outSpecs, all);
  const reloaded = await loadModel(options.dir);
  if (options.dtype === "float16") {
    const a = model.getWeights();
    const b = reloaded.getWeights();
    for (let i = 0; i < a.length; i++) {
      if (a[i].dtype !== "float32") continue;
      const x = a[i].dataSync();
      const y = b[i].dataSync();
      for (let j = 0; j < x.length; j++) maxAbsError = Math.max(maxAbsError, Math.abs(x[j] - y[j]));
    }
  }
  return { model: reloaded, dir: options.dir, dtype: options.dtype, bytes: dirBytes(options.dir), weightBytesBefore: weights.byteLength, weightBytesAfter: total, maxAbsError };
}
