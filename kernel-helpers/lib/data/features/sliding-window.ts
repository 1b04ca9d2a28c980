/** Fixed-size sliding windows over signals, for sequence models. */
import { expectKind, type TransformerJSON } from "./transformer";

/** Windows cut from a signal: `data` is row-major [count, size, channels]; `starts[i]` is window i's first sample. */
export interface Windows {
  data: Float32Array;
  shape: [number, number, number];
  starts: Int32Array;
}

/** Options for {@link SlidingWindow}. */
export interface SlidingWindowOptions {
  /** Samples per window. */
  size: number;
  /** Samples between window starts (default: size, i.e. no overlap). */
  step?: number;
  /** Keep a last partial window padded with `padValue` (default false: drop it). */
  pad?: boolean;
  padValue?: number;
}

/**
 * Cuts windows of `size` samples every `step` samples from a 1-D signal or a multichannel signal
 * ([samples][channels], or channel arrays). No state is learned, but it serializes like the other steps.
 */
export class SlidingWindow {
  readonly kind = "SlidingWindow";
  readonly fitted = true;
  constructor(readonly options: SlidingWindowOptions) {
    if (!(Number.isInteger(options.size) && options.size > 0)) throw new Error(`SlidingWindow: size must be a positive integer, got ${options.size}`);
    if (options.step !== undefined && !(Number.isInteger(options.step) && options.step > 0)) throw new Error(`SlidingWindow: step must be a positive integer, got ${options.step}`);
  }

  /** Windows over one signal. `channels` > 1: `signal` is interleaved [samples × channels]. */
  transform(signal: ArrayLike<number>, channels = 1): Windows {
    const { size } = this.options;
    const step = this.options.step ?? size;
    const samples = Math.floor(signal.length / channels);
    let count = samples >= size ? Math.floor((samples - size) / step) + 1 : 0;
    if (this.options.pad && (count === 0 ? samples > 0 : (count - 1) * step + size < samples)) count++;
    const data = new Float32Array(count * size * channels);
    if (this.options.pad) data.fill(this.options.padValue ?? 0);
    const starts = new Int32Array(count);
    for (let w = 0; w < count; w++) {
      const s = w * step;
      starts[w] = s;
      const n = Math.min(size, samples - s) * channels;
      for (let k = 0; k < n; k++) data[w * size * channels + k] = signal[s * channels + k];
    }
    return { data, shape: [count, size, channels], starts };
  }

  toJSON(): TransformerJSON {
    return { kind: this.kind, options: this.options };
  }

  /** Restores a window spec saved with toJSON(). */
  static fromJSON(json: TransformerJSON): SlidingWindow {
    expectKind(json, "SlidingWindow");
    return new SlidingWindow(json.options as SlidingWindowOptions);
  }
}

/** Cuts windows from a signal: `slidingWindows(ecg, { size: 256, step: 128 })`. */
export function slidingWindows(signal: ArrayLike<number>, options: SlidingWindowOptions, channels = 1): Windows {
  return new SlidingWindow(options).transform(signal, channels);
}
