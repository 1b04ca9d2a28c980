/** Typed hyper-parameter spaces: choices, integer ranges, uniform and log-uniform reals. */
import { seededRandom } from "../train/fit/random";

/** One dimension of a search space; `T` is the type of its values. */
export type Param<T = unknown> =
  | { kind: "choice"; values: readonly T[] }
  | { kind: "int"; low: number; high: number; step: number }
  | { kind: "uniform"; low: number; high: number; gridPoints: number }
  | { kind: "logUniform"; low: number; high: number; gridPoints: number };

/** A search space: parameter name → dimension. */
export type Space = Record<string, Param<unknown>>;

/** One point of a space, typed from it (`{ lr: number, units: 32 | 64 }`). */
export type Point<S extends Space> = { [K in keyof S]: S[K] extends Param<infer T> ? T : never };

/** Constructors of search-space dimensions. */
export const hp = {
  /** One of the listed values. */
  choice<const T>(values: readonly T[]): Param<T> {
    if (values.length === 0) throw new Error("hp.choice: no values");
    return { kind: "choice", values };
  },
  /** Integers low..high (inclusive) in steps of `step`. */
  int(low: number, high: number, step = 1): Param<number> {
    if (!(high >= low) || step <= 0) throw new Error(`hp.int: bad range ${low}..${high} step ${step}`);
    return { kind: "int", low, high, step };
  },
  /** Reals uniform in [low, high]; a grid uses `gridPoints` evenly spaced values (default 3). */
  uniform(low: number, high: number, gridPoints = 3): Param<number> {
    if (!(high >= low)) throw new Error(`hp.uniform: bad range ${low}..${high}`);
    return { kind: "uniform", low, high, gridPoints };
  },
  /** Reals log-uniform in [low, high] (both > 0); a grid uses `gridPoints` log-spaced values. */
  logUniform(low: number, high: number, gridPoints = 3): Param<number> {
    if (!(low > 0 && high >= low)) throw new Error(`hp.logUniform: bad range ${low}..${high}`);
    return { kind: "logUniform", low, high, gridPoints };
  },
};

function gridValues(p: Param<unknown>): unknown[] {
  switch (p.kind) {
    case "choice":
      return [...p.values];
    case "int": {
      const out: number[] = [];
      for (let v = p.low; v <= p.high; v += p.step) out.push(v);
      return out;
    }
    case "uniform":
      return p.gridPoints <= 1 ? [(p.low + p.high) / 2] : Array.from({ length: p.gridPoints }, (_, i) => p.low + ((p.high - p.low) * i) / (p.gridPoints - 1));
    case "logUniform": {
      const a = Math.log(p.low);
      const b = Math.log(p.high);
      return p.gridPoints <= 1 ? [Math.exp((a + b) / 2)] : Array.from({ length: p.gridPoints }, (_, i) => Math.exp(a + ((b - a) * i) / (p.gridPoints - 1)));
    }
  }
}

/** Every combination of the grid values of each dimension (first dimension varies slowest). */
export function gridPoints<S extends Space>(space: S): Point<S>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [name, p] of Object.entries(space)) {
    const values = gridValues(p);
    points = points.flatMap((pt) => values.map((v) => ({ ...pt, [name]: v })));
  }
  return points as Point<S>[];
}

function sampleOne(p: Param<unknown>, rand: () => number): unknown {
  switch (p.kind) {
    case "choice":
      return p.values[Math.floor(rand() * p.values.length)];
    case "int": {
      const n = Math.floor((p.high - p.low) / p.step) + 1;
      return p.low + Math.floor(rand() * n) * p.step;
    }
    case "uniform":
      return p.low + rand() * (p.high - p.low);
    case "logUniform":
      return Math.exp(Math.log(p.low) + rand() * (Math.log(p.high) - Math.log(p.low)));
  }
}

/** `n` random points (seeded: the same seed gives the same points). */
export function randomPoints<S extends Space>(space: S, n: number, seed = 0): Point<S>[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => Object.fromEntries(Object.entries(space).map(([k, p]) => [k, sampleOne(p, rand)])) as Point<S>);
}
