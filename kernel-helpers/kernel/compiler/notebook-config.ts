/**
 * The compiler options of a notebook's cells: the kernel's defaults, then what a `tsconfig.json`
 * next to the notebook (or in a folder above it) says — `strict` and its family (`noImplicitAny`,
 * `strictNullChecks`, …), the other checks (`noUncheckedIndexedAccess`, …), `paths`/`baseUrl`,
 * `types`/`typeRoots`, decorators, JSX — and last what the kernel must decide itself: `lib` and
 * `target` follow the running Node (node-target.ts), and the module system, emit and declaration
 * settings are the ones cells are compiled with.
 */
import { dirname, join } from "node:path";
import type * as TS from "typescript";
import { targetOptions } from "./node-target";

export interface NotebookConfig {
  /** The tsconfig.json used, if any. */
  file?: string;
  options: TS.CompilerOptions;
  /** Problems in that tsconfig.json (shown once, on the first cell). */
  errors: string[];
}

/** Options a tsconfig.json cannot change: how cells are compiled and run. */
const CONTROLLED = [
  "module",
  "moduleResolution",
  "moduleDetection",
  "target",
  "lib",
  "noLib",
  "declaration",
  "declarationMap",
  "emitDeclarationOnly",
  "declarationDir",
  "isolatedDeclarations",
  "noEmit",
  "noEmitOnError",
  "outDir",
  "outFile",
  "rootDir",
  "rootDirs",
  "composite",
  "incremental",
  "tsBuildInfoFile",
  "isolatedModules",
  "verbatimModuleSyntax",
  "sourceMap",
  "inlineSourceMap",
  "inlineSources",
  "mapRoot",
  "sourceRoot",
  "importHelpers",
  "noEmitHelpers",
  "allowImportingTsExtensions",
  "rewriteRelativeImportExtensions",
  "esModuleInterop",
  "allowSyntheticDefaultImports",
  "preserveConstEnums",
  "removeComments",
  "listFiles",
  "listEmittedFiles",
  "traceResolution",
  "extendedDiagnostics",
  "diagnostics",
  "generateCpuProfile",
  "generateTrace",
  "explainFiles",
  "plugins",
  "configFilePath",
  "pathsBasePath",
  "newLine",
  "emitBOM",
] as const;

/** The kernel's defaults, before a tsconfig.json. */
export function defaultOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    strict: true,
    skipLibCheck: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    allowJs: true,
    jsx: ts.JsxEmit.React,
    types: ["node"],
  };
}

/** Options the kernel always sets (cells are CommonJS modules run in-process; see converter.ts). */
export function controlledOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    ...targetOptions(ts),
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    moduleDetection: ts.ModuleDetectionKind.Force,
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    declaration: true,
    noEmitOnError: false,
    newLine: ts.NewLineKind.LineFeed,
  };
}

/**
 * The options for cells run in `cwd`. `types` always keeps "node" (cells run on Node); the
 * bundled `@types` folder is added to `typeRoots` so Node's types are there in any folder.
 */
export function notebookConfig(ts: typeof TS, cwd: string, bundledTypes: string, host: TS.ParseConfigHost & { fileExists(p: string): boolean }): NotebookConfig {
  const errors: string[] = [];
  let user: TS.CompilerOptions = {};
  const file = ts.findConfigFile(cwd, host.fileExists, "tsconfig.json");
  if (file) {
    const read = ts.readConfigFile(file, host.readFile);
    if (read.error) {
      errors.push(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
    } else {
      // Only the options matter: the cells are the files, so `include`/`files` are not read.
      const json = { ...(read.config as Record<string, unknown>), include: [], files: [] };
      const parsed = ts.parseJsonConfigFileContent(json, host, dirname(file), undefined, file);
      user = parsed.options;
      for (const e of parsed.errors) {
        // TS18003 "No inputs were found": expected, we gave none.
        if (e.code !== 18003) errors.push(ts.flattenDiagnosticMessageText(e.messageText, "\n"));
      }
    }
  }
  for (const k of CONTROLLED) delete (user as Record<string, unknown>)[k];
  const options: TS.CompilerOptions = { ...defaultOptions(ts), ...user, ...controlledOptions(ts) };
  options.types = [...new Set(["node", ...(options.types ?? [])])];
  options.typeRoots = [...new Set([...(options.typeRoots ?? defaultTypeRoots(cwd, host)), bundledTypes])];
  return { file, options, errors };
}

/** `node_modules/@types` folders from `cwd` up to the root (what TypeScript would look in). */
function defaultTypeRoots(cwd: string, host: { directoryExists?(p: string): boolean }): string[] {
  const roots: string[] = [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", "@types");
    if (host.directoryExists?.(candidate)) roots.push(candidate);
    if (dirname(dir) === dir) break;
  }
  return roots;
}
