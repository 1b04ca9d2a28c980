/**
 * The TypeScript compiler the kernel checks cells with: the project's own `typescript` package.
 *
 * Loading its 9 MB of JavaScript is a good part of a cold start. Where the kernel started from its
 * startup snapshot (see snapshot.ts) the compiler is already in memory. Otherwise, on Node ≥ 22.1,
 * main.ts has turned on Node's own compile cache; on older Node the compiled code is kept with
 * V8's code cache in the user's cache folder (`loadWithCodeCache`), written once the first cell
 * has run (so it holds the functions checking a cell needs, not only the top level).
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import vm from "node:vm";
import type * as TS from "typescript";
import type { HostCaches } from "./host";

export type TypeScript = typeof TS;

/** What a startup snapshot hands over (set on globalThis before the kernel bundle loads). */
export interface SnapshotState {
  ts: TypeScript;
  registry: TS.DocumentRegistry;
  /** File texts and module resolutions of the files in the registry. */
  hostCaches: HostCaches;
  /** What the snapshot was built for (compared with what the kernel would build). */
  key: string;
}

export const SNAPSHOT_STATE = Symbol.for("sciforge.compiler-snapshot");

export function snapshotState(): SnapshotState | undefined {
  return (globalThis as Record<symbol, SnapshotState | undefined>)[SNAPSHOT_STATE];
}

let loaded: TypeScript | undefined;
let pendingCache: (() => void) | undefined;

/** The compiler (loaded on first use). `cacheDir`: where V8's code cache may be kept (Node < 22.1). */
export function typescript(cacheDir?: string): TypeScript {
  if (loaded) return loaded;
  const fromSnapshot = snapshotState()?.ts;
  if (fromSnapshot) return (loaded = fromSnapshot);
  const file = require.resolve("typescript");
  const nodeCache = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === "function";
  if (!cacheDir || nodeCache || process.env.SCIFORGE_CODE_CACHE === "0") return (loaded = require(file) as TypeScript);
  const { exports, save } = loadWithCodeCache(file, join(cacheDir, "code-cache"));
  pendingCache = save;
  return (loaded = exports as TypeScript);
}

/** Writes V8's code cache for the compiler if it was missing or stale (call when idle). */
export function saveCodeCache(): void {
  const save = pendingCache;
  pendingCache = undefined;
  try {
    save?.();
  } catch {
    // A cache is an optimization: a read-only or full disk must not fail the kernel.
  }
}

/**
 * `require(file)` with V8's code cache: the source is compiled with the cached data of an earlier
 * run when there is one for this exact file and Node. `save` writes a fresh cache (atomically).
 */
export function loadWithCodeCache(file: string, dir: string): { exports: unknown; save?: () => void } {
  const source = readFileSync(file, "utf8");
  const st = statSync(file);
  const tag = `${process.version}-${process.arch}-${Math.round(st.mtimeMs)}-${st.size}`.replace(/[^\w.-]/g, "_");
  const cachePath = join(dir, `${basename(file)}-${tag}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file) as Module & { paths: string[] };
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(dirname(file));
  const fn = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: Module, f: string, d: string) => void;
  fn.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  (Module as unknown as { _cache: Record<string, Module> })._cache[file] = mod;
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  return {
    exports: mod.exports,
    save: fresh
      ? () => {
          mkdirSync(dir, { recursive: true });
          const tmp = `${cachePath}.${process.pid}.tmp`;
          writeFileSync(tmp, script.createCachedData());
          renameSync(tmp, cachePath);
        }
      : undefined,
  };
}
