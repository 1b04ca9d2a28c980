/**
 * Entry of the kernel's startup snapshot (bundled to dist/kernel-snapshot.js; see snapshot.ts).
 *
 * Built with `node --snapshot-blob FILE --build-snapshot dist/kernel-snapshot.js`: loads
 * TypeScript, and checks two cells in a scratch folder — `1 + 1` and an import of the sciforge
 * library — so that the lib, Node's types and the library's declarations are parsed and bound in
 * the heap. Only Node's built-in modules can be loaded while building, so TypeScript's source is
 * compiled with `vm`. Started from the snapshot (`node --snapshot-blob FILE dist/kernel.js …`),
 * it hands the compiler and the parsed files to the kernel (globalThis) and loads dist/kernel.js.
 */
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startupSnapshot } from "node:v8";
import vm from "node:vm";
import type * as TS from "typescript";
import { Converter } from "./converter";
import { BUILD_ENV, CHECK_FLAG } from "./snapshot";
import { SNAPSHOT_STATE, type SnapshotState } from "./typescript";

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (see kernel-helpers/kernel/compiler/snapshot.ts)`);
  return v;
}

function loadTypeScript(file: string): typeof TS {
  const fn = vm.runInThisContext(Module.wrap(readFileSync(file, "utf8")), { filename: file }) as (...a: unknown[]) => void;
  const mod = { exports: {} as unknown };
  fn.call(mod.exports, mod.exports, require, mod, file, dirname(file));
  return mod.exports as typeof TS;
}

const ts = loadTypeScript(env(BUILD_ENV.ts));
const registry = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, tmpdir());
const nodeModules = env(BUILD_ENV.nodeModules);
const converter = new Converter({ ts, cwd: join(tmpdir(), "sciforge-snapshot"), packages: { libraryDir: env(BUILD_ENV.library), bundledNodeModules: nodeModules }, registry });
const first = converter.convert("", "1 + 1");
if (first.diagnostics.length) throw new Error(`snapshot: 1 + 1 does not check: ${first.diagnostics[0].messageText}`);
converter.convert(first.declOutput ?? "", 'import * as sciforge from "sciforge";\nsciforge.display');
const state: SnapshotState = { ts, registry, hostCaches: converter.hostCaches, key: env(BUILD_ENV.key) };
// The converter stays referenced: its language service holds the parsed files in the registry.
(globalThis as Record<string, unknown>).__sciforgeSnapshotConverter = converter;

startupSnapshot.setDeserializeMainFunction(() => {
  if (process.argv.includes(CHECK_FLAG)) {
    process.stdout.write(`sciforge snapshot ok ${state.key}\n`);
    return;
  }
  (globalThis as Record<symbol, unknown>)[SNAPSHOT_STATE] = state;
  const entry = process.argv[1];
  createRequire(entry)(entry);
});
