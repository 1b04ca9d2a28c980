/** Fixed-size sliding windows over signals, for sequence models. */
import { numericColumns, type DataFrame } from "../polars";
import { assertColumns, BaseStep, type StepSummary } from "./step";

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
  /** On a frame: the channel columns, one sample per row (default: every numeric column). */
  columns?: string[];
  /** On a frame: columns never used as channels (e.g. a label or time column). */
  exclude?: string[];
  /** On an array: channels interleaved in it ([samples × channels]; default 1). */
  channels?: number;
}

/** A signal: a 1-D (or interleaved multichannel) array, or a frame whose rows are samples. */
export type Signal = ArrayLike<number> | DataFrame;

function isFrame(x: Signal): x is DataFrame {
  return typeof (x as DataFrame).getColumn === "function" && Array.isArray((x as DataFrame).columns);
}

/**
 * Cuts windows of `size` samples every `step` samples from a 1-D signal, an interleaved
 * multichannel one ([samples × channels], `channels` option), or a frame whose rows are samples
 * and whose `columns` are the channels. No state is learned (`fit` only checks the columns), but
 * it serializes and restores like the other steps.
 * ```ts
 * const windows = new SlidingWindow({ size: 256, step: 128, columns: ["lead1", "lead2"] }).transform(ecg);
 * ```
 */
export class SlidingWindow extends BaseStep<SlidingWindowOptions, Record<string, never>, Signal, Windows> {
  static override readonly kind = "SlidingWindow";
  constructor(options: SlidingWindowOptions) {
    super(options);
    if (!(Number.isInteger(options?.size) && options.size > 0)) throw new Error(`SlidingWindow: size must be a positive integer, got ${options?.size}`);
    if (options.step !== undefined && !(Number.isInteger(options.step) && options.step > 0)) throw new Error(`SlidingWindow: step must be a positive integer, got ${options.step}`);
    if (options.channels !== undefined && !(Number.isInteger(options.channels) && options.channels > 0)) throw new Error(`SlidingWindow: channels must be a positive integer, got ${options.channels}`);
    this.markFitted(undefined);
  }

  /** Nothing to learn; checks that a frame has the channel columns. */
  fit(signal: Signal): this {
    if (isFrame(signal)) this.channelColumns(signal);
    return this;
  }

  private channelColumns(df: DataFrame): string[] {
    const exclude = this.options.exclude ?? [];
    const cols = (this.options.columns ?? numericColumns(df)).filter((c) => !exclude.includes(c));
    assertColumns(this.kind, df, cols);
    if (cols.length === 0) throw new Error("SlidingWindow: no numeric columns to cut windows from");
    return cols;
  }

  /**
   * Windows over one signal.
   * @param channels deprecated: give `channels` in the options.
   */
  transform(signal: Signal, channels?: number): Windows {
    let values: ArrayLike<number> = signal as ArrayLike<number>;
    let ch = channels ?? this.options.channels ?? 1;
    if (isFrame(signal)) {
      const cols = this.channelColumns(signal);
      ch = cols.length;
      const n = signal.height;
      const inter = new Float32Array(n * ch);
      cols.forEach((c, j) => {
        const v = signal.getColumn(c).toArray() as (number | null)[];
        for (let i = 0; i < n; i++) inter[i * ch + j] = v[i] === null ? NaN : Number(v[i]);
      });
      values = inter;
    }
    const { size } = this.options;
    const step = this.options.step ?? size;
    const samples = Math.floor(values.length / ch);
    let count = samples >= size ? Math.floor((samples - size) / step) + 1 : 0;
    if (this.options.pad && (count === 0 ? samples > 0 : (count - 1) * step + size < samples)) count++;
    const data = new Float32Array(count * size * ch);
    if (this.options.pad) data.fill(this.options.padValue ?? 0);
    const starts = new Int32Array(count);
    for (let w = 0; w < count; w++) {
      const s = w * step;
      starts[w] = s;
      const n = Math.min(size, samples - s) * ch;
      for (let k = 0; k < n; k++) data[w * size * ch + k] = values[s * ch + k];
    }
    return { data, shape: [count, size, ch], starts };
  }

  /** transform (nothing to fit); `channels` deprecated as in {@link transform}. */
  override fitTransform(signal: Signal, channels?: number): Windows {
    return this.fit(signal).transform(signal, channels);
  }

  protected getState(): Record<string, never> {
    return {};
  }

  protected setState(): void {}

  protected summary(): StepSummary {
    const { size, step, pad, padValue, columns, exclude, channels } = this.options;
    return { params: { size, step: step ?? size, pad, padValue, columns, exclude, channels } };
  }
}

/** Cuts windows from a signal: `slidingWindows(ecg, { size: 256, step: 128 })` (`channels`: deprecated, use the option). */
export function slidingWindows(signal: Signal, options: SlidingWindowOptions, channels?: number): Windows {
  return new SlidingWindow(options).transform(signal, channels);
}
