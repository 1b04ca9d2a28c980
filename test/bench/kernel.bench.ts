/**
 * Kernel latency beside raw tslab, measured in the same run through the same client:
 *  - cold start: process spawn → first result of `1 + 1` received. Sciforge's kernel as a user
 *    has it after its first start (its startup snapshot and code caches built, in the user's cache
 *    folder), and once without the snapshot (`SCIFORGE_KERNEL_SNAPSHOT=0`) for comparison;
 *  - round trip: one trivial cell, median of many;
 *  - where Sciforge's cold start goes (`SCIFORGE_KERNEL_TIMING=1`: the kernel's phase marks).
 * Raw tslab 1.0.22 is no dependency of Sciforge any more: it is installed once (npm) into the e2e
 * tools folder (test/e2e/tools.mjs); where it cannot be installed, its last measured figures are
 * used (written next to it after each measurement, else test/bench/tslab-reference.json).
 * Every step has a timeout that names the kernel and the step; a kernel that stops answering
 * fails the bench with that name (after its stderr), it is not skipped.
 *
 * Usage: npm run bench:kernel   (last line: one JSON object with the headline figures)
 *        ... -- --quick           1 cold start per kernel and 10 cells (what `npm test` runs)
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { sciforgeKernelSpec, type KernelSpec } from "../../extension/jupyter/kernelspec";
import { LocalKernel } from "../../extension/jupyter/launcher";
import { scheduleSnapshotBuild, snapshotsEnabled, waitForSnapshot, type SnapshotPaths } from "../../kernel-helpers/kernel/compiler/snapshot";
import { userCacheDir } from "../../kernel-helpers/kernel/user-dirs";
import { DIST, ROOT, requireBuilt } from "../helpers/paths";

const QUICK = process.argv.includes("--quick");
const COLD_RUNS = Number(process.env.COLD_RUNS ?? (QUICK ? 1 : 5));
const CELLS = Number(process.env.CELLS ?? (QUICK ? 10 : 200));
const TSLAB_VERSION = "1.0.22";
/** Per step: a kernel start, one cell, a shutdown. */
const STEP_TIMEOUT_MS = Number(process.env.STEP_TIMEOUT_MS ?? 60_000);
/**
 * How long after a cell's reply its `idle` may be late. Raw tslab sends iopub messages without
 * waiting for the one before, and ZeroMQ refuses a send while another is pending: under load some
 * are lost — an `idle` among them, on which a client waits forever (the bench "hung"). Counted.
 */
const IDLE_GRACE_MS = 2000;

interface KernelUnderTest {
  label: string;
  name: string;
  spec: KernelSpec;
  env?: Record<string, string>;
  timing?: boolean;
}

interface Row {
  cold: number;
  coldAll: number[];
  trip: number;
  rss: number;
  phases?: Record<string, number>;
  source: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `p`, or an error naming the kernel and the step after `ms`. */
async function step<T>(what: string, p: Promise<T>, kernel?: LocalKernel, ms = STEP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const tail = kernel?.stderr.trim().split("\n").slice(-10).join("\n");
      void kernel?.kill();
      reject(new Error(`bench:kernel: ${what} did not finish within ${ms / 1000} s${tail ? `; the kernel's last stderr lines:\n${tail}` : ""}`));
    }, ms);
  });
  try {
    return await Promise.race([p, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

async function firstResult(k: KernelUnderTest, kernel: LocalKernel, what: string): Promise<void> {
  // raw tslab prints results on stdout; sciforge sends execute_result: either counts as "the result".
  let got = false;
  const r = await step(`${k.label}: ${what}`, kernel.client.execute("1 + 1", { idleTimeoutMs: IDLE_GRACE_MS, onOutput: (m) => (got ||= ["execute_result", "stream"].includes(m.header.msg_type)) }), kernel);
  if (r.idleMissing) lostIdle.set(k.label, (lostIdle.get(k.label) ?? 0) + 1);
  if (!got) throw new Error(`bench:kernel: ${k.label}: ${what}: no result`);
}

/** Cells whose `idle` status never came, per kernel. */
const lostIdle = new Map<string, number>();

/** Resident memory of a kernel's process and its children (Sciforge's kernel may run as two). */
function rssMb(pid: number): number {
  const one = (p: number): number => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  };
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    children = [];
  }
  return one(pid) + children.reduce((n, c) => n + rssMb(c), 0);
}

/** The kernel's `[sciforge timing]` marks, as ms since `t0` (wall clock). */
function phasesOf(stderr: string, t0: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stderr.matchAll(/\[sciforge timing\] (.+) (\d+)\n/g)) out[m[1]] ??= Number(m[2]) - t0;
  return out;
}

async function measure(k: KernelUnderTest, coldRuns = COLD_RUNS, cells = CELLS): Promise<Row> {
  const cold: number[] = [];
  const phases: Record<string, number>[] = [];
  let trip = 0;
  let rss = 0;
  for (let i = 0; i < coldRuns; i++) {
    const cwd = mkdtempSync(join(tmpdir(), "sciforge-bench-"));
    const t0 = Date.now();
    const started = LocalKernel.start(k, { cwd, env: { ...k.env, ...(k.timing ? { SCIFORGE_KERNEL_TIMING: "1" } : {}) } });
    const kernel = await step(`${k.label}: start (cold start ${i + 1})`, started);
    try {
      await firstResult(k, kernel, `first cell (cold start ${i + 1})`);
      cold.push((Date.now() - t0) / 1000);
      if (k.timing) phases.push(phasesOf(kernel.stderr, t0));
      if (i === 0 && cells > 0) {
        for (let w = 0; w < 20; w++) await firstResult(k, kernel, `warm-up cell ${w + 1}`);
        const times: number[] = [];
        for (let c = 0; c < cells; c++) {
          const s = performance.now();
          const r = await step(`${k.label}: trivial cell ${c + 1} of ${cells}`, kernel.client.execute("1 + 1", { idleTimeoutMs: IDLE_GRACE_MS }), kernel);
          times.push(performance.now() - s);
          if (r.idleMissing) lostIdle.set(k.label, (lostIdle.get(k.label) ?? 0) + 1);
        }
        trip = median(times);
        rss = rssMb(kernel.pid!);
      }
    } finally {
      await step(`${k.label}: shutdown (cold start ${i + 1})`, kernel.shutdown(), kernel, 20_000);
    }
  }
  const names = phases.length ? Object.keys(phases[0]) : [];
  const medianPhases = Object.fromEntries(names.map((n) => [n, median(phases.map((p) => p[n] ?? NaN))]));
  return { cold: median(cold), coldAll: cold, trip: cells > 0 ? trip : NaN, rss, phases: k.timing ? medianPhases : undefined, source: "measured" };
}

interface TslabFigures {
  cold_start_s: number;
  roundtrip_ms: number;
  rss_mb?: number;
  node: string;
  date: string;
}

const REFERENCE = join(ROOT, "test", "bench", "tslab-reference.json");

/** Raw tslab from the tools folder (installed on first use), or null with why not. */
async function tslabKernel(): Promise<{ k: KernelUnderTest; figures: string } | { why: string }> {
  try {
    const tools = (await import(pathToFileURL(join(ROOT, "test", "e2e", "tools.mjs")).href)) as { ensurePackage(n: string, v: string): string };
    const dir = tools.ensurePackage("tslab", TSLAB_VERSION);
    return {
      k: {
        label: `raw tslab ${TSLAB_VERSION}`,
        name: "tslab",
        spec: { argv: [process.execPath, join(dir, "bin", "tslab"), "kernel", "--config-path", "{connection_file}"], display_name: "tslab", language: "typescript" },
      },
      figures: join(dir, "..", "..", "last-figures.json"),
    };
  } catch (e) {
    return { why: (e as Error).message };
  }
}

function recordedTslab(figuresFile?: string): { row: Row; note: string } {
  for (const file of [figuresFile, REFERENCE]) {
    if (!file || !existsSync(file)) continue;
    const f = JSON.parse(readFileSync(file, "utf8")) as TslabFigures;
    return { row: { cold: f.cold_start_s, coldAll: [f.cold_start_s], trip: f.roundtrip_ms, rss: f.rss_mb ?? 0, source: `recorded ${f.date} on Node ${f.node}` }, note: file };
  }
  throw new Error("bench:kernel: raw tslab could not be installed and no recorded figures exist");
}

async function main() {
  requireBuilt();
  const paths: SnapshotPaths = { distDir: DIST, nodeModules: join(ROOT, "node_modules"), libraryDir: join(DIST, "sciforge"), cacheDir: userCacheDir() };
  const sciforge: KernelUnderTest = { label: "sciforge", name: "sciforge", spec: sciforgeKernelSpec(DIST), timing: true };
  const noSnapshot: KernelUnderTest = { ...sciforge, label: "sciforge, no snapshot", env: { SCIFORGE_KERNEL_SNAPSHOT: "0" } };

  // As a user has it after the first start: the startup snapshot built (in the background).
  if (snapshotsEnabled() && scheduleSnapshotBuild(paths)) console.error("bench:kernel: building the kernel's startup snapshot first …");
  if (snapshotsEnabled() && !(await waitForSnapshot(paths, 180_000))) throw new Error("bench:kernel: the startup snapshot was not built within 180 s");

  const rows: Record<string, Row> = {};
  rows[sciforge.label] = await measure(sciforge);
  rows[noSnapshot.label] = await measure(noSnapshot, QUICK ? 1 : 3, 0);

  const tslab = await tslabKernel();
  let tslabRow: Row;
  let tslabLabel = `raw tslab ${TSLAB_VERSION}`;
  if ("k" in tslab) {
    tslabRow = await measure(tslab.k);
    const figures: TslabFigures = { cold_start_s: +tslabRow.cold.toFixed(3), roundtrip_ms: +tslabRow.trip.toFixed(2), rss_mb: Math.round(tslabRow.rss), node: process.versions.node, date: new Date().toISOString().slice(0, 10) };
    if (!QUICK) writeFileSync(tslab.figures, JSON.stringify(figures, null, 2) + "\n");
  } else {
    const rec = recordedTslab();
    console.error(`bench:kernel: raw tslab ${TSLAB_VERSION} could not be installed (${tslab.why}); using its figures from ${rec.note}`);
    tslabRow = rec.row;
    tslabLabel += ` (${rec.row.source})`;
  }
  rows[tslabLabel] = tslabRow;

  const sf = rows[sciforge.label];
  console.log(`\nKernel latency (${COLD_RUNS} cold starts, median; ${CELLS} trivial cells, median) — Node ${process.versions.node}\n`);
  console.log("| kernel | cold start → first result (s) | trivial cell round trip (ms) | RSS after cells (MB) |");
  console.log("|---|---|---|---|");
  for (const [label, r] of Object.entries(rows)) {
    console.log(`| ${label} | ${r.cold.toFixed(3)} (runs: ${r.coldAll.map((x) => x.toFixed(2)).join(", ")}) | ${Number.isFinite(r.trip) ? r.trip.toFixed(2) : "–"} | ${r.rss ? r.rss.toFixed(0) : "–"} |`);
  }
  console.log(`| ratio sciforge / tslab | ${(sf.cold / tslabRow.cold).toFixed(2)}× | ${(sf.trip / tslabRow.trip).toFixed(2)}× | |`);
  for (const [label, r] of Object.entries(rows)) {
    if (!r.phases) continue;
    const text = Object.entries(r.phases).map(([name, ms]) => `${name} ${Math.round(ms)}`).join(" · ");
    console.log(`\n${label}, where the cold start goes (ms from spawn, median): ${text}`);
  }
  for (const [label, n] of lostIdle) console.log(`\n${label}: ${n} cells whose iopub \`idle\` never came (waited ${IDLE_GRACE_MS / 1000} s after the reply)`);
  console.log(`\ntargets: cold start ≤ 1.0 s, round trip ≤ raw tslab's\n`);
  console.log(
    JSON.stringify({
      cold_start_s: +sf.cold.toFixed(3),
      cold_start_no_snapshot_s: +rows[noSnapshot.label].cold.toFixed(3),
      tslab_cold_start_s: +tslabRow.cold.toFixed(3),
      roundtrip_ms: +sf.trip.toFixed(2),
      tslab_roundtrip_ms: +tslabRow.trip.toFixed(2),
      roundtrip_ratio_vs_tslab: +(sf.trip / tslabRow.trip).toFixed(3),
      cold_start_ratio_vs_tslab: +(sf.cold / tslabRow.cold).toFixed(3),
      tslab_figures: tslabRow.source,
      lost_idle: Object.fromEntries(lostIdle),
    }),
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
