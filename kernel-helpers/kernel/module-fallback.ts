/**
 * Makes the packages that ship with Sciforge importable from any notebook folder, for the
 * type checker (through compiler/host.ts) and at run time alike:
 *  - `sciforge` always means the library bundled with this kernel (dist/sciforge);
 *  - any other bare package that the notebook's folder does not provide is taken from the
 *    node_modules Sciforge was installed with (@tensorflow/tfjs, nodejs-polars, …).
 * A notebook folder with its own node_modules keeps precedence for everything but `sciforge`.
 * Importing TensorFlow.js sets it up as the library does (`tfjs()`: Sciforge's multithreaded wasm
 * loader, and tfjs's cpu backend only as a quiet stand-in until the backend ladder chooses), so a
 * notebook that makes tensors with `@tensorflow/tfjs` directly never trains on cpu by accident.
 */
import { createRequire } from "node:module";
import { join } from "node:path";

export interface ModuleRoots {
  /** The notebook's working directory (where the kernel runs). */
  cwd: string;
  /** dist/sciforge: package.json, index.js, index.d.ts. */
  libraryDir: string;
  /** node_modules folder that ships with Sciforge. */
  bundledNodeModules: string;
}

/** A `require` for notebook code with the same resolution rules as the type checker. */
export function createNotebookRequire(roots: ModuleRoots): NodeJS.Require {
  const local = createRequire(join(roots.cwd, "__notebook__.js"));
  const bundled = createRequire(join(roots.bundledNodeModules, "..", "__sciforge__.js"));
  const library = join(roots.libraryDir, "index.js");
  const req = ((id: string) => {
    if (id === "sciforge") return local(library);
    if (id.startsWith("sciforge/")) return local(join(roots.libraryDir, id.slice("sciforge/".length)));
    if (id === "@tensorflow/tfjs" || id === "@tensorflow/tfjs-core") (local(library) as { tfjs?: () => unknown }).tfjs?.();
    try {
      return local(id);
    } catch (e) {
      const bare = !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("node:");
      if (bare && (e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && String((e as Error).message).includes(`'${id}'`)) {
        return bundled(id);
      }
      throw e;
    }
  }) as NodeJS.Require;
  req.resolve = local.resolve;
  req.cache = local.cache;
  req.main = local.main;
  req.extensions = local.extensions;
  return req;
}
