/**
 * `sciforge run` in papermill's form: `IN OUT`, `-p NAME VALUE`, `-r`, `-f params.yaml`, `-y`,
 * `--prepare-only`, `--log-output`, and the run facts in `metadata.papermill` (notebook and
 * cells). The real CLI bundle and the real kernel; the written notebooks pass Jupyter's
 * nbformat validator.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, UsageError } from "../../../extension/cli/args";
import { parseParameterValue } from "../../../extension/notebook/parameters";
import { CLI, PY, pythonHas, requireBuilt, tempDir } from "../../helpers/paths";
import type { Cell, CodeCell, Notebook } from "../../../extension/notebook/nbformat";

function sciforge(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
}

function validate(file: string): void {
  const r = spawnSync(PY, ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

const read = (file: string): Notebook => JSON.parse(readFileSync(file, "utf8"));
const code = (nb: Notebook) => nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
const pm = (c: Cell) => (c.metadata as { papermill: Record<string, unknown> }).papermill;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A notebook whose parameters cell declares every kind of value, and a cell that shows them. */
function paramsNotebook() {
  const cell = (cell_type: string, source: string, tags?: string[]) => ({
    cell_type,
    id: `c${Math.random().toString(36).slice(2, 8)}`,
    metadata: tags ? { tags } : {},
    source,
    ...(cell_type === "code" ? { outputs: [], execution_count: null } : {}),
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      cell("markdown", "# Parameters"),
      cell("code", 'let lr = 0.1;\nlet name = "x";\nlet debug = false;\nlet id: unknown = "";\nlet missing: unknown = 1;\nlet ratio = 0;\nlet layers: number[] = [];\nlet big: unknown = 0;', ["parameters"]),
      cell("code", 'console.log("line one"); process.stdout.write("no newline");\nconsole.error("to stderr");\nJSON.stringify({ lr, name, debug, id, missing, ratio, layers, big })'),
    ],
  };
}

describe("sciforge run, papermill's form", () => {
  let dir: string;
  before(() => {
    requireBuilt();
    assert.ok(pythonHas("nbformat"), "Debian's python3-nbformat is needed (apt-get install python3-nbformat)");
    dir = tempDir();
    writeFileSync(join(dir, "params.ipynb"), JSON.stringify(paramsNotebook()));
    writeFileSync(join(dir, "params.yaml"), "# defaults for the run\nratio: 0.5\nlayers: [64, 32]\nlr: 9\n");
  });

  test("IN OUT -p NAME VALUE / -p NAME=VALUE / -r / -f / -y: values typed as papermill types them, merged in papermill's order", () => {
    const r = sciforge(
      ["run", "params.ipynb", "out.ipynb", "-p", "lr", "-0.5", "-p", "name=bob", "-p", "debug", "True", "-r", "id", "007", "-p", "missing", "None", "-f", "params.yaml", "-y", "ratio: 0.75", "-p", "big", "12345678901234567890"],
      dir,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(dir, "out.ipynb")), "positional OUT is the output notebook");
    assert.ok(!existsSync(join(dir, "params.executed.ipynb")));
    validate(join(dir, "out.ipynb"));
    const nb = read(join(dir, "out.ipynb"));
    const cells = code(nb);
    assert.deepEqual(cells[1].metadata.tags, ["injected-parameters"]);
    const shown = JSON.parse((cells[2].outputs.at(-1) as { data: Record<string, string> }).data["text/plain"].slice(1, -1)); // '{"lr":…}'
    // -f < -y < -p < -r; -p reads numbers/True/None, -r keeps "007"; a 20-digit integer stays exact as a string
    assert.deepEqual(shown, { lr: -0.5, name: "bob", debug: true, id: "007", missing: null, ratio: 0.75, layers: [64, 32], big: "12345678901234567890" });
    const meta = nb.metadata.papermill as Record<string, unknown>;
    assert.deepEqual(meta.parameters, { ratio: 0.75, layers: [64, 32], lr: -0.5, name: "bob", debug: true, missing: null, big: "12345678901234567890", id: "007" });
    assert.equal(meta.input_path, "params.ipynb");
    assert.equal(meta.output_path, "out.ipynb");
    assert.match(String(meta.version), /^sciforge \d+\.\d+\.\d+/);
    assert.match(String(meta.start_time), ISO);
    assert.match(String(meta.end_time), ISO);
    assert.equal(typeof meta.duration, "number");
    assert.ok((meta.duration as number) >= 0 && Date.parse(String(meta.end_time)) >= Date.parse(String(meta.start_time)));
    assert.equal(meta.exception, null);
    assert.deepEqual(meta.default_parameters, {});
    assert.deepEqual(meta.environment_variables, {});
    for (const c of cells) {
      const m = pm(c);
      assert.equal(m.status, "completed");
      assert.equal(m.exception, false);
      assert.match(String(m.start_time), ISO);
      assert.match(String(m.end_time), ISO);
      assert.ok(typeof m.duration === "number" && m.duration >= 0);
    }
    assert.deepEqual(pm(nb.cells[0]), { exception: null, start_time: null, end_time: null, duration: null, status: "completed" }, "markdown: completed, never run");
    // sciforge's own record stays
    const run = (nb.metadata.sciforge as { run: Record<string, unknown> }).run;
    assert.equal(run.status, "ok");
    assert.deepEqual(run.parameters, meta.parameters);
  });

  test("--log-output streams each cell's outputs to stderr (stdout, stderr, results)", () => {
    const r = sciforge(["run", "params.ipynb", "logged.ipynb", "--log-output", "--quiet"], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^line one\nno newline\nto stderr\n'\{"lr":0\.1,"name":"x"/m);
    const silent = sciforge(["run", "params.ipynb", "silent.ipynb", "--quiet"], dir);
    assert.equal(silent.stderr, "", "without --log-output nothing of the cells is printed");
  });

  test("a failing cell: metadata.papermill.exception, the cell failed, the cells after it pending", () => {
    const nb = paramsNotebook();
    nb.cells.push(
      { ...nb.cells[2], id: "boom", source: 'throw new Error("boom")' },
      { ...nb.cells[2], id: "after", source: "1" },
      { cell_type: "markdown", id: "tail", metadata: {}, source: "the end" },
    );
    writeFileSync(join(dir, "fails.ipynb"), JSON.stringify(nb));
    const r = sciforge(["run", "fails.ipynb", "fails.out.ipynb", "--quiet"], dir);
    assert.equal(r.status, 1);
    validate(join(dir, "fails.out.ipynb"));
    const out = read(join(dir, "fails.out.ipynb"));
    assert.equal((out.metadata.papermill as Record<string, unknown>).exception, true);
    const byId = (id: string) => out.cells.find((c) => c.id === id)!;
    assert.equal(pm(byId("boom")).status, "failed");
    assert.equal(pm(byId("boom")).exception, true);
    assert.match(String(pm(byId("boom")).end_time), ISO);
    assert.deepEqual(pm(byId("after")), { exception: null, start_time: null, end_time: null, duration: null, status: "pending" });
    assert.equal(pm(byId("tail")).status, "pending");
    assert.equal(pm(out.cells[0]).status, "completed");
    assert.equal((out.metadata.sciforge as { run: { status: string } }).run.status, "failed");
  });

  test("--prepare-only writes the parameterized notebook without running it", () => {
    const t0 = Date.now();
    const r = sciforge(["run", "params.ipynb", "prepared.ipynb", "-p", "lr", "0.2", "--prepare-only"], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Date.now() - t0 < 10_000);
    assert.match(r.stderr, /parameterized, not run/);
    validate(join(dir, "prepared.ipynb"));
    const nb = read(join(dir, "prepared.ipynb"));
    const cells = code(nb);
    assert.deepEqual(cells[1].metadata.tags, ["injected-parameters"]);
    assert.match(String(cells[1].source), /lr = 0\.2;/);
    assert.deepEqual(cells.map((c) => c.execution_count), [null, null, null]);
    assert.deepEqual(cells[2].outputs, []);
    const meta = nb.metadata.papermill as Record<string, unknown>;
    assert.deepEqual(meta.parameters, { lr: 0.2 });
    assert.equal(meta.start_time, null);
    for (const c of nb.cells) assert.equal(pm(c).status, "pending");
    assert.equal(nb.metadata.sciforge, undefined, "nothing ran");
  });

  test("usage errors name what is wrong (exit 2, nothing written)", () => {
    const cases: Array<[string[], RegExp]> = [
      [["run", "params.ipynb", "x.ipynb", "-p", "lr"], /option --param lr needs a value/],
      [["run", "params.ipynb", "x.ipynb", "--out", "y.ipynb"], /the output notebook is given twice: x\.ipynb and --out y\.ipynb/],
      [["run", "params.ipynb", "x.ipynb", "y.ipynb"], /run takes a notebook and optionally the output notebook \(got 3 paths\)/],
      [["run", "params.ipynb", "x.ipynb", "-f", "nope.yaml"], /cannot read parameters file nope\.yaml: ENOENT/],
      [["run", "params.ipynb", "x.ipynb", "-y", "a: [1\nb: 2"], /-y #1:2:1: not valid YAML/],
      [["run", "params.ipynb", "x.ipynb", "-y", "- 1\n- 2"], /-y #1: parameters must be a YAML mapping \(name: value\), not a list/],
      [["run", "params.ipynb", "x.ipynb", "-y", "1bad: 2"], /-y #1: parameter name "1bad" is not a valid identifier/],
      [["run", "params.ipynb", "x.ipynb", "-p", "bad-name", "1"], /parameter name "bad-name" is not a valid identifier/],
    ];
    for (const [args, message] of cases) {
      const r = sciforge(args, dir);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.ok(!existsSync(join(dir, "x.ipynb")));
  });
});

describe("-p's two forms (the rule)", () => {
  const spec = { param: { type: "pair" as const, short: "p", aliases: ["parameters"] }, out: { type: "string" as const } };
  test("a token with = is NAME=VALUE; otherwise NAME, and the next token is the VALUE", () => {
    assert.deepEqual(parseArgs(["in.ipynb", "-p", "a=1", "out.ipynb"], spec), { positional: ["in.ipynb", "out.ipynb"], flags: { param: ["a=1"] } });
    assert.deepEqual(parseArgs(["-p", "a", "1", "in.ipynb"], spec).flags.param, ["a=1"]);
    assert.deepEqual(parseArgs(["-p", "lr", "-0.5", "-p", "s", "x=y"], spec).flags.param, ["lr=-0.5", "s=x=y"]);
    assert.deepEqual(parseArgs(["--parameters", "a", "2", "--param=b=3", "--param", "c=4"], spec).flags.param, ["a=2", "b=3", "c=4"]);
    assert.throws(() => parseArgs(["-p"], spec), UsageError);
    assert.throws(() => parseArgs(["-p", "a"], spec), /option --param a needs a value/);
  });
  test("values: papermill's literals, JSON, else the string", () => {
    const cases: Array<[string, unknown]> = [
      ["1", 1], ["-2", -2], ["0.5", 0.5], [".5", 0.5], ["1e3", 1000], ["True", true], ["false", false], ["None", null], ["null", null],
      ["[1, 2]", [1, 2]], ['{"a": 1}', { a: 1 }], ['"quoted"', "quoted"], ["hello", "hello"], ["1.2.3", "1.2.3"], ["[not json", "[not json"], ["007x", "007x"], ["", ""],
    ];
    for (const [raw, value] of cases) assert.deepEqual(parseParameterValue(raw), value, raw);
  });
});
