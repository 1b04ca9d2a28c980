/** Train/test split of a DataFrame, optionally stratified, seeded. */
import { pl, type DataFrame } from "../polars";
import { seededRandom, permutation, shuffleInPlace } from "./rng";
import { labelValues, classesByAppearance, type LabelsLike } from "./labels";

/** Options for {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Test share (0..1) or test row count (default 0.25). The test size is rounded up. */
  testSize?: number;
  /** Seed of our own generator (default 0); same seed, same split. */
  seed?: number;
  /** Shuffle before splitting (default true; false takes the last rows as test). */
  shuffle?: boolean;
  /** Keep class proportions of these labels (column name, array or Series) in both parts. */
  stratify?: LabelsLike;
}

/** The two parts and which original rows went where (ascending within each part). */
export interface TrainTestSplit {
  train: DataFrame;
  test: DataFrame;
  trainIndex: Int32Array;
  testIndex: Int32Array;
}

/**
 * Splits rows into train and test sets. Stratified: each class gives ⌊test·share⌋ rows to test,
 * and the leftover test rows go to the classes with the largest remainders, so class proportions
 * match to within one row.
 */
export function trainTestSplit(df: DataFrame, options: TrainTestSplitOptions = {}): TrainTestSplit {
  const n = df.height;
  const ts = options.testSize ?? 0.25;
  const nTest = ts < 1 ? Math.ceil(ts * n) : Math.floor(ts);
  if (nTest <= 0 || nTest >= n) throw new Error(`trainTestSplit: testSize ${ts} leaves an empty part for ${n} rows`);
  const rand = seededRandom(options.seed ?? 0);
  const isTest = new Uint8Array(n);
  if (options.stratify !== undefined) {
    if (options.shuffle === false) throw new Error("trainTestSplit: stratify needs shuffle (true)");
    const y = labelValues(options.stratify, df);
    if (y.length !== n) throw new Error(`trainTestSplit: ${y.length} labels for ${n} rows`);
    const { members } = classesByAppearance(y);
    if (members.some((m) => m.length < 2)) throw new Error("trainTestSplit: a class has fewer than 2 rows, cannot stratify");
    const exact = members.map((m) => (m.length * nTest) / n);
    const take = exact.map(Math.floor);
    let left = nTest - take.reduce((a, b) => a + b, 0);
    const order = members.map((_, k) => k).sort((a, b) => exact[b] - take[b] - (exact[a] - take[a]) || members[b].length - members[a].length || a - b);
    for (const k of order) {
      if (left === 0) break;
      take[k]++;
      left--;
    }
    members.forEach((m, k) => {
      const rows = shuffleInPlace([...m], rand);
      for (let j = 0; j < take[k]; j++) isTest[rows[j]] = 1;
    });
  } else if (options.shuffle === false) {
    for (let i = n - nTest; i < n; i++) isTest[i] = 1;
  } else {
    const p = permutation(n, rand);
    for (let j = 0; j < nTest; j++) isTest[p[j]] = 1;
  }
  const testIndex = new Int32Array(nTest);
  const trainIndex = new Int32Array(n - nTest);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (isTest[i]) testIndex[a++] = i;
    else trainIndex[b++] = i;
  }
  return { train: takeRows(df, trainIndex), test: takeRows(df, testIndex), trainIndex, testIndex };
}

/** The rows of a frame at the given indices, in that order. */
export function takeRows(df: DataFrame, index: Int32Array | readonly number[]): DataFrame {
  const idx = pl.Series("\u0000idx", Array.from(index), pl.UInt32);
  return df.select(pl.all().gather(idx));
}
