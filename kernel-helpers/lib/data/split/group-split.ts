/** Train/test split by group: every group (patient, site, batch...) lies wholly in one part. */
import type { DataFrame } from "../polars";
import { seededRandom, shuffleInPlace } from "./rng";
import { labelValues, classesByAppearance, type LabelsLike } from "./labels";
import { takeRows, type TrainTestSplit } from "./train-test-split";

/** Options for {@link groupTrainTestSplit}. */
export interface GroupSplitOptions {
  /** Group labels: a column name, an array or a Series. */
  groups: LabelsLike;
  /** Share (0..1) or number of the groups that go to test (default 0.25, rounded up). */
  testSize?: number;
  /** Seed of our own generator (default 0). */
  seed?: number;
}

/**
 * Splits rows so that no group has rows in both parts: the groups are shuffled with the seed and
 * the first ⌈testSize · groups⌉ of them form the test set.
 */
export function groupTrainTestSplit(df: DataFrame, options: GroupSplitOptions): TrainTestSplit & { testGroups: unknown[] } {
  const g = labelValues(options.groups, df);
  if (g.length !== df.height) throw new Error(`groupTrainTestSplit: ${g.length} group labels for ${df.height} rows`);
  const { codes, members } = classesByAppearance(g);
  const k = members.length;
  const ts = options.testSize ?? 0.25;
  const nTest = ts < 1 ? Math.ceil(ts * k) : Math.floor(ts);
  if (nTest <= 0 || nTest >= k) throw new Error(`groupTrainTestSplit: testSize ${ts} leaves an empty part for ${k} groups`);
  const order = shuffleInPlace(Array.from({ length: k }, (_, i) => i), seededRandom(options.seed ?? 0));
  const isTestGroup = new Uint8Array(k);
  for (let j = 0; j < nTest; j++) isTestGroup[order[j]] = 1;
  const test: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < codes.length; i++) (isTestGroup[codes[i]] ? test : train).push(i);
  const testIndex = Int32Array.from(test);
  const trainIndex = Int32Array.from(train);
  const testGroups = members.map((m) => g[m[0]]).filter((_, i) => isTestGroup[i]);
  return { train: takeRows(df, trainIndex), test: takeRows(df, testIndex), trainIndex, testIndex, testGroups };
}
