import { test } from "node:test";
import os from "node:os";
import assert from "node:assert/strict";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { tfjs } from "../../../kernel-helpers/lib/train/tf";
import { useBackend, BackendUnavailableError } from "../../../kernel-helpers/lib/train/backend/ladder";
import { detectCuda, nodeEnvironment, type DawnModule, type GpuAdapterLike } from "../../../kernel-helpers/lib/train/backend/environment";
import { adapterName, gpuName, probeWebGpuAdapter } from "../../../kernel-helpers/lib/train/backend/webgpu";
import { backendLabel, backendReportText } from "../../../kernel-helpers/lib/train/backend/report";
import type { BackendReport } from "../../../kernel-helpers/lib/train/backend/types";
import { installFakeBridge } from "../../helpers/fake-bridge";

const noNative = {
  resolve: (pkg: string) => (/tfjs-node|^webgpu$|backend-webgpu/.test(pkg) ? undefined : nodeEnvironment.resolve(pkg)),
};

function fakeDawn(adapter: GpuAdapterLike | null): DawnModule {
  return { create: () => ({ requestAdapter: async () => adapter }), globals: {} };
}
const withWebgpuPkgs = { resolve: (pkg: string) => (/tfjs-node/.test(pkg) ? undefined : `/fake/${pkg}`) };

test("auto on this machine picks wasm and says why each faster rung was skipped, as a MIME.backend display", async () => {
  const { bridge, remove } = installFakeBridge();
  try {
    const r = await useBackend("auto");
    assert.equal(r.chosen, "wasm");
    assert.equal(tfjs().getBackend(), "wasm");
    const reason = (n: string) => r.rungs.find((g) => g.name === n)!.reason;
    assert.match(reason("tensorflow-gpu"), /tfjs-node-gpu not installed/);
    assert.match(reason("webgpu"), /no adapter|not installed|Dawn/);
    assert.match(reason("tensorflow"), /@tensorflow\/tfjs-node not installed/);
    assert.equal(r.rungs.find((g) => g.name === "cpu")!.status, "not-tried");
    assert.equal(r.threads, Math.min(typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length, 8));
    assert.equal(typeof r.simd, "boolean");
    assert.ok(r.trainingKernels.includes("Conv2DBackpropFilter"));
    const shown = bridge.outputs.at(-1)!.data;
    const payload = shown[MIME.backend] as BackendReport;
    assert.equal(payload.chosen, "wasm");
    assert.match(shown[MIME.text] as string, /wasm/);
    assert.match(shown[MIME.text] as string, /tensorflow: skipped - @tensorflow\/tfjs-node not installed/);
    assert.match(shown[MIME.html] as string, /<table>/);
  } finally {
    remove();
  }
});

test("with no native package installed, auto picks wasm and names the missing packages", async () => {
  const r = await useBackend("auto", { display: false, environment: noNative });
  assert.equal(r.chosen, "wasm");
  assert.deepEqual(
    r.rungs.slice(0, 3).map((g) => `${g.name}: ${g.reason}`),
    [
      "tensorflow-gpu: @tensorflow/tfjs-node-gpu not installed",
      "webgpu: npm package webgpu (Dawn) not installed",
      "tensorflow: @tensorflow/tfjs-node not installed",
    ],
  );
  assert.match(r.summary, /^wasm - .*skipped tensorflow-gpu/);
});

test("webgpu adapter detection: hardware adapter accepted, software and missing adapters refused", async () => {
  const h200 = { info: { vendor: "nvidia", architecture: "hopper", device: "", description: "NVIDIA H200" } };
  const ok = await probeWebGpuAdapter({ ...nodeEnvironment, ...withWebgpuPkgs, loadDawn: () => fakeDawn(h200) });
  assert.equal(ok.ok, true);
  assert.match(ok.reason, /adapter NVIDIA H200 \(hopper\)/);
  const sw = await probeWebGpuAdapter({ ...nodeEnvironment, ...withWebgpuPkgs, loadDawn: () => fakeDawn({ info: { description: "llvmpipe (LLVM 15.0.6, 256 bits)" } }) });
  assert.equal(sw.ok, false);
  assert.match(sw.reason, /software adapter/);
  const fallback = await probeWebGpuAdapter({ ...nodeEnvironment, ...withWebgpuPkgs, loadDawn: () => fakeDawn({ isFallbackAdapter: true, requestAdapterInfo: async () => ({ vendor: "google", description: "SwiftShader" }) }) });
  assert.equal(fallback.ok, false);
  const none = await probeWebGpuAdapter({ ...nodeEnvironment, ...withWebgpuPkgs, loadDawn: () => fakeDawn(null) });
  assert.equal(none.ok, false);
  assert.match(none.reason, /no adapter/);
  const broken = await probeWebGpuAdapter({ ...nodeEnvironment, ...withWebgpuPkgs, loadDawn: () => { throw new Error("dawn.node: invalid ELF header"); } });
  assert.match(broken.reason, /Dawn failed to load: dawn.node: invalid ELF header/);
});

test("tensorflow-gpu rung: needs the package and a visible CUDA GPU; CUDA_VISIBLE_DEVICES=-1 hides it", async () => {
  assert.equal(detectCuda({ CUDA_VISIBLE_DEVICES: "-1" }).visible, false);
  assert.match(detectCuda({ CUDA_VISIBLE_DEVICES: "" }).detail, /hides every GPU/);
  await assert.rejects(
    useBackend("tensorflow-gpu", { display: false, environment: { resolve: () => "/fake", cuda: () => ({ visible: false, detail: "no NVIDIA driver" }) } }),
    (e: unknown) => e instanceof BackendUnavailableError && /no CUDA GPU visible: no NVIDIA driver/.test(e.message),
  );
  await assert.rejects(
    useBackend("tensorflow-gpu", {
      display: false,
      environment: { resolve: () => "/fake", cuda: () => ({ visible: true, detail: "NVIDIA H200" }), load: () => { throw new Error("libcudart.so.11.0: cannot open"); } },
    }),
    /tfjs-node-gpu failed to load: libcudart/,
  );
});

test("an explicit webgpu request whose backend fails to initialise is refused, not silently replaced", async () => {
  await useBackend("wasm", { display: false });
  const { bridge, remove } = installFakeBridge();
  try {
    // A fake adapter that passes detection but cannot create a device: tfjs's webgpu backend fails
    // to initialise, exactly the case where tfjs would fall back to another backend silently.
    const adapter = { info: { vendor: "nvidia", description: "NVIDIA H200" } };
    await assert.rejects(
      useBackend("webgpu", { environment: { ...withWebgpuPkgs, loadDawn: () => fakeDawn(adapter), load: (p: string) => require(p) } }),
      (e: unknown) => {
        assert.ok(e instanceof BackendUnavailableError);
        assert.equal(e.report.ok, false);
        assert.match(e.report.summary, /webgpu refused - webgpu: adapter NVIDIA H200 found, but the webgpu backend failed to initialise/);
        assert.match(e.report.summary, /still on wasm/);
        return true;
      },
    );
    assert.equal(tfjs().getBackend(), "wasm");
    const shown = bridge.outputs.at(-1)!.data;
    assert.equal((shown[MIME.backend] as BackendReport).ok, false);
    assert.match(shown[MIME.text] as string, /refused/);
  } finally {
    remove();
  }
});

test("switching backends mid-session keeps tensors usable", async () => {
  const tf = tfjs();
  await useBackend("wasm", { display: false });
  const a = tf.tensor2d([[1, 2], [3, 4]]);
  await useBackend("cpu", { display: false });
  assert.equal(tf.getBackend(), "cpu");
  assert.deepEqual(Array.from(tf.matMul(a, a).dataSync()), [7, 10, 15, 22]);
  await useBackend("wasm", { display: false });
  assert.deepEqual(Array.from(tf.add(a, 1).dataSync()), [2, 3, 4, 5]);
  // Concurrent calls are serialised: the last one wins, and both resolve.
  const [r1, r2] = await Promise.all([useBackend("cpu", { display: false }), useBackend("wasm", { display: false })]);
  assert.equal(r1.chosen, "cpu");
  assert.equal(r2.chosen, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  await assert.rejects(useBackend("tpu" as never, { display: false }), /unknown backend/);
});

test("Dawn's adapter info: the GPU is named by `device`, the driver by `description`", async () => {
  const dawnInfo = { info: { vendor: "nvidia", architecture: "hopper", device: "NVIDIA H200", description: "NVIDIA: 580.159.03 580.159.3.0" } };
  const probe = await probeWebGpuAdapter({ ...nodeEnvironment, ...withWebgpuPkgs, loadDawn: () => fakeDawn(dawnInfo) });
  assert.equal(probe.ok, true);
  assert.equal(adapterName(probe.adapter!), "NVIDIA H200 (hopper)");
  assert.equal(gpuName(probe.adapter!), "NVIDIA H200");
  assert.equal(probe.adapter!.driver, "NVIDIA: 580.159.03 580.159.3.0");
  // an adapter that only describes itself (no separate device name): no driver is made up
  const described = await probeWebGpuAdapter({ ...nodeEnvironment, ...withWebgpuPkgs, loadDawn: () => fakeDawn({ info: { vendor: "nvidia", description: "NVIDIA H200" } }) });
  assert.equal(gpuName(described.adapter!), "NVIDIA H200");
  assert.equal(described.adapter!.driver, "");
});

test("when webgpu is chosen, the report names the GPU: 'webgpu (NVIDIA H200)' in the text and HTML", async () => {
  const tf = tfjs();
  const adapter = { info: { vendor: "nvidia", architecture: "hopper", device: "NVIDIA H200", description: "NVIDIA: 580.159.03" } };
  // Stands in for tfjs-backend-webgpu: registers a "webgpu" backend (a cpu backend underneath) once loaded.
  const load = (pkg: string) => {
    if (pkg !== "@tensorflow/tfjs-backend-webgpu") return require(pkg);
    tf.registerBackend("webgpu", () => (tf.findBackendFactory("cpu") as () => never)());
    return {};
  };
  // (an earlier test registered the real tfjs-backend-webgpu, which a fake adapter cannot start)
  if (tf.findBackendFactory("webgpu")) tf.removeBackend("webgpu");
  const { bridge, remove } = installFakeBridge();
  try {
    const r = await useBackend("webgpu", { environment: { ...withWebgpuPkgs, loadDawn: () => fakeDawn(adapter), load } });
    assert.equal(r.chosen, "webgpu");
    assert.equal(backendLabel(r), "webgpu (NVIDIA H200)");
    const text = backendReportText(r);
    assert.match(text, /^backend: webgpu \(NVIDIA H200\) - WebGPU \(Dawn\) on NVIDIA H200 \(hopper\)/);
    assert.match(text, /\n {2}GPU: NVIDIA H200 \(hopper\), driver NVIDIA: 580\.159\.03\n/);
    const shown = bridge.outputs.at(-1)!.data;
    assert.match(shown[MIME.html] as string, /<b>Backend:<\/b> webgpu \(NVIDIA H200\) - WebGPU/);
    assert.match(shown[MIME.html] as string, /<p>GPU: NVIDIA H200 \(hopper\), driver NVIDIA: 580\.159\.03<\/p>/);
    assert.equal((shown[MIME.backend] as BackendReport).adapter?.device, "NVIDIA H200");
    // other rungs keep their plain name
    const w = await useBackend("wasm", { display: false });
    assert.equal(backendLabel(w), "wasm");
    assert.match(backendReportText(w), /^backend: wasm - /);
    assert.doesNotMatch(backendReportText(w), /GPU:/);
  } finally {
    remove();
    await useBackend("wasm", { display: false });
    tf.removeBackend("webgpu");
  }
});

test("webgpu devices are requested with the adapter's storage-buffer limit (tfjs leaves the default 8; its AddN of 13 gradients failed on an H200)", async () => {
  const { withAdapterLimits } = await import("../../../kernel-helpers/lib/train/backend/webgpu");
  let asked: { requiredLimits?: Record<string, number> } | undefined;
  class Adapter {
    limits = { maxStorageBuffersPerShaderStage: 16, maxBufferSize: 1 << 30 };
    features = new Set(["timestamp-query"]);
    async requestDevice(d: { requiredLimits?: Record<string, number> }) {
      asked = d;
      return { adapterMethodsStayBound: this instanceof Adapter };
    }
  }
  const gpu = withAdapterLimits({ requestAdapter: async () => new Adapter(), wgslLanguageFeatures: new Set() } as never) as unknown as {
    requestAdapter(): Promise<{ features: Set<string>; limits: Record<string, number>; requestDevice(d: unknown): Promise<unknown> }>;
    wgslLanguageFeatures: Set<string>;
  };
  assert.ok(gpu.wgslLanguageFeatures instanceof Set);
  const adapter = await gpu.requestAdapter();
  assert.equal(adapter.features.has("timestamp-query"), true);
  assert.deepEqual(await adapter.requestDevice({ requiredLimits: { maxBufferSize: 1024 } }), { adapterMethodsStayBound: true });
  assert.deepEqual(asked, { requiredLimits: { maxStorageBuffersPerShaderStage: 16, maxBufferSize: 1024 } });
});
