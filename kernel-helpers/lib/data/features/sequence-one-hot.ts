/** One-hot encoding of biological sequences (DNA, RNA, protein) into a [n, length, alphabet] block. */
import type { DataFrame } from "../polars";
import type { TensorEncoder } from "./tensor-encoder";
import { assertFitted, BaseStep, type StepSummary } from "./step";

/** Built-in alphabets. */
export const ALPHABETS = {
  dna: "ACGT",
  rna: "ACGU",
  protein: "ACDEFGHIKLMNPQRSTVWY",
} as const;

/** Options for {@link SequenceOneHot}. */
export interface SequenceOneHotOptions {
  /** "dna" (default), "rna", "protein", or the alphabet's letters as a string. */
  alphabet?: keyof typeof ALPHABETS | (string & {});
  /** Fixed sequence length; default: the longest training sequence. Longer ones are cut, shorter padded with zeros. */
  length?: number;
  /** Letters outside the alphabet (N, X, gaps): "zero" (default, an all-zero position) or "error". */
  unknown?: "zero" | "error";
  /** Case-insensitive (default true). */
  ignoreCase?: boolean;
  /** Sequences of another length than `length`: "pad" (default: cut, or padded with zeros) or "error". */
  wrongLength?: "pad" | "error";
  /** The sequence column of a frame (default: the frame's first column). */
  column?: string;
}

/** Encoded sequences: `data` is row-major [n, length, alphabet.length]. */
export interface EncodedSequences {
  data: Float32Array;
  shape: [number, number, number];
}

/**
 * One-hot encodes sequences letter by letter: position p of sequence i sets
 * data[(i·length + p)·A + indexOf(letter)] = 1. Fit learns the length on training sequences (and
 * remembers the column it read, so a fitted encoder can travel with a model bundle; with
 * `unknown: "error"` and `wrongLength: "error"`, `check` names every row a bundle must refuse).
 */
type Sequences = readonly string[] | DataFrame;

export class SequenceOneHot extends BaseStep<SequenceOneHotOptions, { length: number; column?: string }, Sequences, EncodedSequences> implements TensorEncoder {
  static override readonly kind = "SequenceOneHot";
  alphabet: string;
  length = 0;
  /** The frame column fit read (undefined when fitted on an array without a `column` option). */
  column?: string;
  constructor(options: SequenceOneHotOptions = {}) {
    super(options);
    const a = options.alphabet ?? "dna";
    this.alphabet = a in ALPHABETS ? ALPHABETS[a as keyof typeof ALPHABETS] : a;
    if (options.ignoreCase ?? true) this.alphabet = this.alphabet.toUpperCase();
    if (new Set(this.alphabet).size !== this.alphabet.length) throw new Error(`SequenceOneHot: alphabet "${this.alphabet}" repeats a letter`);
  }

  private columnOf(df: DataFrame, column?: string): string {
    const c = column ?? this.column ?? this.options.column ?? df.columns[0];
    if (!df.columns.includes(c)) throw new Error(`SequenceOneHot: no column "${c}" in the frame (has ${df.columns.join(", ")})`);
    return c;
  }

  private seqs(x: Sequences, column?: string): string[] {
    if (Array.isArray(x)) return x as string[];
    const df = x as DataFrame;
    return df.getColumn(this.columnOf(df, column)).toArray().map((s) => (s === null ? "" : String(s)));
  }

  /**
   * Learns the sequence length (the longest training sequence) unless fixed in the options.
   * @param column deprecated: give the column in the options (`new SequenceOneHot({ column: "sequence" })`).
   */
  fit(x: Sequences, column?: string): this {
    const s = this.seqs(x, column);
    this.length = this.options.length ?? s.reduce((m, q) => Math.max(m, q.trim().length), 0);
    this.column = Array.isArray(x) ? (column ?? this.options.column) : this.columnOf(x as DataFrame, column);
    this.markFitted(s.length);
    return this;
  }

  /** The column a frame is read from (as an encoder of a model bundle). */
  get columns(): string[] {
    const c = this.column ?? this.options.column;
    return c === undefined ? [] : [c];
  }

  /** Shape of one encoded sequence: [length, alphabet size]. */
  get rowShape(): number[] {
    return [this.length, this.alphabet.length];
  }

  /**
   * Rows `transform` would refuse or silently change, each named by row and column: a missing or
   * non-text value, a letter outside the alphabet (with `unknown: "error"`), another length than
   * the fitted one (with `wrongLength: "error"`). Empty when every row is encodable.
   */
  check(df: DataFrame): string[] {
    assertFitted(this);
    const c = this.columnOf(df);
    const code = this.codes();
    const problems: string[] = [];
    df.getColumn(c).toArray().forEach((v, i) => {
      const at = `row ${i}, column ${JSON.stringify(c)}`;
      if (v === null || v === undefined) return void problems.push(`${at}: missing sequence`);
      if (typeof v !== "string") return void problems.push(`${at}: expected a sequence of letters, got ${JSON.stringify(v)}`);
      const s = v.trim();
      if (this.options.wrongLength === "error" && s.length !== this.length) problems.push(`${at}: ${s.length} letters, expected ${this.length}`);
      if (this.options.unknown === "error") {
        for (let p = 0; p < Math.min(s.length, this.length); p++) {
          const ch = s.charCodeAt(p);
          if (ch >= 128 || code[ch] < 0) {
            problems.push(`${at}: letter ${JSON.stringify(s[p])} at position ${p + 1} is not in the alphabet "${this.alphabet}"`);
            break;
          }
        }
      }
    });
    return problems;
  }

  /** Encodes a frame's sequence column as a block [n, length, alphabet size] (as an encoder of a model bundle). */
  encode(df: DataFrame): EncodedSequences {
    return this.transform(df);
  }

  /** Letter index by ASCII code (-1: not in the alphabet). */
  private codes(): Int16Array {
    const code = new Int16Array(128).fill(-1);
    for (let k = 0; k < this.alphabet.length; k++) {
      code[this.alphabet.charCodeAt(k)] = k;
      if (this.options.ignoreCase ?? true) code[this.alphabet.toLowerCase().charCodeAt(k)] = k;
    }
    return code;
  }

  /**
   * Encodes sequences (an array, or a DataFrame column) into a Float32 block.
   * @param column deprecated: the column comes from the options (or what fit read).
   */
  transform(x: Sequences, column?: string): EncodedSequences {
    assertFitted(this);
    const seqs = this.seqs(x, column);
    const A = this.alphabet.length;
    const L = this.length;
    const code = this.codes();
    const data = new Float32Array(seqs.length * L * A);
    for (let i = 0; i < seqs.length; i++) {
      const s = seqs[i].trim();
      if (this.options.wrongLength === "error" && s.length !== L) throw new Error(`SequenceOneHot: sequence ${i} has ${s.length} letters, expected ${L}`);
      const n = Math.min(L, s.length);
      for (let p = 0; p < n; p++) {
        const ch = s.charCodeAt(p);
        const k = ch < 128 ? code[ch] : -1;
        if (k >= 0) data[(i * L + p) * A + k] = 1;
        else if (this.options.unknown === "error") throw new Error(`SequenceOneHot: letter "${s[p]}" at position ${p + 1} of sequence ${i} is not in the alphabet "${this.alphabet}"`);
      }
    }
    return { data, shape: [seqs.length, L, A] };
  }

  /** fit then transform (`column`: deprecated, see {@link fit}). */
  override fitTransform(x: Sequences, column?: string): EncodedSequences {
    return this.fit(x, column).transform(x, column);
  }

  protected getState(): { length: number; column?: string } {
    return { length: this.length, ...(this.column !== undefined ? { column: this.column } : {}) };
  }

  protected setState(s: { length: number; column?: string }): void {
    this.length = s.length;
    if (typeof s.column === "string") this.column = s.column;
  }

  protected summary(): StepSummary {
    return {
      params: { column: this.column ?? this.options.column, alphabet: this.alphabet, length: this.fitted ? this.length : this.options.length, unknown: this.options.unknown, wrongLength: this.options.wrongLength },
      table: { header: ["output", "shape"], rows: [["one-hot block", `[n, ${this.length}, ${this.alphabet.length}]`]] },
    };
  }
}
