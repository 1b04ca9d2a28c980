/**
 * Kernel latency beside raw tslab, measured in the same run through the same client:
 *  - cold start: process spawn → first result of `1 + 1` received
 *  - round trip: one trivial cell, median of many
 * Usage: npm run bench:kernel   (last line: one JSON object with the headline figures)
 *        ... -- --quick           1 cold start and 10 cells per kernel (what `npm test` runs)
 */
import { join } from "node:path";
import { KernelClient } from "../../extension/jupyter/client";
import { sciforgeKernelSpec } from "../../extension/jupyter/kernelspec";
import { LocalKernel } from "../../extension/jupyter/launcher";
import { DIST, ROOT, requireBuilt, tempDir } from "../helpers/paths";

const QUICK = process.argv.includes("--quick");
const COLD_RUNS = Number(process.env.COLD_RUNS ?? (QUICK ? 1 : 5));
const CELLS = Number(process.env.CELLS ?? (QUICK ? 10 : 200));

const kernels = {
  sciforge: { name: "sciforge", spec: sciforgeKernelSpec(DIST) },
  "raw tslab 1.0.22": {
    name: "tslab",
    spec: {
      argv: [process.execPath, join(ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
      display_name: "tslab",
      language: "typescript",
    },
  },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function firstResult(client: KernelClient): Promise<void> {
  // raw tslab prints results on stdout; sciforge sends execute_result: either counts as "the result".
  let got = false;
  await client.execute("1 + 1", { onOutput: (m) => (got ||= ["execute_result", "stream"].includes(m.header.msg_type)) });
  if (!got) throw new Error("no result");
}

async function measure(k: (typeof kernels)[keyof typeof kernels]) {
  const cold: number[] = [];
  const rss: number[] = [];
  let trip = 0;
  for (let i = 0; i < COLD_RUNS; i++) {
    const cwd = tempDir("sciforge-bench-");
    const t0 = performance.now();
    const kernel = await LocalKernel.start(k, { cwd });
    await firstResult(kernel.client);
    cold.push((performance.now() - t0) / 1000);
    if (i === 0) {
      for (let w = 0; w < 20; w++) await firstResult(kernel.client);
      const times: number[] = [];
      for (let c = 0; c < CELLS; c++) {
        const s = performance.now();
        await kernel.client.execute("1 + 1");
        times.push(performance.now() - s);
      }
      trip = median(times);
      const status = await import("node:fs").then((fs) => fs.readFileSync(`/proc/${kernel.pid}/status`, "utf8"));
      rss.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    }
    await kernel.shutdown();
  }
  return { cold: median(cold), coldAll: cold, trip, rss: rss[0] };
}

async function main() {
  requireBuilt();
  const rows: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const [label, k] of Object.entries(kernels)) rows[label] = await measure(k);
  const sf = rows.sciforge;
  const ts = rows["raw tslab 1.0.22"];
  console.log(`\nKernel latency (${COLD_RUNS} cold starts, median; ${CELLS} trivial cells, median) — Node ${process.versions.node}\n`);
  console.log("| kernel | cold start → first result (s) | trivial cell round trip (ms) | RSS after cells (MB) |");
  console.log("|---|---|---|---|");
  for (const [label, r] of Object.entries(rows)) {
    console.log(`| ${label} | ${r.cold.toFixed(3)} (runs: ${r.coldAll.map((x) => x.toFixed(2)).join(", ")}) | ${r.trip.toFixed(2)} | ${r.rss.toFixed(0)} |`);
  }
  console.log(`| ratio sciforge / tslab | ${(sf.cold / ts.cold).toFixed(2)}× | ${(sf.trip / ts.trip).toFixed(2)}× | |`);
  console.log(`\ntargets: round trip ≤ 1.2× raw tslab, cold start ≤ 2 s\n`);
  console.log(
    JSON.stringify({
      cold_start_s: +sf.cold.toFixed(3),
      tslab_cold_start_s: +ts.cold.toFixed(3),
      roundtrip_ms: +sf.trip.toFixed(2),
      tslab_roundtrip_ms: +ts.trip.toFixed(2),
      roundtrip_ratio_vs_tslab: +(sf.trip / ts.trip).toFixed(3),
      cold_start_ratio_vs_tslab: +(sf.cold / ts.cold).toFixed(3),
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
