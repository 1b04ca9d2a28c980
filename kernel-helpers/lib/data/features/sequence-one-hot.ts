/** One-hot encoding of biological sequences (DNA, RNA, protein) into a [n, length, alphabet] block. */
import type { DataFrame } from "../polars";
import { assertFitted, expectKind, type TransformerJSON } from "./transformer";

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
}

/** Encoded sequences: `data` is row-major [n, length, alphabet.length]. */
export interface EncodedSequences {
  data: Float32Array;
  shape: [number, number, number];
}

/**
 * One-hot encodes sequences letter by letter: position p of sequence i sets
 * data[(i·length + p)·A + indexOf(letter)] = 1. Fit learns the length on training sequences.
 */
export class SequenceOneHot {
  readonly kind = "SequenceOneHot";
  alphabet: string;
  length = 0;
  fitted = false;
  constructor(readonly options: SequenceOneHotOptions = {}) {
    const a = options.alphabet ?? "dna";
    this.alphabet = a in ALPHABETS ? ALPHABETS[a as keyof typeof ALPHABETS] : a;
    if (options.ignoreCase ?? true) this.alphabet = this.alphabet.toUpperCase();
    if (new Set(this.alphabet).size !== this.alphabet.length) throw new Error(`SequenceOneHot: alphabet "${this.alphabet}" repeats a letter`);
  }

  private seqs(x: readonly string[] | DataFrame, column?: string): string[] {
    if (Array.isArray(x)) return x as string[];
    const df = x as DataFrame;
    const c = column ?? df.columns[0];
    return df.getColumn(c).toArray().map((s) => (s === null ? "" : String(s)));
  }

  /** Learns the sequence length (the longest training sequence) unless fixed in the options. */
  fit(x: readonly string[] | DataFrame, column?: string): this {
    const s = this.seqs(x, column);
    this.length = this.options.length ?? s.reduce((m, q) => Math.max(m, q.trim().length), 0);
    this.fitted = true;
    return this;
  }

  /** Encodes sequences (an array, or a DataFrame column) into a Float32 block. */
  transform(x: readonly string[] | DataFrame, column?: string): EncodedSequences {
    assertFitted(this);
    const seqs = this.seqs(x, column);
    const A = this.alphabet.length;
    const L = this.length;
    const code = new Int16Array(128).fill(-1);
    for (let k = 0; k < A; k++) {
      code[this.alphabet.charCodeAt(k)] = k;
      if (this.options.ignoreCase ?? true) code[this.alphabet.toLowerCase().charCodeAt(k)] = k;
    }
    const data = new Float32Array(seqs.length * L * A);
    for (let i = 0; i < seqs.length; i++) {
      const s = seqs[i].trim();
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

  fitTransform(x: readonly string[] | DataFrame, column?: string): EncodedSequences {
    return this.fit(x, column).transform(x, column);
  }

  toJSON(): TransformerJSON {
    return { kind: this.kind, options: this.options, alphabet: this.alphabet, length: this.length, fitted: this.fitted };
  }

  /** Restores an encoder saved with toJSON(). */
  static fromJSON(json: TransformerJSON): SequenceOneHot {
    expectKind(json, "SequenceOneHot");
    const e = new SequenceOneHot({ ...(json.options as SequenceOneHotOptions), alphabet: json.alphabet as string });
    e.length = json.length as number;
    e.fitted = Boolean(json.fitted);
    return e;
  }
}
