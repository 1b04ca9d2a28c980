// The GPU device pack (issue #15): test/gpu/pack.sh builds .gpu-pack/ within its size limit and
// prints the one device call; the packed bench, run by the pack's own run.sh with the packed
// Node, reaches "no adapter" on this GPU-less machine and still measures the wasm rung (--quick).
// First run: downloads Node (npm) and the Vulkan loader .debs (apt) and compresses Node (~40 s);
// later runs use the cache under $SCIFORGE_TOOLS_DIR (default .tools/) and take seconds.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "../helpers/paths";

const PACK = join(ROOT, ".gpu-pack");
const LIMIT_MIB = 48;
const linuxX64 = process.platform === "linux" && process.arch === "x64";
const outs: string[] = [];
after(() => outs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    total += s.isDirectory() ? folderBytes(p) : s.size;
  }
  return total;
}

test("pack.sh builds .gpu-pack/ under its size limit and prints the one device call", { skip: !linuxX64 && "the pack is for linux-x64", timeout: 600_000 }, () => {
  const r = spawnSync("bash", [join(ROOT, "test/gpu/pack.sh")], { cwd: ROOT, encoding: "utf8", timeout: 570_000 });
  assert.equal(r.status, 0, `pack.sh failed:\n${r.stdout}\n${r.stderr}`);
  for (const f of ["node.xz", "dawn.node.xz", "app.tar.xz", "run.sh", "manifest.json"]) assert.ok(existsSync(join(PACK, f)), `.gpu-pack/${f} missing`);
  assert.ok(readdirSync(join(PACK, "gl")).some((f) => /^libvulkan1_.*_amd64\.deb$/.test(f)), "the Vulkan loader .deb is missing");
  for (const f of readdirSync(join(PACK, "gl"))) assert.match(f, /^[A-Za-z0-9._-]+$/, "plain file names");
  const bytes = folderBytes(PACK);
  assert.ok(bytes <= LIMIT_MIB * 2 ** 20, `.gpu-pack is ${(bytes / 2 ** 20).toFixed(1)} MiB > ${LIMIT_MIB} MiB`);
  assert.match(r.stdout, /pack size: [\d.]+ MiB \(limit 48 MiB\); working tree that travels: [\d.]+ MiB; together: [\d.]+ MiB of the device's 64 MiB/);
  const command = /command: +(.+)/.exec(r.stdout)?.[1].trim();
  assert.equal(command, "SCIFORGE_GPU_SYSTEM_GL=1 bash .gpu-pack/run.sh");
  assert.match(r.stdout, /carry: +\["\.gpu-pack"\]/);
  assert.match(r.stdout, /timeout_s: +\d+/);
  const manifest = JSON.parse(readFileSync(join(PACK, "manifest.json"), "utf8"));
  assert.match(manifest.node, /^22\./);
  assert.equal(git(["check-ignore", "-q", ".gpu-pack"]).status, 0, ".gpu-pack must be git-ignored");
});

test("dry run: the packed bench says 'no adapter' here, in its JSON line, and still measures wasm", { skip: !linuxX64 && "the packed Node is linux-x64", timeout: 300_000 }, () => {
  assert.ok(existsSync(join(PACK, "run.sh")), "run the pack.sh spec first (same file)");
  const out = tempDir("sciforge-gpu-dry-");
  outs.push(out);
  const r = spawnSync("bash", [join(PACK, "run.sh"), "--quick"], { cwd: ROOT, encoding: "utf8", timeout: 280_000, env: { ...process.env, OUT: out } });
  assert.equal(r.status, 0, `run.sh failed:\n${r.stdout.slice(-4000)}\n${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  const json = JSON.parse(lines[lines.length - 1]);
  assert.match(r.stdout, /command -v node: /);
  assert.equal(json.bench, "sciforge-gpu");
  assert.equal(json.quick, true);
  assert.match(json.machine.node, /^v22\./, "the packed Node ran it");
  // no GPU here: the JSON says where WebGPU stopped and why, and the webgpu figures are null
  assert.equal(json.adapter.status, "no adapter");
  assert.match(json.adapter.reason, /no adapter/);
  assert.deepEqual([json.webgpuStatus.ok, json.webgpuStatus.failedAt], [false, "probe"]);
  assert.equal(json.throughput.webgpu, null);
  assert.equal(json.lossAgreement.webgpu, null);
  assert.equal(json.accuracy.webgpu, null);
  for (const name of ["loss:webgpu", "throughput:webgpu", "accuracy:webgpu"]) {
    const p = json.phases.find((x: { name: string }) => x.name === name);
    assert.equal(p.status, "skipped");
    assert.match(p.reason, /no WebGPU adapter/);
  }
  // the wasm rung ran, in the same run
  const w = json.throughput.wasm.cnn_b32;
  assert.ok(w.train > 0 && w.infer > 0, JSON.stringify(w));
  assert.equal(json.wasm.chosen, "wasm");
  assert.ok(json.wasm.threads >= 1);
  assert.equal(json.lossAgreement.wasm.length, 5);
  assert.ok(json.lossAgreement.wasm.every((l: number) => Number.isFinite(l) && l > 0));
  assert.ok(json.accuracy.wasm.testAccuracy >= 0 && json.accuracy.wasm.testAccuracy <= 1);
  for (const f of ["run.log", "bench.log", "results.json", "results-partial.json", "vulkan-check.log"]) assert.ok(existsSync(join(out, f)), `$OUT/${f} missing`);
  assert.deepEqual(JSON.parse(readFileSync(join(out, "results.json"), "utf8")).adapter, json.adapter);
});

function git(args: string[]) {
  return spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
}

test("rehearsal with a pretend GPU (SCIFORGE_GPU_FAKE=1): every webgpu phase and the comparisons run, from the pack", { skip: !linuxX64 && "the packed Node is linux-x64", timeout: 300_000 }, () => {
  assert.ok(existsSync(join(PACK, "run.sh")), "run the pack.sh spec first (same file)");
  const out = tempDir("sciforge-gpu-fake-");
  outs.push(out);
  const r = spawnSync("bash", [join(PACK, "run.sh"), "--quick"], { cwd: ROOT, encoding: "utf8", timeout: 280_000, env: { ...process.env, OUT: out, SCIFORGE_GPU_FAKE: "1" } });
  assert.equal(r.status, 0, `run.sh failed:\n${r.stdout.slice(-4000)}\n${r.stderr}`);
  const json = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.match(json.fakeGpu, /not a measurement/);
  assert.equal(json.adapter.status, "found");
  assert.equal(json.adapter.fake, true);
  assert.deepEqual(json.webgpuStatus, { ok: true, failedAt: null });
  assert.equal(json.webgpu.chosen, "webgpu");
  assert.deepEqual(json.kernels.missingOnWebgpu, []);
  assert.ok(json.phases.every((p: { status: string }) => p.status === "ok"), JSON.stringify(json.phases));
  assert.ok(json.throughput.webgpu.cnn_b32.train > 0);
  assert.ok(json.speedup.cnn_b32.train > 0);
  // the pretend GPU is wasm's kernels, except the filter gradient Sciforge registers for webgpu
  // (im2col + one matmul): only rounding may differ
  assert.equal(json.lossAgreement.sameInitialWeights, true);
  assert.ok(json.lossAgreement.maxAbsDiff <= 1e-4, `losses differ by ${json.lossAgreement.maxAbsDiff}`);
  assert.equal(json.lossAgreement.pass, true);
  assert.ok(json.accuracy.diffPoints <= 0.5, `accuracy differs by ${json.accuracy.diffPoints} points`);
  assert.equal(json.goals.accuracyWithinHalfPoint, true);
  assert.equal(typeof json.goals.trainSpeedupAtLeast10x, "boolean");
});
