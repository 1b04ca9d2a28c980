/**
 * Applies a binary ranking metric per column of an indicator matrix (or per sample) and
 * averages: micro, macro, weighted, samples or none (sklearn's `_average_binary_score`).
 */
import type { LabelColumn, Matrix } from "../input";
import { average as mean, sum } from "../math";

/** A binary metric on a {0,1} label column and scores. */
export type BinaryMetric = (yTrue: LabelColumn, score: Float64Array, weight: Float64Array | undefined) => number;

/** Averaging for ranking metrics (null = per column). */
export type RankingAverage = "micro" | "macro" | "weighted" | "samples" | null;

const OPTIONS = [null, "micro", "macro", "weighted", "samples"];

/** Checks `average` is one of sklearn's options. */
export function checkRankingAverage(average: unknown): asserts average is RankingAverage {
  if (!OPTIONS.includes(average as never))
    throw new Error(`average: has to be one of [null, 'micro', 'macro', 'weighted', 'samples'], got ${JSON.stringify(average)}`);
}

function column(m: Matrix, c: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + c];
  return out;
}

/** Scores per column (or sample) of an n×k indicator matrix against n×k scores, then averages. */
export function averageBinaryScore(
  metric: BinaryMetric,
  yTrue: Matrix,
  yScore: Matrix,
  average: RankingAverage,
  weight: Float64Array | undefined,
): number | number[] {
  checkRankingAverage(average);
  if (yTrue.rows !== yScore.rows || yTrue.cols !== yScore.cols)
    throw new Error(`yTrue, yScore: shapes differ ([${yTrue.rows}, ${yTrue.cols}] vs [${yScore.rows}, ${yScore.cols}])`);
  if (average === "micro") {
    let w: Float64Array | undefined;
    if (weight) {
      w = new Float64Array(yTrue.data.length);
      for (let i = 0; i < yTrue.rows; i++) for (let j = 0; j < yTrue.cols; j++) w[i * yTrue.cols + j] = weight[i];
    }
    return metric({ kind: "number", data: yTrue.data }, yScore.data, w);
  }
  let averageWeight: Float64Array | undefined;
  if (average === "weighted") {
    averageWeight = new Float64Array(yTrue.cols);
    for (let i = 0; i < yTrue.rows; i++)
      for (let j = 0; j < yTrue.cols; j++) averageWeight[j] += yTrue.data[i * yTrue.cols + j] * (weight ? weight[i] : 1);
    if (Math.abs(sum(averageWeight)) <= 1e-8) return 0;
  }
  const scores: number[] = [];
  if (average === "samples") {
    averageWeight = weight;
    for (let i = 0; i < yTrue.rows; i++) {
      const t = yTrue.data.slice(i * yTrue.cols, (i + 1) * yTrue.cols);
      const s = yScore.data.slice(i * yScore.cols, (i + 1) * yScore.cols);
      scores.push(metric({ kind: "number", data: t }, s, undefined));
    }
  } else {
    for (let c = 0; c < yTrue.cols; c++) scores.push(metric({ kind: "number", data: column(yTrue, c) }, column(yScore, c), weight));
  }
  if (average === null) return scores;
  if (averageWeight) {
    for (let i = 0; i < scores.length; i++) if (averageWeight[i] === 0) scores[i] = 0;
    return mean(scores, averageWeight, "sampleWeight");
  }
  return mean(scores);
}
