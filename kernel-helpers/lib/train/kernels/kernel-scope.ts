/**
 * Calls a backend's own registered kernels directly (inside another kernel) and frees the
 * intermediate results, so composed kernels allocate no tensors the engine must track.
 */
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs";
import { tfjs } from "../tf";

/** A kernel invocation scope: `run` calls a kernel, `finish` frees every temporary but the result. */
export class KernelScope {
  private readonly temps: TensorInfo[] = [];

  constructor(
    readonly backend: KernelBackend,
    readonly backendName: string,
  ) {}

  /** Runs kernel `name` of this backend; the output is freed by `finish` unless returned. */
  run(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const k = tfjs().getKernel(name, this.backendName);
    if (!k) throw new Error(`sciforge: kernel ${name} is not registered for backend ${this.backendName}`);
    const out = k.kernelFunc({ inputs, backend: this.backend, attrs });
    const info = Array.isArray(out) ? out[0] : out;
    this.temps.push(info);
    return info;
  }

  /** Frees all temporaries except `keep` (which the caller hands to the engine). */
  finish(keep: TensorInfo): TensorInfo {
    for (const t of this.temps) if (t !== keep) this.backend.disposeData(t.dataId);
    return keep;
  }

  /** Frees all temporaries (on error). */
  abort(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
  }

  // ---- small wrappers over common kernels ----

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run("Reshape", { x }, { shape });
  }
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run("Transpose", { x }, { perm });
  }
  /** Pads (positive amounts) and crops (negative amounts) each axis: `[before, after]` pairs. */
  padOrCrop(x: TensorInfo, amounts: Array<[number, number]>, constantValue = 0): TensorInfo {
    let cur = x;
    if (amounts.some(([a, b]) => a < 0 || b < 0)) {
      const begin = amounts.map(([a]) => Math.max(0, -a));
      const size = cur.shape.map((d, i) => d - begin[i] - Math.max(0, -amounts[i][1]));
      cur = this.run("Slice", { x: cur }, { begin, size });
    }
    if (amounts.some(([a, b]) => a > 0 || b > 0)) {
      const paddings = amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)]);
      cur = this.run("PadV2", { x: cur }, { paddings, constantValue });
    }
    return cur;
  }
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    if (size.every((s, i) => s === x.shape[i])) return x;
    return this.run("Slice", { x }, { begin, size });
  }
  /**
   * Inserts `s-1` zeros between elements along the two spatial axes of an NHWC tensor
   * (the "dilation" of dy that a strided convolution's input gradient needs).
   */
  zeroInsert(x: TensorInfo, sh: number, sw: number): TensorInfo {
    if (sh === 1 && sw === 1) return x;
    const [b, h, w, c] = x.shape;
    const r = this.reshape(x, [b, h, 1, w, 1, c]);
    const p = this.run("PadV2", { x: r }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
    const flat = this.reshape(p, [b, h * sh, w * sw, c]);
    return this.slice(flat, [0, 0, 0, 0], [b, (h - 1) * sh + 1, (w - 1) * sw + 1, c]);
  }
}
