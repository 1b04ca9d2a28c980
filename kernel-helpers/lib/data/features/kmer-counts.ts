/** k-mer counts of sequences (DNA, RNA, protein, any text): a position-free bag of substrings. */
import { pl, type DataFrame } from "../polars";
import { ALPHABETS } from "./sequence-one-hot";
import { assertColumns, assertFitted, BaseStep, type StepSummary } from "./step";

/** Options for {@link KmerCounts}. */
export interface KmerCountsOptions {
  /** The sequence column to replace by count columns. */
  column: string;
  /** Substring length (default 3). */
  k?: number;
  /**
   * Only count k-mers made of these letters: "dna", "rna", "protein" or the letters as a string.
   * Default: every k-mer counts (like scikit-learn's `CountVectorizer(analyzer="char")`).
   */
  alphabet?: keyof typeof ALPHABETS | (string & {});
  /** Upper-case the sequences first (default true). */
  ignoreCase?: boolean;
  /** Prefix of the output column names (default "": columns are named by the k-mer, e.g. "GTA"). */
  prefix?: string;
  /** Keep the sequence column beside the counts (default false). */
  keepOriginal?: boolean;
}

/**
 * Replaces a sequence column by one count column per k-mer. `fit` learns the vocabulary: the
 * k-mers seen in the training sequences, sorted; `transform` counts the overlapping occurrences
 * of each (k-mers not in the vocabulary are ignored). With the defaults the counts equal
 * scikit-learn's `CountVectorizer(analyzer="char", ngram_range=(k, k), lowercase=False)` on
 * upper-case sequences.
 * ```ts
 * const kmers = new KmerCounts({ column: "sequence", k: 3, alphabet: "dna" });
 * const trainCounts = kmers.fitTransform(train); // 64 columns AAA … TTT (+ the other columns)
 * ```
 */
export class KmerCounts extends BaseStep<KmerCountsOptions, { vocabulary: string[] }> {
  static override readonly kind = "KmerCounts";
  vocabulary: string[] = [];
  private readonly k: number;
  private readonly letters?: Set<string>;

  constructor(options: KmerCountsOptions) {
    super(options);
    if (!options || typeof options.column !== "string" || !options.column) throw new Error('KmerCounts: give the sequence column, e.g. new KmerCounts({ column: "sequence" })');
    this.k = options.k ?? 3;
    if (!Number.isInteger(this.k) || this.k < 1) throw new Error(`KmerCounts: k must be a positive integer, got ${options.k}`);
    if (options.alphabet !== undefined) {
      const a = options.alphabet in ALPHABETS ? ALPHABETS[options.alphabet as keyof typeof ALPHABETS] : options.alphabet;
      if (!a) throw new Error("KmerCounts: the alphabet is empty");
      this.letters = new Set(this.caseOf(a));
    }
  }

  private caseOf(s: string): string {
    return (this.options.ignoreCase ?? true) ? s.toUpperCase() : s;
  }

  private sequences(df: DataFrame): string[] {
    assertColumns(this.kind, df, [this.options.column]);
    const values = df.getColumn(this.options.column).toArray();
    return values.map((v, i) => {
      if (v === null || v === undefined) throw new Error(`KmerCounts: row ${i} of column "${this.options.column}" is missing; drop or fill it first`);
      if (typeof v !== "string") throw new Error(`KmerCounts: column "${this.options.column}" must hold text, row ${i} is ${typeof v}`);
      return this.caseOf(v);
    });
  }

  /** Calls `visit` with each countable k-mer of `s`, in order (overlapping). */
  private eachKmer(s: string, visit: (kmer: string) => void): void {
    const k = this.k;
    let lastBad = -1; // last position so far holding a letter outside the alphabet
    for (let q = 0; q < s.length; q++) {
      if (this.letters && !this.letters.has(s[q])) lastBad = q;
      const p = q - k + 1;
      if (p >= 0 && lastBad < p) visit(s.slice(p, q + 1));
    }
  }

  /** Learns the vocabulary: every k-mer in the training sequences, sorted. */
  fit(df: DataFrame): this {
    const seen = new Set<string>();
    for (const s of this.sequences(df)) this.eachKmer(s, (m) => seen.add(m));
    if (seen.size === 0) throw new Error(`KmerCounts: no ${this.k}-mer in the training sequences of column "${this.options.column}"`);
    this.vocabulary = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const clash = this.featureNames().find((n) => n !== this.options.column && df.columns.includes(n));
    if (clash) throw new Error(`KmerCounts: output column "${clash}" already exists in the frame; set a prefix`);
    this.markFitted(df.height);
    return this;
  }

  /** Names of the output count columns, in vocabulary order. */
  featureNames(): string[] {
    const prefix = this.options.prefix ?? "";
    return this.vocabulary.map((m) => prefix + m);
  }

  /** Counts as a row-major Float32 block [n, vocabulary.length]. */
  counts(df: DataFrame): { data: Float32Array; shape: [number, number] } {
    assertFitted(this);
    const seqs = this.sequences(df);
    const index = new Map(this.vocabulary.map((m, j) => [m, j]));
    const V = this.vocabulary.length;
    const data = new Float32Array(seqs.length * V);
    seqs.forEach((s, i) =>
      this.eachKmer(s, (m) => {
        const j = index.get(m);
        if (j !== undefined) data[i * V + j]++;
      }),
    );
    return { data, shape: [seqs.length, V] };
  }

  /** Replaces the sequence column by one Int32 count column per vocabulary k-mer. */
  transform(df: DataFrame): DataFrame {
    const { data, shape } = this.counts(df);
    const [n, V] = shape;
    const names = this.featureNames();
    const columns = names.map((name, j) => {
      const col = new Int32Array(n);
      for (let i = 0; i < n; i++) col[i] = data[i * V + j];
      return pl.Series(name, col, pl.Int32);
    });
    const base: DataFrame = this.options.keepOriginal ? df : df.drop(this.options.column);
    const counts: DataFrame = pl.DataFrame(columns);
    return pl.concat([base, counts], { how: "horizontal" });
  }

  protected getState(): { vocabulary: string[] } {
    return { vocabulary: this.vocabulary };
  }

  protected setState(s: { vocabulary: string[] }): void {
    this.vocabulary = [...s.vocabulary];
  }

  protected summary(): StepSummary {
    const names = this.featureNames();
    return {
      params: { column: this.options.column, k: this.k, alphabet: this.options.alphabet, prefix: this.options.prefix, keepOriginal: this.options.keepOriginal },
      table: { header: ["vocabulary", "output columns"], rows: [[`${names.length} ${this.k}-mers`, names.length > 8 ? `${names.slice(0, 6).join(", ")}, …, ${names[names.length - 1]}` : names.join(", ")]] },
    };
  }
}
