/**
 * Batch assembly from host copies of x and y: rows are gathered into reused buffers (no per-batch
 * allocation besides the tensors handed to tfjs), then augmented in place.
 */
import type { Tensor } from "@tensorflow/tfjs";
import { tfjs } from "../tf";
import type { AugmentFn } from "../images/augment";

/** Host-side rows of a tensor, gathered batch by batch into a reusable buffer. */
export class RowSource {
  readonly rows: number;
  readonly rowSize: number;
  readonly rowShape: number[];
  private readonly data: Float32Array;
  private buffer: Float32Array;

  private constructor(t: Tensor, d: ArrayLike<number>) {
    this.rows = t.shape[0];
    this.rowShape = t.shape.slice(1);
    this.rowSize = this.rowShape.reduce((a, b) => a * b, 1);
    this.data = d instanceof Float32Array ? d : Float32Array.from(d);
    this.buffer = new Float32Array(0);
  }

  /**
   * The host copy of `t`. Read asynchronously: on webgpu a synchronous read of data computed on the
   * GPU is not possible in Node (tfjs would need an OffscreenCanvas).
   */
  static async of(t: Tensor): Promise<RowSource> {
    return new RowSource(t, (await t.data()) as ArrayLike<number>);
  }

  /** All values, row after row (the host copy itself, not a copy). */
  values(): Float32Array {
    return this.data;
  }

  /** Values of one row (a view, not a copy). */
  row(i: number): Float32Array {
    return this.data.subarray(i * this.rowSize, (i + 1) * this.rowSize);
  }

  /** Copies rows `idx[from..to)` into the reused buffer and returns it (length (to-from)·rowSize). */
  gather(idx: Int32Array, from: number, to: number): Float32Array {
    const n = to - from;
    if (this.buffer.length < n * this.rowSize) this.buffer = new Float32Array(n * this.rowSize);
    const out = this.buffer.subarray(0, n * this.rowSize);
    for (let k = 0; k < n; k++) out.set(this.row(idx[from + k]), k * this.rowSize);
    return out;
  }

  /** Gathers a batch, optionally augments it (4D rows only), and makes a tensor of it. */
  batch(idx: Int32Array, from: number, to: number, augment?: AugmentFn, rand?: () => number): Tensor {
    const buf = this.gather(idx, from, to);
    const shape = [to - from, ...this.rowShape];
    if (augment && shape.length === 4) augment(buf, shape as [number, number, number, number], rand ?? Math.random);
    return tfjs().tensor(buf, shape, "float32");
  }
}
