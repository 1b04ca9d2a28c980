/**
 * ES modules for cells. `require` cannot load an ES module with top-level await
 * (ERR_REQUIRE_ASYNC_MODULE, e.g. vega-lite), and on Node 20 loads others only with a warning, so
 * the kernel loads ES modules with a real `import()` — for `await import("pkg")` in a cell, and for
 * a static `import … from "pkg"` of a package that is an ES module (the compiler turns it into an
 * await of `importStatic`). Specifiers resolve as `require` does for notebooks
 * (module-fallback.ts): `sciforge` is the bundled library, other packages come from the notebook's
 * folder first and then from the packages that ship with Sciforge; package `exports` are read with
 * the conditions "node", "import", "default".
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ModuleRoots } from "./module-fallback";

export type ModuleFormat = "esm" | "cjs";

// A specifier in a variable: esbuild leaves this a real dynamic import in the CommonJS bundle.
const dynamicImport = (url: string): Promise<Record<string, unknown>> => import(url);

interface PackageJson {
  type?: string;
  main?: string;
  module?: string;
  exports?: unknown;
}

function readJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PackageJson;
  } catch {
    return undefined;
  }
}

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** Splits `pkg/sub` or `@scope/pkg/sub` into the package name and "." or "./sub". */
function splitSpecifier(spec: string): [string, string] {
  const parts = spec.split("/");
  const n = spec.startsWith("@") ? 2 : 1;
  const rest = parts.slice(n).join("/");
  return [parts.slice(0, n).join("/"), rest ? `./${rest}` : "."];
}

/** A package.json `exports` target for `subpath` under `conditions` (Node's rules, without errors). */
export function resolveExports(exportsField: unknown, subpath: string, conditions: readonly string[]): string | undefined {
  const isConditions = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => !k.startsWith("."));
  const map: Record<string, unknown> = typeof exportsField === "string" || Array.isArray(exportsField) || isConditions(exportsField) ? { ".": exportsField } : (exportsField as Record<string, unknown>);
  const pick = (target: unknown, star?: string): string | undefined => {
    if (typeof target === "string") return star === undefined ? target : target.split("*").join(star);
    if (Array.isArray(target)) {
      for (const t of target) {
        const r = pick(t, star);
        if (r) return r;
      }
      return undefined;
    }
    if (typeof target === "object" && target !== null) {
      for (const [k, v] of Object.entries(target)) {
        if (k === "default" || conditions.includes(k)) {
          const r = pick(v, star);
          if (r) return r;
        }
      }
    }
    return undefined;
  };
  if (subpath in map) return pick(map[subpath]);
  let best: { key: string; star: string } | undefined;
  for (const key of Object.keys(map)) {
    const i = key.indexOf("*");
    if (i < 0) continue;
    const [pre, post] = [key.slice(0, i), key.slice(i + 1)];
    if (subpath.startsWith(pre) && subpath.endsWith(post) && subpath.length >= key.length - 1 && (!best || pre.length > best.key.indexOf("*"))) {
      best = { key, star: subpath.slice(pre.length, subpath.length - post.length) };
    }
  }
  return best ? pick(map[best.key], best.star) : undefined;
}

export class NotebookImporter {
  private readonly local: NodeJS.Require;
  private readonly bundled: NodeJS.Require;
  private readonly formats = new Map<string, ModuleFormat>();

  constructor(private readonly roots: ModuleRoots) {
    this.local = createRequire(join(roots.cwd, "__notebook__.js"));
    this.bundled = createRequire(join(roots.bundledNodeModules, "..", "__sciforge__.js"));
  }

  /** Where package `name` is: the notebook's node_modules first, then Sciforge's. */
  private packageDir(name: string): string | undefined {
    const dirs = [...(this.local.resolve.paths(name) ?? []), this.roots.bundledNodeModules];
    for (const d of dirs) {
      const dir = join(d, name);
      if (existsSync(join(dir, "package.json"))) return dir;
    }
    return undefined;
  }

  /** The file `import(spec)` loads, or the specifier itself for built-in modules. */
  resolve(spec: string): string {
    if (isBuiltin(spec)) return spec;
    if (spec === "sciforge") return pathToFileURL(join(this.roots.libraryDir, "index.js")).href;
    if (spec.startsWith("sciforge/")) return pathToFileURL(join(this.roots.libraryDir, spec.slice("sciforge/".length))).href;
    if (spec.startsWith("file:")) return spec;
    if (spec.startsWith(".") || isAbsolute(spec)) return pathToFileURL(resolve(this.roots.cwd, spec)).href;
    const [name, subpath] = splitSpecifier(spec);
    const dir = this.packageDir(name);
    if (!dir) throw Object.assign(new Error(`Cannot find package '${name}' (imported from ${this.roots.cwd}, nor among the packages that ship with Sciforge)`), { code: "ERR_MODULE_NOT_FOUND" });
    const pkg = readJson(join(dir, "package.json")) ?? {};
    let target: string | undefined;
    if (pkg.exports !== undefined) {
      target = resolveExports(pkg.exports, subpath, ["node", "import"]);
      if (!target) throw Object.assign(new Error(`Package subpath '${subpath}' is not exported by ${name} (${join(dir, "package.json")})`), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    } else if (subpath === ".") {
      target = pkg.main ?? "index.js";
    } else {
      target = subpath;
    }
    let file = join(dir, target);
    if (!isFile(file)) file = [".js", ".mjs", ".cjs", ".json", "/index.js"].map((e) => file + e).find(isFile) ?? file;
    return pathToFileURL(file).href;
  }

  /** Whether `spec` is an ES module (so `require` cannot be used for it). Cached per specifier. */
  format(spec: string): ModuleFormat {
    let f = this.formats.get(spec);
    if (!f) this.formats.set(spec, (f = this.detect(spec)));
    return f;
  }

  private detect(spec: string): ModuleFormat {
    if (isBuiltin(spec) || spec === "sciforge" || spec.startsWith("sciforge/")) return "cjs";
    let file: string;
    try {
      file = this.requireResolve(spec);
    } catch (e) {
      // Exported for `import` only: an ES module.
      if ((e as NodeJS.ErrnoException).code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return "esm";
      return "cjs"; // not found: let require report it
    }
    if (file.endsWith(".mjs")) return "esm";
    if (file.endsWith(".cjs") || !file.endsWith(".js")) return "cjs";
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      const pkg = readJson(join(dir, "package.json"));
      if (pkg) return pkg.type === "module" ? "esm" : "cjs";
      if (dirname(dir) === dir) return "cjs";
    }
  }

  private requireResolve(spec: string): string {
    try {
      return this.local.resolve(spec);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
      return this.bundled.resolve(spec);
    }
  }

  /** `import(spec)` for a cell: the module namespace. */
  import(spec: unknown): Promise<Record<string, unknown>> {
    try {
      return dynamicImport(this.resolve(String(spec)));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * A static import of an ES module, for the CommonJS the compiler emits: the namespace, marked
   * `__esModule` so TypeScript's interop helpers take `default` and the named exports from it.
   */
  async importStatic(spec: string): Promise<Record<string, unknown>> {
    const ns = await this.import(spec);
    return new Proxy(ns, {
      get: (t, k) => (k === "__esModule" ? true : Reflect.get(t, k)),
      has: (t, k) => k === "__esModule" || Reflect.has(t, k),
    });
  }
}
