/*! Sciforge's cell compiler derives from tslab's converter (https://github.com/yunabe/tslab),
 * Copyright 2019 Yu Watanabe, Apache License 2.0: kernel-helpers/kernel/compiler/LICENSE-tslab */
/**
 * The cell compiler: type-checks a cell against the declarations of the cells before it and
 * compiles it to a function body the kernel runs. The approach is tslab's converter (Apache-2.0,
 * see LICENSE-tslab), redone on the project's own TypeScript with its language service:
 *
 *  - one language service (one incremental program) per kernel, its roots held in memory: the
 *    earlier cells' declarations (`__sciforge_prev__.d.cts`), the current cell
 *    (`__sciforge_cell__.cts`) and `@module` cells; the lib and package declarations are parsed
 *    once (or come parsed from the startup snapshot) and shared through the document registry;
 *  - the cell file's parent is set to the declarations file, so names the cell does not declare
 *    itself resolve to the earlier cells' declarations (and may be declared again, shadowing them);
 *  - a cell's top-level names are exported (`export { … }` appended), which gives its declaration
 *    emit (the next cells' declarations) and stores its values in the kernel's store (`exports`);
 *  - cells are CommonJS (`.cts`, module `nodenext`: imports resolve as in Node, `import()` stays a
 *    real dynamic import) wrapped in an async function when they await at top level, so the
 *    "top-level await needs an ES module" diagnostics are dropped for the cell's own top level.
 */
import { dirname, join, resolve } from "node:path";
import type * as TS from "typescript";
import { bundledPaths } from "./bundled-paths";
import { cellFacts, parseCell, type CellMetadata } from "./cell-facts";
import { remainingDeclarations } from "./declarations";
import { cellDiagnostics, type CellDiagnostic } from "./diagnostics";
import { quickInfo, rankCompletions, type Completion } from "./editor";
import { CellHost, type HostCaches, type PackageRoots } from "./host";
import { nodeTarget } from "./node-target";
import { notebookConfig, type NotebookConfig } from "./notebook-config";
import { sharedRegistry } from "./registry";
import { cellAfter, cellBefore, declarationsAfter, type LastExpression, type RequireTarget } from "./transformers";
import type { TypeScript } from "./typescript";
import { mark } from "../timing";

export interface ConverterOptions {
  ts: TypeScript;
  /** The notebook's folder. */
  cwd: string;
  /** The bundled library and packages, for imports the notebook's folder does not provide. */
  packages: PackageRoots;
  /** Shared parsed files (from the startup snapshot); a fresh registry otherwise. */
  registry?: TS.DocumentRegistry;
  /** Shared file texts and module resolutions (from the startup snapshot). */
  hostCaches?: HostCaches;
  /** How a package is loaded at run time: "esm" when it needs `import()` (see esm-import.ts). */
  moduleFormat?: (specifier: string) => "esm" | "cjs";
}

export interface SideOutput {
  /** Absolute path of the compiled file (`util.ts` → `util.js`), as cells `require` it. */
  path: string;
  data: string;
}

export interface Converted {
  diagnostics: CellDiagnostic[];
  /** The cell's JavaScript (CommonJS, run inside a function; see executor.ts). */
  output?: string;
  /** Declarations for the cells after this one. */
  declOutput?: string;
  /** Local modules the cell imports, compiled (new or changed since the last cell). */
  sideOutputs: SideOutput[];
  /** The cell ends in an expression statement: its value is the cell's result. */
  lastExpression?: LastExpression;
  /** The cell must run as an async function (top-level await, or an ES module import). */
  isAsync: boolean;
}

const SOURCE = /\.(tsx?|cts|mts)$/;
const isDeclaration = (p: string) => /\.d\.([cm]?ts|[^.]+\.ts)$/.test(p);

/** The JavaScript file a local TypeScript file compiles to. */
/** A path as TypeScript writes them: forward slashes. */
export const slashes = (p: string): string => p.replace(/\\/g, "/");

export function jsPathOf(p: string): string {
  return p.replace(SOURCE, (_, ext: string) => ({ ts: ".js", tsx: ".js", cts: ".cjs", mts: ".mjs" })[ext] ?? ".js");
}

export class Converter {
  readonly ts: TypeScript;
  readonly config: NotebookConfig;
  private readonly host: CellHost;
  private readonly ls: TS.LanguageService;
  private readonly cwd: string;
  private readonly declFile: string;
  private readonly cellFile: string;
  /** Local files already compiled, with the version they were compiled at. */
  private readonly emitted = new Map<string, string>();

  constructor(private readonly options: ConverterOptions) {
    const ts = (this.ts = options.ts);
    this.cwd = slashes(resolve(options.cwd));
    this.declFile = `${this.cwd}/__sciforge_prev__.d.cts`;
    this.cellFile = `${this.cwd}/__sciforge_cell__.cts`;
    this.config = notebookConfig(ts, this.cwd, slashes(join(options.packages.bundledNodeModules, "@types")), {
      useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
      readDirectory: (...a) => ts.sys.readDirectory(...a),
      fileExists: (p) => ts.sys.fileExists(p),
      readFile: (p) => ts.sys.readFile(p),
      directoryExists: (p) => ts.sys.directoryExists(p),
    } as TS.ParseConfigHost & { directoryExists(p: string): boolean });
    // Bundled packages by name for a folder without them, so that declarations can name their types;
    // the notebook's own tsconfig paths come first.
    this.config.options.paths = { ...bundledPaths(this.cwd, resolve(options.packages.bundledNodeModules)), ...this.config.options.paths };
    this.host = new CellHost(ts, this.cwd, this.config.options, options.packages, options.hostCaches);
    this.host.setFile(this.declFile, "");
    this.host.setFile(this.cellFile, "");
    const libDir = slashes(dirname(ts.getDefaultLibFilePath(this.config.options)));
    const libraryDir = slashes(resolve(options.packages.libraryDir)) + "/";
    const registry = sharedRegistry(
      options.registry ?? ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, this.cwd),
      (p) => p.includes("/node_modules/") || p.startsWith(libDir) || p.startsWith(libraryDir),
    );
    this.ls = ts.createLanguageService(this.host, registry);
  }

  /** The program with the current files, the cell file's parent set to the declarations file. */
  private sync(): { program: TS.Program; cell: TS.SourceFile; decls: TS.SourceFile } {
    const program = this.ls.getProgram()!;
    const cell = program.getSourceFile(this.cellFile)!;
    const decls = program.getSourceFile(this.declFile)!;
    (cell as { parent?: TS.Node }).parent = decls;
    return { program, cell, decls };
  }

  private setCell(prevDecl: string, src: string): void {
    this.host.setFile(this.declFile, prevDecl);
    this.host.setFile(this.cellFile, src);
  }

  convert(prevDecl: string, src: string): Converted {
    const ts = this.ts;
    const facts = cellFacts(ts, parseCell(ts, src));
    this.setCell(prevDecl, facts.names.length ? `${src}\nexport { ${facts.names.join(", ")} };\n` : src);
    this.host.touch();
    mark("cell parsed");
    const { program, cell, decls } = this.sync();
    mark("program built");
    const deps = this.localDependencies(program, cell).filter((d) => this.emitted.get(d.fileName) !== this.host.getScriptVersion(d.fileName));
    const raw: TS.Diagnostic[] = [...program.getSyntacticDiagnostics(cell), ...program.getSemanticDiagnostics(cell)];
    for (const d of deps) raw.push(...program.getSyntacticDiagnostics(d), ...program.getSemanticDiagnostics(d));
    const diagnostics = cellDiagnostics(ts, raw, cell, this.cwd, (d) => this.libHint(d));
    mark("cell checked");
    if (diagnostics.length > 0) return { diagnostics, sideOutputs: [], isAsync: false };

    const sideOutputs: SideOutput[] = [];
    for (const dep of deps) {
      program.emit(
        dep,
        (name, text) => {
          if (!isDeclaration(name)) sideOutputs.push({ path: jsPathOf(dep.fileName), data: text });
        },
        undefined,
        false,
        // A module is not async: ES module packages stay `require` there (Node ≥ 20.19 loads those without top-level await).
        { after: [cellAfter(ts, (s) => { const t = this.requireTarget(program, dep, s); return t?.kind === "esm" ? undefined : t; }, () => {})] },
      );
      this.emitted.set(dep.fileName, this.host.getScriptVersion(dep.fileName));
    }

    let output = "";
    let declOutput = "";
    let lastExpression: LastExpression | undefined;
    let usesEsm = false;
    const checker = program.getTypeChecker();
    program.emit(
      cell,
      (name, text) => {
        if (isDeclaration(name)) declOutput = text;
        else output = text;
      },
      undefined,
      false,
      {
        before: [cellBefore(ts, checker, decls, (l) => (lastExpression = l))],
        after: [cellAfter(ts, (s) => this.requireTarget(program, cell, s), () => (usesEsm = true))],
        afterDeclarations: [declarationsAfter(ts)],
      },
    );
    mark("cell emitted");
    declOutput = declOutput.replace(/^export \{\};\n/gm, "") + remainingDeclarations(ts, checker, cell, decls);
    sideOutputs.sort((a, b) => a.path.localeCompare(b.path));
    return { diagnostics: [], output, declOutput, sideOutputs, lastExpression, isAsync: facts.hasTopLevelAwait || usesEsm };
  }

  /** A `/** @module name *\/` cell: kept in memory as `<cwd>/name.ts`, importable as "./name". */
  addModule(name: string, src: string, meta: CellMetadata): CellDiagnostic[] {
    const path = `${this.cwd}/${name}${meta.jsx ? ".tsx" : ".ts"}`;
    this.host.setFile(path, src);
    this.emitted.delete(path);
    const { program } = this.sync();
    const file = program.getSourceFile(path)!;
    return cellDiagnostics(this.ts, [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)], file, this.cwd, (d) => this.libHint(d));
  }

  complete(prevDecl: string, src: string, pos: number): Completion {
    this.setCell(prevDecl, src);
    this.sync();
    const info = this.ls.getCompletionsAtPosition(this.cellFile, pos, {});
    return rankCompletions(info, src, pos);
  }

  inspect(prevDecl: string, src: string, pos: number): TS.QuickInfo | undefined {
    this.setCell(prevDecl, src);
    this.sync();
    return quickInfo(this.ls, this.cellFile, pos);
  }

  close(): void {
    this.ls.dispose();
  }

  /** File texts and resolutions this converter has, for another one (the startup snapshot). */
  get hostCaches(): HostCaches {
    return this.host.caches;
  }

  /** "Change the lib to es2024": say which lib the running Node gives cells. */
  private libHint(d: TS.Diagnostic): string {
    if (d.code !== 2550 && d.code !== 2583) return "";
    return ` (a cell's lib follows the Node.js running the kernel: ${process.versions.node} has ${nodeTarget().lib.join(", ")})`;
  }

  private resolved(program: TS.Program, file: TS.SourceFile, spec: string): TS.ResolvedModuleFull | undefined {
    const get = (program as unknown as { getResolvedModule?(f: TS.SourceFile, n: string, m: TS.ResolutionMode): TS.ResolvedModuleWithFailedLookupLocations | undefined })
      .getResolvedModule;
    if (!get) return undefined;
    for (const mode of [file.impliedNodeFormat, this.ts.ModuleKind.CommonJS, this.ts.ModuleKind.ESNext, undefined] as TS.ResolutionMode[]) {
      const r = get.call(program, file, spec, mode)?.resolvedModule;
      if (r) return r;
    }
    return undefined;
  }

  private isLocal(p: string): boolean {
    return !p.includes("/node_modules/");
  }

  /** Where a `require` TypeScript wrote for one of `file`'s imports must go at run time. */
  private requireTarget(program: TS.Program, file: TS.SourceFile, spec: string): RequireTarget {
    const r = this.resolved(program, file, spec);
    if (r && this.isLocal(r.resolvedFileName)) {
      if (SOURCE.test(r.resolvedFileName) && !isDeclaration(r.resolvedFileName)) return { kind: "path", path: jsPathOf(r.resolvedFileName) };
      if (!isDeclaration(r.resolvedFileName)) return { kind: "path", path: r.resolvedFileName };
    }
    if (!spec.startsWith(".") && !spec.startsWith("/") && this.options.moduleFormat?.(spec) === "esm") return { kind: "esm" };
    return undefined;
  }

  /** The local TypeScript files `cell` imports, directly or not (not packages, not declarations). */
  private localDependencies(program: TS.Program, cell: TS.SourceFile): TS.SourceFile[] {
    const out: TS.SourceFile[] = [];
    const seen = new Set([cell.fileName]);
    const queue = [cell];
    while (queue.length) {
      const file = queue.shift()!;
      for (const imp of (file as unknown as { imports?: readonly TS.StringLiteralLike[] }).imports ?? []) {
        const r = this.resolved(program, file, imp.text);
        if (!r || !this.isLocal(r.resolvedFileName) || isDeclaration(r.resolvedFileName) || !SOURCE.test(r.resolvedFileName)) continue;
        const dep = program.getSourceFile(r.resolvedFileName);
        if (!dep || seen.has(dep.fileName)) continue;
        seen.add(dep.fileName);
        out.push(dep);
        queue.push(dep);
      }
    }
    return out;
  }
}
