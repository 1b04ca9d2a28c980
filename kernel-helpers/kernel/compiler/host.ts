/**
 * The language service host of one kernel: the notebook's folder on disk plus files that live
 * only in memory — the declarations of earlier cells, the current cell and `@module` cells.
 *
 * Imports resolve as `require` does for notebooks (module-fallback.ts): `sciforge` is always the
 * library bundled with this kernel; other packages come from the notebook's folder first and then
 * from the packages that ship with Sciforge — at their real place, so every notebook's program
 * names the same files for them and their parsed declarations can be shared (the document
 * registry, the startup snapshot). Successful resolutions are kept for the kernel's life (each
 * cell's program would otherwise resolve the earlier cells' imports again); a failed one is tried
 * again at the next cell (the package may have been installed meanwhile).
 *
 * Files of packages and of TypeScript's lib never change while a kernel runs; local files are
 * versioned by their modification time, so editing `util.ts` is seen by the next cell.
 */
import { statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type * as TS from "typescript";

export interface PackageRoots {
  /** The folder of the bundled library (dist/sciforge: package.json, index.d.ts). */
  libraryDir: string;
  /** The node_modules folder that ships with Sciforge. */
  bundledNodeModules: string;
}

const slashes = (p: string) => p.replace(/\\/g, "/");

/**
 * What a host learns that does not depend on the notebook: the text of package and lib files,
 * and module resolutions (with TypeScript's cache of package.json files). Shared from the
 * startup snapshot, so a kernel does not read and resolve them again.
 */
export interface HostCaches {
  snapshots: Map<string, TS.IScriptSnapshot>;
  resolved: Map<string, TS.ResolvedModuleWithFailedLookupLocations>;
  cache?: TS.ModuleResolutionCache;
}

export class CellHost implements TS.LanguageServiceHost {
  private projectVersion = 0;
  private readonly memory = new Map<string, { text: string; version: number }>();
  private readonly roots = new Set<string>();
  private readonly libDir: string;
  private readonly resolved: Map<string, TS.ResolvedModuleWithFailedLookupLocations>;
  private readonly snapshots: Map<string, TS.IScriptSnapshot>;
  private cache: TS.ModuleResolutionCache;
  private readonly library: string;
  private readonly libraryName: string;
  private readonly libraryPrefix: string;
  private readonly bundledFrom: string;

  constructor(
    private readonly ts: typeof TS,
    private readonly cwd: string,
    private options: TS.CompilerOptions,
    packages: PackageRoots,
    shared?: HostCaches,
  ) {
    this.libDir = slashes(dirname(ts.getDefaultLibFilePath(options)));
    this.cache = shared?.cache ?? ts.createModuleResolutionCache(cwd, (s) => s, options);
    this.resolved = shared?.resolved ?? new Map();
    this.snapshots = shared?.snapshots ?? new Map();
    // "sciforge" is resolved as the relative path "./sciforge" from beside the library's folder.
    this.library = slashes(join(packages.libraryDir, "..", "__sciforge_library__.ts"));
    this.libraryName = basename(packages.libraryDir);
    this.libraryPrefix = slashes(packages.libraryDir) + "/";
    this.bundledFrom = slashes(join(packages.bundledNodeModules, "..", "__sciforge_bundled__.ts"));
  }

  /** Sets an in-memory file (a root of the program); true when its text changed. */
  setFile(path: string, text: string, root = true): boolean {
    if (root && !this.roots.has(path)) {
      this.roots.add(path);
      this.projectVersion++;
    }
    const cur = this.memory.get(path);
    if (cur?.text === text) return false;
    this.memory.set(path, { text, version: (cur?.version ?? 0) + 1 });
    this.projectVersion++;
    return true;
  }

  /** Makes the next program look at local files again (their versions are their modification times). */
  touch(): void {
    this.projectVersion++;
  }

  getProjectVersion = () => String(this.projectVersion);
  getScriptFileNames = () => [...this.roots];
  getCompilationSettings = () => this.options;
  getCurrentDirectory = () => this.cwd;
  getDefaultLibFileName = (o: TS.CompilerOptions) => this.ts.getDefaultLibFilePath(o);
  useCaseSensitiveFileNames = () => this.ts.sys.useCaseSensitiveFileNames;
  getNewLine = () => "\n";

  getScriptVersion = (path: string): string => {
    const m = this.memory.get(path);
    if (m) return String(m.version);
    if (this.isFixed(path)) return "0";
    try {
      return String(statSync(path).mtimeMs);
    } catch {
      return "missing";
    }
  };

  /** What can be shared with other kernels (see HostCaches). */
  get caches(): HostCaches {
    return { snapshots: this.snapshots, resolved: this.resolved, cache: this.cache };
  }

  // The language service asks for every file's text at every program: fixed files are read once.

  getScriptSnapshot = (path: string): TS.IScriptSnapshot | undefined => {
    const fixed = !this.memory.has(path) && this.isFixed(path);
    const known = fixed ? this.snapshots.get(path) : undefined;
    if (known) return known;
    const text = this.readFile(path);
    if (text === undefined) return undefined;
    const snap = this.ts.ScriptSnapshot.fromString(text);
    if (fixed) this.snapshots.set(path, snap);
    return snap;
  };

  fileExists = (path: string): boolean => this.memory.has(path) || this.ts.sys.fileExists(path);
  readFile = (path: string, encoding?: string): string | undefined => this.memory.get(path)?.text ?? this.ts.sys.readFile(path, encoding);
  directoryExists = (path: string): boolean => this.ts.sys.directoryExists(path);
  getDirectories = (path: string): string[] => this.ts.sys.getDirectories(path);
  realpath = (path: string): string => (this.ts.sys.realpath ? this.ts.sys.realpath(path) : path);
  readDirectory = (path: string, extensions?: readonly string[], exclude?: readonly string[], include?: readonly string[], depth?: number): string[] =>
    this.ts.sys.readDirectory(path, extensions, exclude, include, depth);

  /** Also what programs read package.json files through (module formats of files): kept too. */
  getModuleResolutionCache = (): TS.ModuleResolutionCache => this.cache;

  resolveModuleNameLiterals = (
    literals: readonly TS.StringLiteralLike[],
    containingFile: string,
    redirected: TS.ResolvedProjectReference | undefined,
    options: TS.CompilerOptions,
    file: TS.SourceFile,
  ): readonly TS.ResolvedModuleWithFailedLookupLocations[] =>
    literals.map((lit) => {
      const mode = this.ts.getModeForUsageLocation(file, lit, options);
      return this.resolveModule(lit.text, containingFile, mode, redirected);
    });

  private resolveModule(name: string, containingFile: string, mode: TS.ResolutionMode, redirected?: TS.ResolvedProjectReference): TS.ResolvedModuleWithFailedLookupLocations {
    const key = `${mode ?? ""}|${dirname(containingFile)}|${name}`;
    const hit = this.resolved.get(key);
    if (hit) return hit;
    const resolve = (from: string) => this.ts.resolveModuleName(name, from, this.options, this, this.cache, redirected, mode);
    const bare = !name.startsWith(".") && !name.startsWith("/") && !/^[A-Za-z]:/.test(name);
    let r: TS.ResolvedModuleWithFailedLookupLocations;
    if (name === "sciforge" || name.startsWith("sciforge/")) r = this.ts.resolveModuleName(`./${this.libraryName}${name.slice("sciforge".length)}`, this.library, this.options, this, this.cache, redirected, mode);
    else {
      r = resolve(containingFile);
      if (!r.resolvedModule && bare) r = resolve(this.bundledFrom);
    }
    if (r.resolvedModule) this.resolved.set(key, r);
    // A failure is not kept: start from a fresh cache, so a package installed since is found.
    else this.cache = this.ts.createModuleResolutionCache(this.cwd, (s) => s, this.options);
    return r;
  }

  /** Packages and TypeScript's own lib: not expected to change while the kernel runs. */
  private isFixed(path: string): boolean {
    return path.includes("/node_modules/") || path.startsWith(this.libDir) || path.startsWith(this.libraryPrefix);
  }
}
