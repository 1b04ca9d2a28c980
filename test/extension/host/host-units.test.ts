import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { backendInfoFromMetadata, backendLabel } from "../../../extension/host/backend-label";
import { backendReportMetadata } from "../../../kernel-helpers/lib/train/backend/report";
import type { BackendReport } from "../../../kernel-helpers/lib/train/backend/types";
import { parseTagInput, readCellTags, withCellTags } from "../../../extension/host/cell-tags";
import { notebookSnapshot } from "../../../extension/host/notebook-snapshot";
import { bundleToItems, errorForVsCode, StreamBudget } from "../../../extension/host/mime-bundle";
import { chooseNode } from "../../../extension/host/node-path";
import { listTemplates, uniqueName } from "../../../extension/host/templates";
import { selectCells } from "../../../extension/notebook/runner";
import { MIME, SCIFORGE_METADATA_KEY } from "../../../kernel-helpers/lib/display/mime";

const BASE_REPORT: BackendReport = { requested: "auto", chosen: "wasm", tfBackend: "wasm", ok: true, summary: "", device: "cpu", threads: 1, trainingKernels: [], previous: null, rungs: [], tfjsVersion: "4", elapsedMs: 1 };
import { ROOT, tempDir } from "../../helpers/paths";

test("cell tags are read from every layout the ipynb serializer has used", () => {
  assert.deepEqual(readCellTags({ metadata: { tags: ["train"] } }), ["train"]);
  assert.deepEqual(readCellTags({ custom: { metadata: { tags: ["evaluate"] } } }), ["evaluate"]);
  assert.deepEqual(readCellTags({ tags: ["a", "", 3] }), ["a"]);
  assert.deepEqual(readCellTags(undefined), []);
});

test("cell tags are written where the cell keeps its Jupyter metadata, other metadata kept", () => {
  assert.deepEqual(withCellTags({ execution_count: 3, metadata: { collapsed: true } }, ["train", "train", " x "]), { execution_count: 3, metadata: { collapsed: true, tags: ["train", "x"] } });
  assert.deepEqual(withCellTags({ custom: { metadata: { tags: ["a"] } } }, ["b"]), { custom: { metadata: { tags: ["b"] } } });
  assert.deepEqual(withCellTags({ tags: ["a"] }, []), {});
  assert.deepEqual(withCellTags({}, ["evaluate"]), { metadata: { tags: ["evaluate"] } });
  assert.deepEqual(withCellTags({ metadata: { tags: ["a"] } }, []), { metadata: {} });
  const original = { metadata: { tags: ["a"] } };
  withCellTags(original, ["b"]);
  assert.deepEqual(original, { metadata: { tags: ["a"] } }, "input not mutated");
  assert.deepEqual(parseTagInput("train, evaluate  train,,x"), ["train", "evaluate", "x"]);
});

test("Train Model's selection from VS Code cells: tagged cells plus untagged setup cells above", () => {
  const cell = (kind: number, tags?: string[]) => ({ kind, text: "x", metadata: tags ? { metadata: { tags } } : { metadata: {} }, outputs: [] });
  const nb = notebookSnapshot([cell(1), cell(2), cell(2, ["train"]), cell(2, ["evaluate"]), cell(2), cell(2, ["train"]), cell(2)]);
  assert.deepEqual(selectCells(nb, ["train"]), [1, 2, 4, 5]);
  assert.deepEqual(selectCells(nb, ["evaluate"]), [1, 3]);
  assert.throws(() => selectCells(nb, ["deploy"]), /no code cell is tagged deploy/);
});

test("snapshot turns VS Code outputs back into nbformat outputs", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const nb = notebookSnapshot([
    {
      kind: 2,
      text: "display(x)\n1",
      metadata: { id: "abc", metadata: { tags: ["t"] } },
      executionOrder: 4,
      outputs: [
        { items: [{ mime: "application/vnd.code.notebook.stdout", data: enc("hi\n") }] },
        { items: [{ mime: MIME.plotly, data: enc('{"data":[]}') }, { mime: "image/png", data: new Uint8Array([1, 2]) }, { mime: "text/plain", data: enc("fig") }], metadata: { outputType: "execute_result" } },
        { items: [{ mime: "application/vnd.code.notebook.error", data: enc('{"name":"TypeError","message":"bad","stack":"TypeError: bad\\n  at x"}') }] },
      ],
    },
  ]);
  const c = nb.cells[0];
  assert.equal(c.cell_type, "code");
  if (c.cell_type !== "code") return;
  assert.equal(c.id, "abc");
  assert.deepEqual(c.metadata, { tags: ["t"] });
  assert.equal(c.execution_count, 4);
  assert.deepEqual(c.outputs[0], { output_type: "stream", name: "stdout", text: "hi\n" });
  assert.deepEqual(c.outputs[1], { output_type: "execute_result", execution_count: 4, data: { [MIME.plotly]: { data: [] }, "image/png": "AQI=", "text/plain": "fig" }, metadata: {} });
  assert.deepEqual(c.outputs[2], { output_type: "error", ename: "TypeError", evalue: "bad", traceback: ["TypeError: bad", "  at x"] });
});

test("MIME bundles: Sciforge and plotly items first, text/plain last, images as bytes", () => {
  const items = bundleToItems({ "text/plain": "t", "text/html": "<b>", "image/png": "AQI=", [MIME.plotly]: { data: [] }, [MIME.training]: { epoch: 1 } });
  assert.deepEqual(items.map((i) => i.mime), [MIME.training, MIME.plotly, "text/html", "image/png", "text/plain"]);
  assert.deepEqual([...items[3].data], [1, 2]);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(items[0].data)), { epoch: 1 });
});

test("stream budget cuts at sciforge.maxOutputSize and says so once", () => {
  const b = new StreamBudget(10);
  assert.equal(b.take("12345"), "12345");
  const cut = b.take("67890abc");
  assert.match(cut, /^67890\n… output truncated at 10 characters/);
  assert.equal(b.take("more"), "");
  assert.equal(new StreamBudget(0).take("x".repeat(100)).length, 100);
});

test("kernel errors get VS Code's clickable 'Cell In[N], line L' form", () => {
  const e = errorForVsCode({ ename: "TypeScriptError", evalue: "cell[3]:2:5 - TS2322: nope", traceback: ["\u001b[31mcell[3]:2:5\u001b[0m - error"] });
  assert.equal(e.name, "TypeScriptError");
  assert.equal(e.stack.split("\n")[0], "Cell In[3], line 2 (column 5)");
  assert.equal(errorForVsCode({ ename: "Error", evalue: "x", traceback: ["Error: x"] }).stack, "Error: x");
});

test("kernel Node: setting, else the host's Node, else node on PATH, else Electron as Node", () => {
  assert.throws(() => chooseNode("/nope/node"), /does not exist/);
  assert.equal(chooseNode(process.execPath).path, process.execPath);
  assert.equal(chooseNode("", { ...process.versions }, "/x/node").path, "/x/node");
  const electron = { ...process.versions, electron: "30.0.0" } as NodeJS.ProcessVersions;
  const dir = tempDir();
  writeFileSync(join(dir, "node"), "");
  assert.equal(chooseNode("", electron, "/x/code", dir).path, join(dir, "node"));
  assert.deepEqual(chooseNode("", electron, "/x/code", "/nonexistent"), { path: "/x/code", env: { ELECTRON_RUN_AS_NODE: "1" }, why: "VS Code's Electron in Node mode" });
});

test("templates are valid Sciforge notebooks with titles", () => {
  const t = listTemplates(join(ROOT, "extension", "templates"));
  assert.ok(t.length >= 2);
  for (const x of t) {
    const nb = JSON.parse(readFileSync(x.file, "utf8"));
    assert.equal(nb.nbformat, 4);
    assert.equal(nb.metadata.kernelspec.name, "sciforge");
    assert.ok(x.name && x.description);
  }
  const dir = tempDir();
  assert.equal(uniqueName(dir, "case"), join(dir, "case.ipynb"));
  writeFileSync(join(dir, "case.ipynb"), "{}");
  assert.equal(uniqueName(dir, "case"), join(dir, "case-2.ipynb"));
});

test("status bar label: 'webgpu (NVIDIA H200)' when the kernel reports WebGPU on a GPU, the rung's name otherwise", () => {
  const meta = (backend: unknown) => ({ [SCIFORGE_METADATA_KEY]: { backend } });
  const webgpu = backendInfoFromMetadata(meta({ name: "webgpu", device: "NVIDIA H200 (hopper)", adapter: { vendor: "nvidia", device: "NVIDIA H200", description: "NVIDIA: 580.159.03" } }));
  assert.deepEqual(webgpu, { name: "webgpu", device: "NVIDIA H200 (hopper)", gpu: "NVIDIA H200" });
  assert.equal(backendLabel(webgpu), "webgpu (NVIDIA H200)");
  // an adapter that names itself only in its description
  assert.equal(backendLabel(backendInfoFromMetadata(meta({ name: "webgpu", device: "x", adapter: { description: "Apple M3" } }))), "webgpu (Apple M3)");
  const wasm = backendInfoFromMetadata(meta({ name: "wasm", device: "AMD EPYC (2 logical CPUs)", adapter: { description: "llvmpipe" } }));
  assert.deepEqual(wasm, { name: "wasm", device: "AMD EPYC (2 logical CPUs)" });
  assert.equal(backendLabel(wasm), "wasm");
  assert.equal(backendInfoFromMetadata({}), undefined);
  assert.equal(backendInfoFromMetadata({ [SCIFORGE_METADATA_KEY]: { backend: { device: "x" } } }), undefined, "no name: nothing chosen");
  assert.equal(backendInfoFromMetadata("junk"), undefined);
  assert.equal(backendLabel(undefined), "auto");
});

test("the library's backend display carries the backend in use in its metadata (what the status bar reads), not only in its payload", () => {
  const report = { chosen: "webgpu", device: "NVIDIA H200 (hopper)", adapter: { vendor: "nvidia", architecture: "hopper", device: "NVIDIA H200", description: "NVIDIA: 580.159.03", isFallbackAdapter: false } } as const;
  const md = backendReportMetadata({ ...BASE_REPORT, ...report });
  assert.deepEqual(backendInfoFromMetadata(md), { name: "webgpu", device: "NVIDIA H200 (hopper)", gpu: "NVIDIA H200" });
  assert.deepEqual(backendReportMetadata({ ...BASE_REPORT, chosen: null, ok: false }), {}, "a refusal that left nothing chosen reports nothing");
});

