/**
 * What the kernel needs to know about a cell before type-checking it, from its syntax alone:
 * the names it declares at top level (they are exported, so later cells see them), whether it
 * awaits at its top level, and tslab's directives in leading doc comments —
 * `/** @module name *\/` (the cell becomes a module later cells import as "./name"), `@jsx`,
 * `@node`, `@browser`.
 */
import type * as TS from "typescript";

export interface CellMetadata {
  module?: string;
  jsx?: boolean;
  mode?: "node" | "browser";
}

export interface CellFacts {
  /** Names declared at the top level, without those the cell already exports itself. */
  names: string[];
  hasTopLevelAwait: boolean;
}

/** Module names for `@module` (as tslab: word characters only). */
export function isValidModuleName(name: string): boolean {
  return /^\w+$/.test(name);
}

export function parseCell(ts: typeof TS, source: string): TS.SourceFile {
  return ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

export function cellFacts(ts: typeof TS, file: TS.SourceFile): CellFacts {
  const names = new Set<string>();
  const exported = new Set<string>();
  const addBinding = (name: TS.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  for (const st of file.statements) {
    const mods = ts.canHaveModifiers(st) ? (ts.getModifiers(st) ?? []) : [];
    const isExported = mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isAmbient = mods.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
    const before = new Set(names);
    if (ts.isVariableStatement(st)) {
      // `declare const x` has no value at run time: exporting it would throw.
      if (!isAmbient) for (const d of st.declarationList.declarations) addBinding(d.name);
    } else if (
      ts.isFunctionDeclaration(st) ||
      ts.isClassDeclaration(st) ||
      ts.isEnumDeclaration(st) ||
      ts.isInterfaceDeclaration(st) ||
      ts.isTypeAliasDeclaration(st)
    ) {
      if (st.name && !(isAmbient && (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)))) names.add(st.name.text);
    } else if (ts.isModuleDeclaration(st)) {
      if (ts.isIdentifier(st.name) && !isAmbient) names.add(st.name.text);
    } else if (ts.isImportDeclaration(st)) {
      const c = st.importClause;
      if (c?.name) names.add(c.name.text);
      if (c?.namedBindings) {
        if (ts.isNamespaceImport(c.namedBindings)) names.add(c.namedBindings.name.text);
        else for (const el of c.namedBindings.elements) names.add(el.name.text);
      }
    } else if (ts.isImportEqualsDeclaration(st)) {
      names.add(st.name.text);
    } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) exported.add((el.propertyName ?? el.name).text);
    }
    if (isExported) for (const n of names) if (!before.has(n)) exported.add(n);
  }
  return { names: [...names].filter((n) => !exported.has(n)), hasTopLevelAwait: hasTopLevelAwait(ts, file) };
}

/**
 * Whether a cell awaits at its top level (also nested, e.g. `await (await fetch(url)).json()`,
 * and `for await`). An await inside a function, method, accessor or class belongs to that body.
 */
export function hasTopLevelAwait(ts: typeof TS, file: TS.SourceFile): boolean {
  if (!file.text.includes("await")) return false;
  let found = false;
  const visit = (node: TS.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) {
      found = true;
      return;
    }
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** tslab's directives, read from the doc comments before the first statement. */
export function cellMetadata(ts: typeof TS, source: string): CellMetadata {
  const out: CellMetadata = {};
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  for (;;) {
    const kind = scanner.scan();
    if (kind < ts.SyntaxKind.FirstTriviaToken || kind > ts.SyntaxKind.LastTriviaToken) break;
    if (kind !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
    const text = scanner.getTokenText();
    if (!text.startsWith("/**")) continue;
    for (const m of text.matchAll(/@(module|jsx|node|browser)\b[ \t]*([^\s*]*)/g)) {
      if (m[1] === "module" && isValidModuleName(m[2])) out.module = m[2];
      else if (m[1] === "jsx") out.jsx = true;
      else if (m[1] === "node") out.mode = "node";
      else if (m[1] === "browser") out.mode = "browser";
    }
  }
  return out;
}
