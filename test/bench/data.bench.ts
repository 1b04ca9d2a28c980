// npm run bench:data — load + impute (mean) + standardize a 1,000,000-row × 10-column CSV with
// missing values, with Sciforge (nodejs-polars) and with pandas (/usr/bin/python3) in the same run,
// plus the same steps written as bare Polars calls (no checks: a ragged row is silently
// null-filled there), which shows what the helpers add. Each side runs in its own child process
// (so peak RSS is that side's alone), REPS times; the best wall time of each is compared. Prints
// a table, then one JSON line.
//   node --import tsx test/bench/data.bench.ts [--rows N] [--reps R]
//   ... --quick: 20,000 rows, 1 run per side (what `npm test` runs: the bench works, not how fast)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pl, readCsv, SimpleImputer, StandardScaler } from "../../kernel-helpers/lib/data";
import type { DataFrame } from "../../kernel-helpers/lib/data/polars";

const COLS = 10;
const MISSING = 0.05;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

interface Steps {
  load: (path: string) => DataFrame;
  impute: (df: DataFrame) => DataFrame;
  standardize: (df: DataFrame) => DataFrame;
}

/** Child mode: times the three steps on the file, prints one JSON line. */
function timeSteps(path: string, steps: Steps): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const df = steps.load(path);
  const t1 = performance.now();
  const imputed = steps.impute(df);
  const t2 = performance.now();
  const scaled = steps.standardize(imputed);
  const t3 = performance.now();
  const cpu = process.cpuUsage(c0);
  const check = scaled.select(pl.col("x0").head(5)).getColumn("x0").toArray();
  const nulls = scaled.nullCount().row(0).reduce((a: number, b: number) => a + b, 0);
  console.log(JSON.stringify({
    load: (t1 - t0) / 1000, impute: (t2 - t1) / 1000, standardize: (t3 - t2) / 1000, total: (t3 - t0) / 1000,
    cpu: (cpu.user + cpu.system) / 1e6, rss_mb: process.resourceUsage().maxRSS / 1024, rows: scaled.height, nulls, check,
  }));
}

/** Sciforge's helpers. */
const OURS: Steps = {
  load: (path) => readCsv(path),
  impute: (df) => new SimpleImputer({ strategy: "mean" }).fitTransform(df),
  standardize: (df) => new StandardScaler().fitTransform(df),
};

/** The same steps as bare Polars calls (what the helpers' overhead is measured against). */
const BARE_POLARS: Steps = {
  load: (path) => pl.readCSV(path, { hasHeader: true, sep: ",", inferSchemaLength: 1000 }),
  impute: (df) => df.select(pl.col(df.columns).fillNull(pl.col(df.columns).mean())),
  standardize: (df) => {
    // population std (ddof 0), as the scaler and pandas' std(ddof=0)
    const cols = pl.col(df.columns);
    return df.select(cols.sub(cols.mean()).div(cols.std().mul(Math.sqrt((df.height - 1) / df.height))));
  },
};

const PANDAS = `
import json, sys, time, resource
import pandas as pd
c0 = time.process_time()
t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
t1 = time.perf_counter()
df = df.fillna(df.mean())
t2 = time.perf_counter()
df = (df - df.mean()) / df.std(ddof=0)
t3 = time.perf_counter()
cpu = time.process_time() - c0
print(json.dumps({"load": t1 - t0, "impute": t2 - t1, "standardize": t3 - t2, "total": t3 - t0, "cpu": cpu,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": len(df),
                  "nulls": int(df.isna().sum().sum()), "check": df["x0"].head(5).tolist()}))
`;

interface Run { load: number; impute: number; standardize: number; total: number; cpu: number; rss_mb: number; rows: number; nulls: number; check: number[] }

function child(cmd: string, args: string[]): Run {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
  const last = r.stdout.trim().split("\n").pop()!;
  return JSON.parse(last) as Run;
}

function generate(path: string, rows: number): void {
  // values with 3 decimals, ~5% missing per column, drawn by Polars (not a JS loop over rows)
  const cols = Array.from({ length: COLS }, (_, c) =>
    pl.when(pl.col(`m${c}`).lt(MISSING)).then(pl.lit(null)).otherwise(pl.col(`u${c}`).mul(100 * (c + 1)).add(c).round(3)).alias(`x${c}`),
  );
  const base: Record<string, unknown> = {};
  for (let c = 0; c < COLS; c++) {
    base[`u${c}`] = pl.Series(`u${c}`, Float64Array.from({ length: rows }, Math.random));
    base[`m${c}`] = pl.Series(`m${c}`, Float64Array.from({ length: rows }, Math.random));
  }
  pl.DataFrame(base).select(...cols).writeCSV(path);
}

function main(): void {
  if (process.argv[2] === "--child") return timeSteps(process.argv[3], OURS);
  if (process.argv[2] === "--raw-polars") return timeSteps(process.argv[3], BARE_POLARS);
  const quick = process.argv.includes("--quick");
  const rows = arg("--rows", quick ? 20_000 : 1_000_000);
  const reps = arg("--reps", quick ? 1 : 5);
  const dir = mkdtempSync(join(tmpdir(), "sciforge-bench-data-"));
  const path = join(dir, "bench.csv");
  try {
    const tg = performance.now();
    generate(path, rows);
    console.log(`generated ${rows.toLocaleString("en-US")} rows × ${COLS} columns (${(statSync(path).size / 2 ** 20).toFixed(1)} MiB, ~${MISSING * 100}% missing) in ${((performance.now() - tg) / 1000).toFixed(1)} s`);
    const ours: Run[] = [];
    const theirs: Run[] = [];
    const raw: Run[] = [];
    for (let i = 0; i < reps; i++) {
      // interleave the sides so load on the machine affects all alike
      ours.push(child(process.execPath, ["--import", "tsx", __filename, "--child", path]));
      theirs.push(child("/usr/bin/python3", ["-c", PANDAS, path]));
      raw.push(child(process.execPath, ["--import", "tsx", __filename, "--raw-polars", path]));
    }
    const best = (runs: Run[]) => runs.reduce((a, b) => (b.total < a.total ? b : a));
    const o = best(ours);
    const p = best(theirs);
    const r = best(raw);
    if (o.rows !== rows || p.rows !== rows || o.nulls !== 0 || p.nulls !== 0) throw new Error(`results differ: ${JSON.stringify({ o, p })}`);
    const maxDiff = Math.max(...o.check.map((v, i) => Math.abs(v - p.check[i])), ...r.check.map((v, i) => Math.abs(v - p.check[i])));
    if (!(maxDiff < 1e-9)) throw new Error(`standardized values differ from pandas by ${maxDiff}`);
    const s = (x: number) => `${x.toFixed(3)} s`;
    const line = (name: string, a: string, b: string, c = "", d = "", e = "") =>
      console.log(name.padEnd(22) + a.padStart(12) + b.padStart(12) + c.padStart(8) + d.padStart(14) + e.padStart(8));
    const all = (runs: Run[]) => runs.map((x) => x.total.toFixed(3)).join(", ");
    console.log(`\nbest of ${reps} runs each (all runs: sciforge ${all(ours)} s; pandas ${all(theirs)} s; bare Polars ${all(raw)} s)`);
    line("step", "sciforge", "pandas", "ratio", "bare Polars", "ratio");
    const row = (name: string, k: "load" | "impute" | "standardize" | "total" | "cpu") =>
      line(name, s(o[k]), s(p[k]), (o[k] / p[k]).toFixed(2), s(r[k]), (r[k] / p[k]).toFixed(2));
    row("load CSV", "load");
    row("impute (mean)", "impute");
    row("standardize", "standardize");
    row("total", "total");
    row("CPU time (all threads)", "cpu");
    const median = (runs: Run[]) => [...runs].map((x) => x.total).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    line("median total", s(median(ours)), s(median(theirs)), (median(ours) / median(theirs)).toFixed(2), s(median(raw)), (median(raw) / median(theirs)).toFixed(2));
    line("peak RSS", `${o.rss_mb.toFixed(0)} MB`, `${p.rss_mb.toFixed(0)} MB`, "", `${r.rss_mb.toFixed(0)} MB`);
    console.log(`results agree with pandas (first values of x0 within ${maxDiff.toExponential(1)}); goal: total ratio ≤ 0.40`);
    const ms = (x: number) => `${x >= 0 ? "+" : ""}${(x * 1000).toFixed(0)} ms`;
    console.log(`the helpers vs bare Polars: ${ms(o.total - r.total)} (load ${ms(o.load - r.load)}: the check that reports ragged rows, bad quotes and bad UTF-8 at file:line, which bare Polars does not make; impute ${ms(o.impute - r.impute)}; standardize ${ms(o.standardize - r.standardize)})`);
    console.log("(the machine is shared: wall times vary run to run; ratio_vs_pandas below is best-of-runs total vs best-of-runs total)");
    console.log(JSON.stringify({
      bench: "data", rows, cols: COLS, reps, sciforge_s: +o.total.toFixed(4), pandas_s: +p.total.toFixed(4),
      ratio_vs_pandas: +(o.total / p.total).toFixed(3), ratio_median: +(median(ours) / median(theirs)).toFixed(3), peak_rss_mb: +o.rss_mb.toFixed(1), pandas_peak_rss_mb: +p.rss_mb.toFixed(1),
      bare_polars_s: +r.total.toFixed(4), bare_polars_ratio_vs_pandas: +(r.total / p.total).toFixed(3),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
