// GPU bench: WebGPU (Dawn on Vulkan) against the wasm rung on the same machine, in one run; ends
// with ONE JSON line on stdout. Built into the device pack by test/gpu/pack.sh (see README.md
// beside this file) and started there by the pack's run.sh; also runs from the sources:
//   node --import tsx test/gpu/gpu.bench.ts [--quick] [--out=DIR] [--data=DIR] [--budget=SECONDS]
// The driver runs each phase in a child process of its own with a hard time limit (a Dawn or
// Vulkan fault, a hang, a missing kernel cost that phase only), writes results-partial.json under
// --out after every phase, and results.json + the JSON line at the end.
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { accuracyPhase, captureConsole, emit, lossPhase, MARK, probePhase, profilePhase, throughputPhase, wasmThreadsWanted, type PhaseConfig, type Rung } from "./gpu-phases";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const opt = (name: string): string | undefined => args.find((s) => s.startsWith(`--${name}=`))?.slice(name.length + 3);

/** Step-1 and every-step tolerances of the loss agreement (relative to the wasm loss). */
export const LOSS_TOLERANCE = { firstStepRel: 1e-4, everyStepRel: 0.02 };
/** Goals of issue #15. */
export const GOALS = { trainSpeedup: 10, accuracyPoints: 0.5 };

// ---------------------------------------------------------------- phase process

async function phaseMain(name: string, cfg: PhaseConfig): Promise<void> {
  captureConsole();
  const fail = (e: unknown) => {
    const err = e as Error;
    emit({ error: { message: String(err?.message ?? err).split("\n")[0], stack: String(err?.stack ?? "").split("\n").slice(0, 8).join("\n") } });
    process.exit(1);
  };
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  try {
    // Test hook: SCIFORGE_GPU_FAULT="throughput:webgpu=hang" (or =crash) rehearses the driver's hard limits.
    const fault = process.env.SCIFORGE_GPU_FAULT?.split("=");
    if (fault?.[0] === name && fault[1] === "crash") process.kill(process.pid, "SIGSEGV");
    if (fault?.[0] === name && fault[1] === "hang") await new Promise(() => setInterval(() => undefined, 1000));
    const [what, rung, threads] = name.split(":") as [string, Rung | undefined, string | undefined];
    if (what === "probe") await probePhase();
    else if (what === "adapter") await probePhase(true);
    else if (what === "loss") await lossPhase(rung!, cfg);
    else if (what === "throughput") await throughputPhase(rung!, cfg);
    else if (what === "accuracy") await accuracyPhase(rung!, cfg);
    else if (what === "profile") await profilePhase(rung!, threads ? { ...cfg, threads: Number(threads) } : cfg);
    else throw new Error(`unknown phase ${name}`);
  } catch (e) {
    fail(e);
  }
  emit({ done: true });
  // Dawn keeps handles open: leave explicitly (stdout is a pipe: writes above are synchronous).
  process.exit(0);
}

// ---------------------------------------------------------------- driver

interface PhaseRun {
  name: string;
  status: "ok" | "failed" | "timeout" | "crashed" | "skipped";
  seconds: number;
  limitSeconds?: number;
  reason?: string;
  error?: string;
  stack?: string;
  exit?: string;
  logTail?: string[];
  /** stderr lines of Dawn / the Vulkan loader ("Warning: Couldn't load Vulkan: ..."). */
  stderrNotes?: string[];
  parts: Array<Record<string, unknown>>;
}

const started = Date.now();

function runPhase(name: string, cfg: PhaseConfig, limitS: number, log: string): Promise<PhaseRun> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], `--phase=${name}`, `--config=${JSON.stringify(cfg)}`], {
      stdio: ["ignore", "pipe", "pipe"],
      env: process.env,
    });
    const parts: Array<Record<string, unknown>> = [];
    const tail: string[] = [];
    const notes: string[] = [];
    let timedOut = false;
    const take = (stream: "out" | "err") => {
      let buf = "";
      return (chunk: Buffer) => {
        buf += chunk.toString("utf8");
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          appendFileSync(log, `[${name} ${stream}] ${line}\n`);
          if (stream === "out" && line.startsWith(MARK)) {
            try {
              const p = JSON.parse(line.slice(MARK.length)) as Record<string, unknown>;
              parts.push(p);
              // finished: a process that then hangs on its way out (Dawn's teardown) gets 5 s
              if (p.done) setTimeout(() => child.kill("SIGKILL"), 5000).unref();
            } catch {
              /* a torn line: kept in the log */
            }
          } else if (line.trim()) {
            tail.push(line.slice(0, 300));
            if (tail.length > 30) tail.shift();
            if (stream === "err" && /^(warning|error)\b|dawn|vulkan|vk_|icd/i.test(line) && notes.length < 10) notes.push(line.trim().slice(0, 300));
          }
        }
      };
    };
    child.stdout.on("data", take("out"));
    child.stderr.on("data", take("err"));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, limitS * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const seconds = +((Date.now() - t0) / 1000).toFixed(1);
      const err = parts.find((p) => p.error)?.error as { message: string; stack: string } | undefined;
      const done = parts.some((p) => p.done);
      // (a process that finished its work but then fell over on the way out still counts as done)
      const status: PhaseRun["status"] = err ? "failed" : done ? "ok" : timedOut ? "timeout" : "crashed";
      const run: PhaseRun = { name, status, seconds, limitSeconds: Math.round(limitS), parts };
      if (err) {
        run.error = err.message;
        run.stack = err.stack;
      }
      if (timedOut && !done) run.reason = `killed after its ${Math.round(limitS)} s limit`;
      if (status === "crashed" || (status === "ok" && (code !== 0 || signal))) run.exit = signal ? `signal ${signal}` : `exit code ${code}`;
      if (status !== "ok") run.logTail = tail.slice(-6);
      if (notes.length) run.stderrNotes = notes;
      resolve(run);
    });
  });
}

const part = <T = Record<string, unknown>>(run: PhaseRun | undefined, key: string): T | undefined => run?.parts.find((p) => p[key] !== undefined)?.[key] as T | undefined;
const allParts = <T = Record<string, unknown>>(run: PhaseRun | undefined, key: string): T[] => (run?.parts ?? []).filter((p) => p[key] !== undefined).map((p) => p[key] as T);

/** What kind of failure a webgpu phase had, in words. */
function webgpuFailure(run: PhaseRun): { phase: string; kind: string; message: string } {
  const msg = run.error ?? run.reason ?? run.exit ?? "";
  let kind = run.status as string;
  if (/Kernel '([^']+)' not registered for backend 'webgpu'/i.test(msg)) kind = `kernel missing: ${RegExp.$1}`;
  else if (/OffscreenCanvas/.test(msg)) kind = "synchronous GPU read (dataSync) unsupported in Node";
  else if (run.status === "crashed") kind = `process crashed (${run.exit}) - a fault in dawn.node or the Vulkan driver`;
  else if (run.status === "timeout") kind = "hang or far too slow";
  return { phase: run.name, kind, message: msg };
}

function nvidiaSmi(): string | null {
  try {
    return execFileSync("nvidia-smi", ["--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"], { encoding: "utf8", timeout: 15000 }).trim();
  } catch {
    return null;
  }
}

async function driver(): Promise<void> {
  const quick = flag("quick");
  const out = opt("out") ?? process.env.OUT ?? mkdtempSync(join(tmpdir(), "sciforge-gpu-"));
  mkdirSync(out, { recursive: true });
  const log = join(out, "bench.log");
  writeFileSync(log, "");
  const dataDir = opt("data") ?? process.env.SCIFORGE_GPU_DATA ?? join(process.cwd(), "notebooks", "data", "fashion-mnist");
  const budgetS = Number(opt("budget") ?? (quick ? 150 : 300));
  const deadline = started + budgetS * 1000;
  const threads = wasmThreadsWanted();
  const say = (s: string) => process.stderr.write(`[gpu bench +${((Date.now() - started) / 1000).toFixed(0)}s] ${s}\n`);

  const results: Record<string, unknown> = {
    bench: "sciforge-gpu",
    version: 1,
    date: new Date().toISOString(),
    quick,
    ...(process.env.SCIFORGE_GPU_FAKE === "1" ? { fakeGpu: "SCIFORGE_GPU_FAKE=1: the 'webgpu' figures are wasm's, a rehearsal of the bench, not a measurement" } : {}),
    budgetSeconds: budgetS,
    machine: {
      nvidiaSmi: nvidiaSmi(),
      cpuModel: (os.cpus()[0]?.model ?? "unknown").trim(),
      cpus: os.cpus().length,
      memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
  };
  const phases: PhaseRun[] = [];
  results.phases = phases;
  const savePartial = () => writeFileSync(join(out, "results-partial.json"), JSON.stringify({ ...results, phases: phases.map(brief), elapsedSeconds: elapsed() }, null, 1));
  const elapsed = () => +((Date.now() - started) / 1000).toFixed(1);

  const base: Omit<PhaseConfig, "deadline"> = { quick, dataDir, threads };
  const run = async (name: string, limit: number, minimum: number, extra: Partial<PhaseConfig> = {}, skip?: string): Promise<PhaseRun> => {
    const left = (deadline - Date.now()) / 1000;
    const limitS = Math.min(limit, left);
    let r: PhaseRun;
    if (skip) r = { name, status: "skipped", seconds: 0, reason: skip, parts: [] };
    else if (limitS < minimum) r = { name, status: "skipped", seconds: 0, reason: `the bench's ${budgetS} s budget is spent (${left.toFixed(0)} s left)`, parts: [] };
    else {
      say(`${name}: up to ${limitS.toFixed(0)} s`);
      r = await runPhase(name, { ...base, ...extra, deadline: Date.now() + (limitS - 3) * 1000 }, limitS, log);
    }
    say(`${name}: ${r.status} (${r.seconds} s)${r.error ? ` - ${r.error}` : r.reason ? ` - ${r.reason}` : r.exit ? ` - ${r.exit}` : ""}`);
    phases.push(r);
    savePartial();
    return r;
  };

  // 1. Dawn, the adapter, the webgpu rung.
  const probe = await run("probe", quick ? 40 : 45, 10);
  const adapter = part<Record<string, unknown>>(probe, "adapter") ?? { status: probe.status === "ok" ? "unknown" : `probe ${probe.status}`, reason: probe.error ?? probe.reason ?? probe.exit };
  const init = part<Record<string, unknown>>(probe, "webgpuInit");
  if (adapter.status !== "found" && probe.stderrNotes) adapter.dawnSays = probe.stderrNotes.slice(0, 3);
  results.adapter = adapter;
  results.webgpuInit = init ?? null;
  results.kernels = part(probe, "kernels") ?? null;
  results.smoke = part(probe, "smoke") ?? null;
  results.probeEnv = part(probe, "env") ?? null;
  const gpuOk = adapter.status === "found" && init?.ok === true;
  const noGpu = adapter.status !== "found" ? `no WebGPU adapter: ${adapter.status}${adapter.reason ? ` (${adapter.reason})` : ""}` : init?.ok !== true ? `adapter found, but the webgpu backend failed to initialise: ${init?.reason ?? probe.error ?? probe.reason ?? "probe did not finish"}` : undefined;

  if (flag("profile")) {
    // --profile: where a training step's time goes, wasm at 1 thread and at N, then webgpu (nothing else)
    const profiles = [];
    for (const name of [`profile:wasm:1`, `profile:wasm:${threads}`, ...(gpuOk ? ["profile:webgpu"] : [])]) {
      profiles.push(...allParts<Record<string, unknown>>(await run(name, 60, 10), "profile"));
    }
    results.profile = profiles;
    results.phases = phases.map(brief);
    results.elapsedSeconds = elapsed();
    writeFileSync(join(out, "results.json"), JSON.stringify(results, null, 1));
    process.stdout.write(JSON.stringify(results) + "\n");
    return;
  }

  // 2. The wasm rung first (the baseline is secured even if WebGPU then hangs): first steps, speed.
  const wasmLoss = await run("loss:wasm", 40, 10);
  const wasmThr = await run("throughput:wasm", quick ? 50 : 75, 15);

  // 3. WebGPU: the same first steps (same weights, same batches), then speed.
  let webgpuHung: string | undefined;
  const gpuSkip = () => noGpu ?? webgpuHung;
  const gpuLoss = await run("loss:webgpu", 50, 15, {}, gpuSkip());
  if (gpuLoss.status === "timeout") webgpuHung = "a previous webgpu phase timed out";
  const gpuThr = await run("throughput:webgpu", 75, 20, {}, gpuSkip());
  if (gpuThr.status === "timeout") webgpuHung = "a previous webgpu phase timed out";

  // 4. Accuracy: sized so that both rungs fit what is left (both train the same images and epochs).
  const vggRate = (r: PhaseRun) => allParts<{ model?: string; batch?: number; train?: number }>(r, "throughput").find((t) => t.model === "vgg" && t.batch === 64)?.train;
  const wasmRate = vggRate(wasmThr);
  const gpuRate = vggRate(gpuThr);
  let acc: Partial<PhaseConfig> = quick ? { trainSize: 256, testSize: 128, epochs: 1 } : { trainSize: 10000, testSize: 2000, epochs: 3 };
  const gpuAccLimit = gpuSkip() ? 0 : 60;
  const wasmAccLimit = Math.max(0, Math.min(quick ? 50 : 150, (deadline - Date.now()) / 1000 - gpuAccLimit - 5));
  if (!quick) {
    // img/s: guesses where a throughput phase gave none
    const images = Math.max(0, Math.min((wasmRate ?? 250) * (wasmAccLimit - 20), gpuAccLimit ? (gpuRate ?? 1000) * (gpuAccLimit - 20) : Infinity) * 0.75);
    let epochs = 3;
    let trainSize = Math.min(10000, Math.floor(images / epochs / 64) * 64);
    if (trainSize < 3000) {
      epochs = 2;
      trainSize = Math.min(10000, Math.floor(images / epochs / 64) * 64);
    }
    acc = { trainSize: Math.max(1024, trainSize), testSize: 2000, epochs };
  }
  results.accuracyPlan = { ...acc, sizedFrom: { wasmVggImgPerSec: wasmRate ?? null, webgpuVggImgPerSec: gpuRate ?? null }, wasmLimitSeconds: Math.round(wasmAccLimit) };
  const noAcc = flag("no-accuracy") ? "--no-accuracy" : undefined;
  const gpuAcc = await run("accuracy:webgpu", gpuAccLimit || 60, 15, acc, noAcc ?? gpuSkip());
  const wasmAcc = await run("accuracy:wasm", wasmAccLimit, 15, acc, noAcc);
  // --with-profile: where a step's time goes on each rung, in the same run (see --profile)
  if (flag("with-profile")) {
    const profiles = [];
    for (const name of [`profile:wasm:${threads}`, ...(gpuOk ? ["profile:webgpu"] : [])]) profiles.push(...allParts<Record<string, unknown>>(await run(name, 40, 8), "profile"));
    results.profile = profiles;
  }

  // ---- summary
  const rungOf = (r: PhaseRun | undefined) => part<Record<string, unknown>>(r, "rung") ?? null;
  const wasmRung = rungOf(wasmThr) ?? rungOf(wasmLoss) ?? rungOf(wasmAcc);
  results.wasm = wasmRung ? { ...wasmRung, threadsRequested: threads } : { threadsRequested: threads, error: wasmThr.error ?? wasmLoss.error ?? null };
  results.webgpu = rungOf(gpuThr) ?? rungOf(gpuLoss) ?? rungOf(gpuAcc) ?? init ?? null;

  const table = (r: PhaseRun) => Object.fromEntries(allParts<Record<string, unknown>>(r, "throughput").map((t) => [t.key as string, t]));
  const thr = { webgpu: gpuThr.status === "skipped" && !part(gpuThr, "throughput") ? null : table(gpuThr), wasm: table(wasmThr) };
  results.throughput = thr;
  const speedup: Record<string, { train: number | null; infer: number | null }> = {};
  for (const key of Object.keys(thr.wasm)) {
    const g = thr.webgpu?.[key] as { train?: number; infer?: number } | undefined;
    const w = thr.wasm[key] as { train?: number; infer?: number };
    speedup[key] = {
      train: g?.train && w.train ? +(g.train / w.train).toFixed(2) : null,
      infer: g?.infer && w.infer ? +(g.infer / w.infer).toFixed(2) : null,
    };
  }
  results.speedup = speedup;

  const lw = part<{ losses: number[]; initialWeights: unknown; steps: number; batch: number }>(wasmLoss, "loss");
  const lg = part<{ losses: number[]; initialWeights: unknown }>(gpuLoss, "loss");
  let lossAgreement: Record<string, unknown> = { steps: lw?.steps ?? null, batch: lw?.batch ?? null, tolerance: LOSS_TOLERANCE, wasm: lw?.losses ?? null, webgpu: lg?.losses ?? null };
  if (lw && lg) {
    const n = Math.min(lw.losses.length, lg.losses.length);
    let maxAbs = 0;
    let maxRel = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.abs(lw.losses[i] - lg.losses[i]);
      maxAbs = Math.max(maxAbs, d);
      maxRel = Math.max(maxRel, d / Math.max(1e-8, Math.abs(lw.losses[i])));
    }
    const first = Math.abs(lw.losses[0] - lg.losses[0]) / Math.max(1e-8, Math.abs(lw.losses[0]));
    const sameStart = JSON.stringify(lw.initialWeights) === JSON.stringify(lg.initialWeights);
    lossAgreement = {
      ...lossAgreement,
      sameInitialWeights: sameStart,
      firstStepRelDiff: +first.toExponential(2),
      maxAbsDiff: +maxAbs.toExponential(2),
      maxRelDiff: +maxRel.toExponential(2),
      pass: sameStart && n === lw.losses.length && first <= LOSS_TOLERANCE.firstStepRel && maxRel <= LOSS_TOLERANCE.everyStepRel,
    };
  } else lossAgreement.pass = null;
  results.lossAgreement = lossAgreement;

  const aw = part<{ testAccuracy: number }>(wasmAcc, "accuracy");
  const ag = part<{ testAccuracy: number }>(gpuAcc, "accuracy");
  const diffPoints = aw && ag ? +(Math.abs(aw.testAccuracy - ag.testAccuracy) * 100).toFixed(2) : null;
  results.accuracy = { plan: results.accuracyPlan, wasm: aw ?? null, webgpu: ag ?? null, diffPoints };
  delete results.accuracyPlan;

  const ratios = Object.entries(speedup).filter(([, v]) => v.train !== null);
  const best = ratios.sort((a, b) => (b[1].train ?? 0) - (a[1].train ?? 0))[0];
  results.goals = {
    trainSpeedupAtLeast10x: best ? (best[1].train ?? 0) >= GOALS.trainSpeedup : null,
    bestTrainSpeedup: best ? { case: best[0], ratio: best[1].train } : null,
    accuracyWithinHalfPoint: diffPoints === null ? null : diffPoints <= GOALS.accuracyPoints,
    lossAgreement: lossAgreement.pass ?? null,
  };

  const gpuRuns = phases.filter((p) => p.name.endsWith(":webgpu"));
  const firstFail = gpuRuns.find((p) => p.status !== "ok" && p.status !== "skipped");
  results.webgpuStatus = noGpu
    ? { ok: false, failedAt: "probe", kind: adapter.status !== "found" ? String(adapter.status) : "backend init failed", message: noGpu }
    : firstFail
      ? { ok: false, ...webgpuFailure(firstFail), failedAt: firstFail.name }
      : {
          ok: gpuRuns.some((p) => p.status === "ok"),
          failedAt: null,
          ...(gpuRuns.some((p) => p.status === "skipped") ? { notRun: gpuRuns.filter((p) => p.status === "skipped").map((p) => `${p.name}: ${p.reason}`) } : {}),
        };
  // Dawn's own messages: uncaptured errors, device loss, console warnings of the webgpu phases.
  results.dawnMessages = [...phases.filter((p) => p.name.includes("webgpu") || p.name === "probe").flatMap((p) => [
    ...allParts<Record<string, unknown>>(p, "dawnMessage").map((m) => ({ phase: p.name, ...m })),
    ...allParts<Record<string, unknown>>(p, "consoleMessage").map((m) => ({ phase: p.name, ...m })),
    ...(p.stderrNotes ?? []).map((message) => ({ phase: p.name, kind: "stderr", message })),
  ])].slice(0, 12);
  results.phases = phases.map(brief);
  results.elapsedSeconds = elapsed();
  writeFileSync(join(out, "results.json"), JSON.stringify(results, null, 1));
  say(`done in ${results.elapsedSeconds} s; results in ${out}`);
  process.stdout.write(JSON.stringify(results) + "\n");
}

/** A phase as the JSON line shows it (without its raw parts). */
function brief(p: PhaseRun): Record<string, unknown> {
  const { parts: _parts, ...rest } = p;
  return rest;
}

const phase = opt("phase");
if (phase) void phaseMain(phase, JSON.parse(opt("config") ?? "{}") as PhaseConfig);
else
  driver().catch((e) => {
    process.stderr.write(`gpu bench driver failed: ${(e as Error).stack}\n`);
    process.stdout.write(JSON.stringify({ bench: "sciforge-gpu", error: String((e as Error).message) }) + "\n");
    process.exit(1);
  });
