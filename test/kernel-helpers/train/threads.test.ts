import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import os from "node:os";
import { join } from "node:path";
import { defaultWasmThreads, parseThreads, requestWasmThreads, wasmThreading, WASM_MAX_THREADS } from "../../../kernel-helpers/lib/train/backend/wasm-threads";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";
import { backendArgs } from "../../../kernel-helpers/kernel/magics";
import { run, startKernel } from "../../helpers/kernel";
import { MIME } from "../../../kernel-helpers/lib/display/mime";

const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;

function child(threads: number) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "..", "..", "fixtures", "train", "threads-step.ts")], {
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, SCIFORGE_WASM_THREADS: String(threads) },
  });
  assert.equal(r.signal, null, `the child did not end by itself (${r.signal}): ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  return { ...(JSON.parse(r.stdout.trim().split("\n").pop()!) as { threads: number; reason: string; losses: number[] }), ms: Date.now() - t0 };
}

test("thread counts: a setting is a whole number ≥ 1; the default is the cores (at most 8) or SCIFORGE_WASM_THREADS", () => {
  assert.equal(parseThreads("4", "x"), 4);
  assert.throws(() => parseThreads("0", "SCIFORGE_WASM_THREADS"), /SCIFORGE_WASM_THREADS: threads must be a whole number ≥ 1 \(got "0"\)/);
  assert.throws(() => parseThreads(2.5, "wasm"), /got 2\.5/);
  assert.equal(defaultWasmThreads({}, 16), WASM_MAX_THREADS);
  assert.equal(defaultWasmThreads({}, 2), 2);
  assert.equal(defaultWasmThreads({ SCIFORGE_WASM_THREADS: "3" }, 16), 3);
  assert.throws(() => defaultWasmThreads({ SCIFORGE_WASM_THREADS: "many" }, 2), /SCIFORGE_WASM_THREADS/);
});

test("%backend wasm --threads N parses; bad forms name the line", () => {
  assert.deepEqual(backendArgs(["wasm", "--threads", "4"], 1), { name: "wasm", threads: 4 });
  assert.deepEqual(backendArgs(["--threads=2", "wasm"], 1), { name: "wasm", threads: 2 });
  assert.deepEqual(backendArgs(["auto"], 1), { name: "auto" });
  assert.throws(() => backendArgs(["wasm", "--threads"], 3), /--threads needs a whole number ≥ 1 \(got ""\) on line 3/);
  assert.throws(() => backendArgs(["wasm", "--threads", "0"], 2), /got "0"/);
  assert.throws(() => backendArgs(["wasm", "cpu"], 1), /takes one name/);
});

test("multithreaded wasm in Node: N threads report N, train to the same losses as 1 thread, and the process ends by itself", { timeout: 400_000 }, () => {
  const one = child(1);
  assert.equal(one.threads, 1);
  assert.match(one.reason, /SIMD, 1 thread, /);
  const n = Math.max(2, Math.min(cores, WASM_MAX_THREADS));
  const many = child(n);
  assert.equal(many.threads, n, many.reason);
  assert.match(many.reason, new RegExp(`SIMD, ${n} threads, `));
  assert.equal(many.losses.length, 8);
  // the same arithmetic split across threads: equal up to float32 summation order
  for (let i = 0; i < one.losses.length; i++) assert.ok(Math.abs(one.losses[i] - many.losses[i]) < 1e-4 * Math.max(1, Math.abs(one.losses[i])), `batch ${i + 1}: ${one.losses[i]} vs ${many.losses[i]}`);
});

test("in this process wasm runs on the cores (at most 8); another count afterwards asks for a restart", async () => {
  const r = await useBackend("wasm", { display: false });
  assert.equal(r.threads, Math.min(cores, WASM_MAX_THREADS));
  assert.equal(wasmThreading().started, true);
  requestWasmThreads(r.threads); // the same count is fine
  assert.throws(() => requestWasmThreads(r.threads + 1), new RegExp(`wasm already runs with ${r.threads} threads? in this process.*restart the kernel to use ${r.threads + 1}`));
  await assert.rejects(useBackend("wasm", { display: false, threads: r.threads + 1 }), /restart the kernel/);
});

test("a notebook that never calls backend.use trains on wasm: the report is shown once, tfjs's node-backend banner never", { timeout: 300_000 }, async () => {
  const kernel = await startKernel();
  try {
    const a = await run(kernel, `import * as tf from "@tensorflow/tfjs";\nimport { buildMLP, fit } from "sciforge";\nconst x = tf.randomUniform([64, 4], 0, 1, "float32", 1);\nconst y = tf.floor(tf.randomUniform([64], 0, 3, "float32", 2));\ntf.getBackend()`);
    assert.equal(a.reply.status, "ok");
    const b = await run(kernel, `const h = await fit(buildMLP({ inputDim: 4, hidden: [8], numClasses: 3, seed: 1 }), x, y, { epochs: 1, progress: false });\nconst h2 = await fit(buildMLP({ inputDim: 4, hidden: [8], numClasses: 3, seed: 2 }), x, y, { epochs: 1, progress: false });\n[h.backend, h2.backend, tf.getBackend()].join(" ")`);
    assert.equal(b.reply.status, "ok", JSON.stringify(b.of("error")));
    const reports = [...a.of("display_data"), ...b.of("display_data")].filter((c) => (c.data as Record<string, unknown>)[MIME.backend]);
    assert.equal(reports.length, 1, "the ladder's report, once");
    const report = (reports[0].data as Record<string, { chosen: string; threads: number }>)[MIME.backend];
    assert.equal(report.chosen, "wasm");
    assert.equal(report.threads, Math.min(cores, WASM_MAX_THREADS));
    const result = b.of("execute_result")[0].data as Record<string, string>;
    assert.equal(result["text/plain"], "'wasm wasm wasm'");
    assert.doesNotMatch(a.text + b.text, /Hi, looks like you are running TensorFlow\.js in Node\.js/);
    // the thread count is fixed once wasm runs: another one is refused with the way out
    const c = await run(kernel, "%backend wasm --threads 7\n1");
    assert.equal(c.reply.status, "error");
    assert.match(JSON.stringify(c.of("error")), /restart the kernel to use 7/);
  } finally {
    await kernel.shutdown();
  }
});
