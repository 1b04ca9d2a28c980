/**
 * Runs cells: the cell compiler (compiler/converter.ts) type-checks and compiles a cell against
 * the declarations of the cells before it; we run the JavaScript in this process (state shared
 * across cells, top-level await), return the value of the last expression (for
 * `execute_result`), and report compile and run-time errors as Jupyter errors with the cell's
 * line:column. A cell with a compile error does not run.
 */
import Module from "node:module";
import { dirname, extname, isAbsolute, resolve } from "node:path";
import vm from "node:vm";
import type * as TS from "typescript";
import type { ErrorContent } from "../protocol/messages";
import { cellMetadata } from "./compiler/cell-facts";
import { Converter, type Converted } from "./compiler/converter";
import type { HostCaches } from "./compiler/host";
import { isComplete, type IsComplete } from "./compiler/is-complete";
import { HELPER } from "./compiler/transformers";
import { typescript, type TypeScript } from "./compiler/typescript";
import { NotebookImporter } from "./esm-import";
import { diagnosticsError, interruptedError, thrownError } from "./errors";
import { createNotebookRequire, type ModuleRoots } from "./module-fallback";

export type Outcome =
  | {
      status: "ok";
      hasValue: boolean;
      value?: unknown;
      /** The value is that of a call ending the cell (e.g. `display(x)`, whose handle is not shown). */
      fromCall?: boolean;
    }
  | { status: "error"; error: ErrorContent };

const CELL_GLOBAL = "__sciforge_cell__";

export class Interrupted extends Error {
  constructor() {
    super("execution interrupted");
    this.name = "KeyboardInterrupt";
  }
}

export interface ExecutorOptions {
  /** Parsed lib and package declarations, file texts and resolutions to share (from the startup snapshot). */
  registry?: TS.DocumentRegistry;
  hostCaches?: HostCaches;
  /** The user's cache folder (V8's code cache of the compiler on Node < 22.1). */
  cacheDir?: string;
}

export class Executor {
  readonly ts: TypeScript;
  readonly compiler: Converter;
  private prevDecl = "";
  private readonly locals: Record<string, unknown> = {};
  private readonly exportsProxy: Record<string, unknown>;
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, Module>();
  private readonly baseRequire: NodeJS.Require;
  private readonly importer: NotebookImporter;
  private result: { set: boolean; value?: unknown } = { set: false };
  private rejectInterrupt: (e: Error) => void = () => {};
  private interruptPromise!: Promise<never>;

  constructor(
    private readonly roots: ModuleRoots,
    options: ExecutorOptions = {},
  ) {
    this.ts = typescript(options.cacheDir);
    this.importer = new NotebookImporter(roots);
    this.compiler = new Converter({
      ts: this.ts,
      cwd: roots.cwd,
      packages: roots,
      registry: options.registry,
      hostCaches: options.hostCaches,
      moduleFormat: (spec) => this.importer.format(spec),
    });
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
    const helper = {
      result: (value: unknown) => {
        this.result = { set: true, value };
        return value;
      },
      import: (spec: unknown) => this.importer.import(spec),
      importStatic: (spec: string) => this.importer.importStatic(spec),
    };
    vm.runInThisContext(`(x) => { globalThis.${CELL_GLOBAL} = x; }`)({
      exports: this.exportsProxy,
      require: this.wrapRequire(this.baseRequire, roots.cwd),
      helper,
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
    this.interruptedBeforeRun = true;
    if (this.graceTimer) return;
    this.graceTimer = setTimeout(() => {
      this.graceTimer = null;
      this.rejectInterrupt(new Interrupted());
      this.resetInterrupt();
    }, graceMs);
  }

  interruptGraceMs = 1500;
  private graceTimer: NodeJS.Timeout | null = null;
  /** An interrupt came after the cell began: it may arrive while the cell still compiles, when no SIGINT can break it yet. */
  private interruptedBeforeRun = false;

  /** A new cell begins (before its magics): interrupts of the previous one no longer count. */
  beginCell(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    this.interruptedBeforeRun = false;
  }

  /** `require` as cell code sees it (library.ts loads the sciforge library with it). */
  notebookRequire(id: string): unknown {
    return this.baseRequire(id);
  }

  /** Names the cell's top-level variables (for tests and the inspector). */
  get variables(): Readonly<Record<string, unknown>> {
    return this.locals;
  }

  async execute(source: string, cellLabel: string): Promise<Outcome> {
    const meta = cellMetadata(this.ts, source);
    if (meta.module) {
      const diags = this.compiler.addModule(meta.module, source, meta);
      return diags.length ? { status: "error", error: diagnosticsError(diags, source, cellLabel) } : { status: "ok", hasValue: false };
    }
    if (meta.mode === "browser") {
      return { status: "error", error: { ename: "UnsupportedError", evalue: "@browser cells are not supported by the Sciforge kernel", traceback: [] } };
    }
    let converted: Converted;
    try {
      converted = this.compiler.convert(this.prevDecl, source);
    } catch (e) {
      // TypeScript's declaration emitter (each cell's types are carried forward as a .d.ts) can
      // fail on a variable whose inferred type lives in a module the cell does not import by name.
      if (/Debug Failure\./.test(String((e as Error).message))) {
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
    for (const out of converted.sideOutputs) {
      this.sideModules.delete(resolve(out.path));
      this.sideOutputs.set(resolve(out.path), out.data);
    }
    if (converted.diagnostics.length > 0) {
      return { status: "error", error: diagnosticsError(converted.diagnostics, source, cellLabel) };
    }
    const prefix = converted.isAsync ? "(async function(exports, require, " : "(function(exports, require, ";
    const wrapped = `${prefix}${HELPER}) { ${converted.output}\n})(${CELL_GLOBAL}.exports, ${CELL_GLOBAL}.require, ${CELL_GLOBAL}.helper)`;
    const file = cellLabel.replace(/\s+/g, "");
    this.result = { set: false };
    // An interrupt (SIGINT or interrupt_request) that arrived while the cell compiled is still
    // waiting for the event loop: let it run, and if it came, the cell does not start (a
    // synchronous loop started now could not be broken by it any more).
    // (Two turns: the first ends this loop iteration; the second comes after a poll phase, where
    // libuv reads the signal and the control socket.)
    for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.interruptedBeforeRun) return { status: "error", error: interruptedError() };
    try {
      const ret = vm.runInThisContext(wrapped, { filename: file, breakOnSigint: true });
      if (converted.isAsync) await Promise.race([ret, this.interruptPromise]);
    } catch (e) {
      // Declarations that were already evaluated stay visible to later cells.
      this.prevDecl = converted.declOutput || this.prevDecl;
      if (e instanceof Interrupted || (e as NodeJS.ErrnoException)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
        return { status: "error", error: interruptedError() };
      }
      return { status: "error", error: thrownError(e, file) };
    }
    this.prevDecl = converted.declOutput ?? "";
    const { set, value } = this.result;
    this.result = { set: false };
    if (set && value !== undefined) return { status: "ok", hasValue: true, value, fromCall: converted.lastExpression?.isCall ?? false };
    return { status: "ok", hasValue: false };
  }

  complete(source: string, position: number) {
    return this.compiler.complete(this.prevDecl, source, position);
  }

  inspect(source: string, position: number) {
    return this.compiler.inspect(this.prevDecl, source, position);
  }

  isComplete(source: string): IsComplete {
    return isComplete(this.ts, source);
  }

  /** Forgets every variable and declaration (used by %reset; restart starts a new process). */
  reset(): void {
    this.prevDecl = "";
    for (const k of Object.keys(this.locals)) delete this.locals[k];
  }

  close(): void {
    this.compiler.close();
  }

  /** `require` for cell code: local .ts files compiled by the converter first, then packages. */
  private wrapRequire(req: NodeJS.Require, dir: string): NodeJS.Require {
    const self = this;
    return new Proxy(req, {
      apply(_t, thisArg, args: unknown[]) {
        const id = args[0];
        if (typeof id === "string" && (isAbsolute(id) || id.startsWith("./") || id.startsWith("../"))) {
          let filename = resolve(dir, id);
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
