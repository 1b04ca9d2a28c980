// Every metric against scikit-learn 1.2's own results (test/fixtures/sklearn/metrics_golden.json,
// written by make_metrics_golden.py): numbers equal to 1e-9, report text character for character,
// and inputs sklearn rejects must throw here too. Each case runs on plain arrays and again on
// duck-typed tensors (objects with shape + dataSync, as tfjs tensors are).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as M from "../../../kernel-helpers/lib/metrics";

interface Case {
  fn: string;
  args: string[];
  kwargs: Record<string, unknown>;
  expected?: unknown;
  raises?: string;
}
const golden = JSON.parse(readFileSync(join(__dirname, "../../fixtures/sklearn/metrics_golden.json"), "utf8")) as {
  sklearn: string;
  data: Record<string, unknown[]>;
  cases: Case[];
};

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
type Fn = (...a: any[]) => unknown;
const adapters: Record<string, (f: Fn, a: unknown[], o: Record<string, unknown>) => unknown> = {
  precision_recall_fscore_support: (f, a, o) => {
    const r = f(...a, o) as { precision: unknown; recall: unknown; fscore: unknown; support: unknown };
    return [r.precision, r.recall, r.fscore, r.support ?? null];
  },
  roc_curve: (f, a, o) => {
    const r = f(...a, o) as M.RocCurve;
    return [r.fpr, r.tpr, r.thresholds];
  },
  calibration_curve: (f, a, o) => {
    const r = f(...a, o) as M.CalibrationCurve;
    return [r.probTrue, r.probPred];
  },
  precision_recall_curve: (f, a, o) => {
    const r = f(...a, o) as M.PrecisionRecallCurve;
    return [r.precision, r.recall, r.thresholds];
  },
};

function close(actual: unknown, expected: unknown, path: string): void {
  if (expected === "NaN") return assert.ok(Number.isNaN(actual), `${path}: expected NaN, got ${actual}`);
  if (expected === "Infinity" || expected === "-Infinity") return assert.equal(actual, Number(expected), path);
  if (typeof expected === "number") {
    assert.equal(typeof actual, "number", `${path}: expected a number, got ${JSON.stringify(actual)}`);
    const a = actual as number;
    assert.ok(Math.abs(a - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${path}: ${a} != ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) || ArrayBuffer.isView(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
    const arr = actual as ArrayLike<unknown>;
    assert.equal(arr.length, expected.length, `${path}: length`);
    expected.forEach((e, i) => close(arr[i], e, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === "object") {
    assert.deepEqual(Object.keys(actual as object), Object.keys(expected), `${path}: keys`);
    for (const [k, v] of Object.entries(expected)) close((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  assert.equal(actual, expected, path);
}

/** A fake tfjs tensor holding the same values. */
function tensorOf(v: unknown[]): M.TensorLike {
  const is2d = Array.isArray(v[0]);
  const flat = is2d ? (v as number[][]).flat() : (v as number[]);
  const shape = is2d ? [v.length, (v[0] as unknown[]).length] : [v.length];
  return { shape, dataSync: () => Float64Array.from(flat as number[]) };
}

function run(c: Case, asTensor: boolean): unknown {
  const fn = (M as unknown as Record<string, Fn>)[camel(c.fn)];
  assert.equal(typeof fn, "function", `sciforge exports ${camel(c.fn)}`);
  const conv = (name: string) => {
    const v = golden.data[name];
    return asTensor && typeof v[0] !== "string" ? tensorOf(v) : v;
  };
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.kwargs)) {
    if (v === "Infinity") options[camel(k)] = Infinity;
    else options[camel(k)] = v !== null && typeof v === "object" && "$ref" in (v as object) ? conv((v as { $ref: string }).$ref) : v;
  }
  const args = c.args.map(conv);
  const adapter = adapters[c.fn];
  return adapter ? adapter(fn, args, options) : fn(...args, options);
}

test("golden file comes from scikit-learn 1.2", () => {
  assert.match(golden.sklearn, /^1\.2\./);
  assert.ok(golden.cases.length > 400);
});

const byFn = new Map<string, Case[]>();
for (const c of golden.cases) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);

for (const [fn, cases] of byFn) {
  test(`${camel(fn)} equals sklearn.metrics.${fn} (${cases.length} cases)`, () => {
    for (const c of cases) {
      const label = `${fn}(${c.args.join(", ")}, ${JSON.stringify(c.kwargs)})`;
      for (const asTensor of [false, true]) {
        const where = `${label}${asTensor ? " [tensor]" : ""}`;
        if (c.raises) {
          assert.throws(() => run(c, asTensor), Error, `${where} should throw like sklearn's ${c.raises}`);
          continue;
        }
        let actual: unknown;
        try {
          actual = run(c, asTensor);
        } catch (e) {
          assert.fail(`${where} threw: ${(e as Error).message}`);
        }
        if (typeof c.expected === "string" && !/^-?Infinity$|^NaN$/.test(c.expected)) assert.equal(actual, c.expected, `${where}: report text`);
        else close(actual, c.expected, where);
      }
    }
  });
}
