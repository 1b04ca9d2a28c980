import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { declaredNames, injectParameters, parseParameter } from "../../../extension/notebook/parameters";
import { selectCells } from "../../../extension/notebook/runner";
import { OutputCollector } from "../../../extension/notebook/outputs";
import { normalizeNotebook, toLines, writeNotebook, type Notebook, type Output } from "../../../extension/notebook/nbformat";
import { ansiToHtml } from "../../../extension/notebook/ansi";
import { makeMessage } from "../../../kernel-helpers/protocol/wire";
import { ROOT, tempDir } from "../../helpers/paths";
import { notebookToHtml } from "../../../extension/notebook/html";

const cell = (id: string, source: string, tags?: string[]) => ({
  cell_type: "code" as const,
  id,
  source,
  metadata: tags ? { tags } : {},
  execution_count: null,
  outputs: [] as Output[],
});

function nb(...cells: ReturnType<typeof cell>[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

test("parameters parse as JSON where they can, else as strings", () => {
  assert.deepEqual(parseParameter("epochs=5"), ["epochs", 5]);
  assert.deepEqual(parseParameter("fast=true"), ["fast", true]);
  assert.deepEqual(parseParameter("backend=wasm"), ["backend", "wasm"]);
  assert.deepEqual(parseParameter('layers=[32,64]'), ["layers", [32, 64]]);
  assert.deepEqual(parseParameter("path=a=b"), ["path", "a=b"]);
  assert.throws(() => parseParameter("novalue"), /key=value/);
});

test("injected cell goes after the parameters cell: let/var assigned, const redeclared", () => {
  const book = nb(cell("a", "import x from 'y';"), cell("p", "let epochs = 10;\nconst backend: string = 'auto';", ["parameters"]), cell("b", "train()"));
  assert.deepEqual([...declaredNames("let epochs = 10;\nconst backend = 'a';\nvar z = 1").entries()], [["epochs", "let"], ["backend", "const"], ["z", "var"]]);
  const at = injectParameters(book, { epochs: 2, backend: "cpu", extra: { a: 1 } });
  assert.equal(at, 2);
  assert.deepEqual(book.cells[2].metadata.tags, ["injected-parameters"]);
  assert.equal(book.cells[2].source, '// Parameters injected by `sciforge run`\nepochs = 2;\nconst backend = "cpu";\nconst extra = {"a":1};\nvoid 0; // no output for this cell');
  // running again replaces the injected cell rather than adding a second
  injectParameters(book, { epochs: 3 });
  assert.equal(book.cells.filter((c) => c.metadata.tags?.includes("injected-parameters")).length, 1);
  // no parameters cell: injected first
  const plain = nb(cell("a", "1"));
  assert.equal(injectParameters(plain, { n: 1 }), 0);
});

test("tag selection: tagged cells plus untagged setup cells above the last tagged one", () => {
  const book = nb(
    cell("imports", "import"),
    cell("params", "let n = 1", ["parameters"]),
    cell("load", "load"),
    cell("train", "fit", ["train"]),
    cell("plot", "plot"),
    cell("eval", "evaluate", ["evaluate"]),
    cell("deploy", "serve", ["deploy"]),
    cell("after", "more"),
  );
  assert.deepEqual(selectCells(book, ["train"]), [0, 1, 2, 3]);
  assert.deepEqual(selectCells(book, ["evaluate"]), [0, 1, 2, 4, 5]);
  assert.deepEqual(selectCells(book, ["train", "evaluate"]), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(selectCells(book), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.throws(() => selectCells(book, ["nope"]), /no code cell is tagged nope/);
  book.cells[4].metadata.tags = ["skip-execution"];
  assert.deepEqual(selectCells(book, ["evaluate"]), [0, 1, 2, 5]);
});

test("outputs: streams merge, updates follow display ids across cells, clear_output(wait) defers", () => {
  const c = new OutputCollector();
  const msg = (type: string, content: unknown) => makeMessage(type, content, "s");
  const first: Output[] = [];
  const second: Output[] = [];
  c.add(first, msg("stream", { name: "stdout", text: "a" }));
  c.add(first, msg("stream", { name: "stdout", text: "b\n" }));
  c.add(first, msg("display_data", { data: { "text/plain": "v1" }, metadata: {}, transient: { display_id: "d" } }));
  c.add(second, msg("display_data", { data: { "text/plain": "v1" }, metadata: {}, transient: { display_id: "d" } }));
  c.add(second, msg("update_display_data", { data: { "text/plain": "v2" }, metadata: {}, transient: { display_id: "d" } }));
  assert.deepEqual(first[0], { output_type: "stream", name: "stdout", text: "ab\n" });
  assert.deepEqual((first[1] as { data: unknown }).data, { "text/plain": "v2" });
  assert.deepEqual((second[0] as { data: unknown }).data, { "text/plain": "v2" });
  c.add(second, msg("clear_output", { wait: true }));
  assert.equal(second.length, 1);
  c.add(second, msg("stream", { name: "stderr", text: "new" }));
  assert.deepEqual(second, [{ output_type: "stream", name: "stderr", text: "new" }]);
});

test("notebooks are upgraded to 4.5 with valid unique cell ids and written atomically as line lists", () => {
  const book = nb(cell("dup", "a\nb"), cell("dup", "c"), cell("bad id!", "d"));
  book.nbformat_minor = 2;
  normalizeNotebook(book);
  assert.equal(book.nbformat_minor, 5);
  const ids = book.cells.map((c) => c.id);
  assert.equal(new Set(ids).size, 3);
  assert.ok(ids.every((id) => /^[a-zA-Z0-9-_]{1,64}$/.test(id)));
  assert.deepEqual(toLines("a\nb\n"), ["a\n", "b\n"]);
  assert.deepEqual(toLines("a\nb"), ["a\n", "b"]);
  const dir = tempDir();
  writeNotebook(join(dir, "n.ipynb"), book);
  assert.deepEqual(readdirSync(dir), ["n.ipynb"]);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, "n.ipynb"), "utf8")).cells[0].source, ["a\n", "b"]);
  assert.throws(() => normalizeNotebook({ nbformat: 3, cells: [] } as unknown as Notebook), /nbformat 3 is not supported/);
});

test("ANSI colours become spans and text is escaped", () => {
  assert.equal(ansiToHtml("\u001b[31m<x>\u001b[0m ok"), '<span class="ansi-red-fg">&lt;x&gt;</span> ok');
});

test("HTML report: plotly figures drawn by plotly.js inlined once; richest MIME chosen; nothing fetched", () => {
  const book = nb(cell("a", "plot()"), cell("b", "x"));
  (book.cells[0] as ReturnType<typeof cell>).outputs = [
    { output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [{ y: [1, 2] }], layout: { title: { text: "</script><b>t" } } }, "image/png": "AAAA", "text/plain": "fig" }, metadata: {} },
    { output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [] }, "text/plain": "fig2" }, metadata: {} },
  ];
  (book.cells[1] as ReturnType<typeof cell>).outputs = [{ output_type: "display_data", data: { "image/png": "iVBORw0KGgo=", "text/plain": "img" }, metadata: {} }];
  const html = notebookToHtml(book, { packageRoot: ROOT });
  assert.ok(html.includes('Plotly.newPlot("sf-plot-0"'));
  assert.ok(html.includes('Plotly.newPlot("sf-plot-1"'));
  assert.ok(html.length > 3_000_000, "plotly.js is inlined");
  assert.equal(html.split("<script>").length - 1, 3, "one library script + one per figure");
  assert.ok(!/<script[^>]+src=/.test(html), "no external scripts");
  assert.ok(!html.includes("</script><b>t"), "figure JSON cannot close the script tag");
  assert.ok(html.includes('src="data:image/png;base64,iVBORw0KGgo="'));
  const plain = notebookToHtml(nb(cell("c", "1")), { packageRoot: ROOT });
  assert.ok(plain.length < 10_000, "no plotly.js when there are no figures");
});
