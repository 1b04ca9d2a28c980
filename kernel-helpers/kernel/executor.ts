/**
 * Runs cells: tslab's converter type-checks and compiles a cell against the declarations of
 * the cells before it; we run the JavaScript in this process (state shared across cells,
 * top-level await), return the value of the last expression (for `execute_result`), and
 * report compile and run-time errors as Jupyter errors with the cell's line:column.
 */
import Module from "node:module";
import { dirname, extname, join } from "node:path";
import vm from "node:vm";
import type { ErrorContent } from "../protocol/messages";
import { diagnosticsError, interruptedError, thrownError } from "./errors";
import { createNotebookRequire, patchCompilerSys, type ModuleRoots } from "./module-fallback";
import { expandShorthands } from "./shorthand";
import { hasTopLevelAwait } from "./top-level-await";
import { loadTslab, type Converter, type TslabParts } from "./tslab";

export type Outcome =
  | { status: "ok"; hasValue: boolean; value?: unknown }
  | { status: "error"; error: ErrorContent };

const CELL_GLOBAL = "__sciforge_cell__";

export class Interrupted extends Error {
  constructor() {
    super("execution interrupted");
    this.name = "KeyboardInterrupt";
  }
}

export class Executor {
  readonly tslab: TslabParts;
  private converter: Converter;
  private prevDecl = "";
  private readonly locals: Record<string, unknown> = {};
  private readonly exportsProxy: Record<string, unknown>;
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, Module>();
  private readonly baseRequire: NodeJS.Require;
  private rejectInterrupt: (e: Error) => void = () => {};
  private interruptPromise!: Promise<never>;

  constructor(private readonly roots: ModuleRoots) {
    this.tslab = loadTslab();
    patchCompilerSys(this.tslab.ts, roots);
    this.converter = this.tslab.createConverter({ isJS: false, isBrowser: false });
    this.baseRequire = createNotebookRequire(roots);
    const locals = this.locals;
    // The compiled cell assigns its top-level names through defineProperty on `exports`;
    // storing plain values keeps them rewritable by later cells.
    this.exportsProxy = new Proxy(locals, {
      defineProperty(_t, prop, attrs) {
        if (prop === "__esModule") return true;
        (locals as Record<string | symbol, unknown>)[prop] = attrs.get ? attrs.get() : attrs.value;
        return true;
      },
    });
    vm.runInThisContext(`(x) => { globalThis.${CELL_GLOBAL} = x; }`)({
      exports: this.exportsProxy,
      require: this.wrapRequire(this.baseRequire, roots.cwd),
    });
    this.resetInterrupt();
  }

  private resetInterrupt() {
    this.interruptPromise = new Promise<never>((_, reject) => (this.rejectInterrupt = reject));
    this.interruptPromise.catch(() => {});
  }

  /**
   * Stops a pending top-level await (synchronous code is stopped by SIGINT itself). Code that
   * watches `interruptRequested()` (fit, searches) gets `graceMs` to stop at a safe point and
   * finish the cell normally — so `const history = await fit(...)` still assigns — before the
   * await is abandoned with KeyboardInterrupt.
   */
  interrupt(graceMs = this.interruptGraceMs): void {
    if (this.graceTimer) return;
    this.graceTimer = setTimeout(() => {
      this.graceTimer = null;
      this.rejectInterrupt(new Interrupted());
      this.resetInterrupt();
    }, graceMs);
  }

  interruptGraceMs = 1500;
  private graceTimer: NodeJS.Timeout | null = null;

  /** `require` as cell code sees it (used by magics to reach the sciforge library). */
  notebookRequire(id: string): unknown {
    return this.baseRequire(id);
  }

  /** Names the cell's top-level variables (for tests and the inspector). */
  get variables(): Readonly<Record<string, unknown>> {
    return this.locals;
  }

  async execute(source: string, cellLabel: string): Promise<Outcome> {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    const meta = this.tslab.getCodeMetadata(source);
    if (meta.module) {
      const diags = this.converter.addModule(meta.module, source, meta);
      return diags.length ? { status: "error", error: diagnosticsError(diags, source, cellLabel) } : { status: "ok", hasValue: false };
    }
    if (meta.mode === "browser") {
      return { status: "error", error: { ename: "UnsupportedError", evalue: "@browser cells are not supported by the Sciforge kernel", traceback: [] } };
    }
    source = expandShorthands(this.tslab.ts, source, new Set(Object.keys(this.locals)));
    let converted: ReturnType<Converter["convert"]>;
    try {
      converted = this.converter.convert(this.prevDecl, source);
    } catch (e) {
      // TypeScript's declaration emitter (tslab carries each cell's types forward as a .d.ts) can
      // fail on a variable whose inferred type lives in a module the cell does not import by name.
      if (/Debug Failure\. False expression: Paths must either both be absolute or both be relative/.test(String((e as Error).message))) {
        return {
          status: "error",
          error: {
            ename: "TypeScriptError",
            evalue: `${cellLabel}: TypeScript could not write the type of a variable of this cell (a type from a module the cell does not import by name). Import that type explicitly, e.g. \`import { type Bundle } from "sciforge"\`, or annotate the variable.`,
            traceback: [String((e as Error).stack ?? e)],
          },
        };
      }
      throw e;
    }
    for (const out of converted.sideOutputs ?? []) {
      this.sideModules.delete(out.path);
      this.sideOutputs.set(out.path, out.data);
    }
    if (converted.diagnostics.length > 0) {
      return { status: "error", error: diagnosticsError(converted.diagnostics, source, cellLabel) };
    }
    if (!converted.output) {
      this.prevDecl = converted.declOutput || "";
      return { status: "ok", hasValue: false };
    }
    const isAsync = converted.hasToplevelAwait || hasTopLevelAwait(this.tslab.ts, source);
    const prefix = isAsync ? "(async function(exports, require) { " : "(function(exports, require) { ";
    const wrapped = `${prefix}${converted.output}\n})(${CELL_GLOBAL}.exports, ${CELL_GLOBAL}.require)`;
    const file = cellLabel.replace(/\s+/g, "");
    try {
      const ret = vm.runInThisContext(wrapped, { filename: file, breakOnSigint: true });
      if (isAsync) await Promise.race([ret, this.interruptPromise]);
    } catch (e) {
      // Declarations that were already evaluated stay visible to later cells.
      this.prevDecl = converted.declOutput || this.prevDecl;
      if (e instanceof Interrupted || (e as NodeJS.ErrnoException)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
        return { status: "error", error: interruptedError() };
      }
      return { status: "error", error: thrownError(e, file) };
    }
    this.prevDecl = converted.declOutput || "";
    const name = converted.lastExpressionVar;
    if (name && name in this.locals) {
      const value = this.locals[name];
      delete this.locals[name];
      if (value !== undefined) return { status: "ok", hasValue: true, value };
    }
    return { status: "ok", hasValue: false };
  }

  complete(source: string, position: number) {
    return this.converter.complete(this.prevDecl, source, position);
  }

  inspect(source: string, position: number) {
    return this.converter.inspect(this.prevDecl, source, position);
  }

  isComplete(source: string) {
    return this.tslab.isCompleteCode(source);
  }

  /** Forgets every variable and declaration (used by %reset; restart starts a new process). */
  reset(): void {
    this.prevDecl = "";
    for (const k of Object.keys(this.locals)) delete this.locals[k];
  }

  close(): void {
    this.converter.close();
  }

  /** `require` for cell code: local .ts files compiled by the converter first, then packages. */
  private wrapRequire(req: NodeJS.Require, dir: string): NodeJS.Require {
    const self = this;
    return new Proxy(req, {
      apply(_t, thisArg, args: unknown[]) {
        const id = args[0];
        if (typeof id === "string" && (id.startsWith("./") || id.startsWith("../"))) {
          let filename = join(dir, id);
          if (extname(filename) === "") filename += ".js";
          const cached = self.sideModules.get(filename);
          if (cached) return cached.exports;
          const code = self.sideOutputs.get(filename);
          if (code !== undefined) {
            const mod = new Module(filename) as Module & { _compile(code: string, filename: string): void };
            mod.filename = filename;
            mod.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(dirname(filename));
            mod.require = self.wrapRequire(self.baseRequire, dirname(filename));
            mod._compile(code, filename);
            self.sideModules.set(filename, mod);
            return mod.exports;
          }
        }
        return Reflect.apply(req, thisArg, args);
      },
    });
  }
}
