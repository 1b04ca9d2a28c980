/**
 * The declarations later cells are checked against: those of the cell just run (TypeScript's
 * declaration emit), followed by the earlier ones it did not replace. A name the new cell declares
 * again as a value replaces the old value; as a type, the old type; an import is kept for the
 * meanings (value, type) not replaced. Ported from tslab's converter (`remainingDecls`,
 * Apache-2.0, see LICENSE-tslab) without changing the compiler's trees in place.
 */
import type * as TS from "typescript";

type Locals = Map<string, TS.Symbol>;
const localsOf = (f: TS.SourceFile): Locals => (f as unknown as { locals?: Locals }).locals ?? new Map();

function replaced(ts: typeof TS, checker: TS.TypeChecker, sym: TS.Symbol | undefined): { value: boolean; type: boolean } {
  if (!sym) return { value: false, type: false };
  // A module's exported local carries its meanings on its export symbol.
  sym = (sym as TS.Symbol & { exportSymbol?: TS.Symbol }).exportSymbol ?? sym;
  if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  return { value: (sym.flags & ts.SymbolFlags.Value) !== 0, type: (sym.flags & ts.SymbolFlags.Type) !== 0 };
}

/** The earlier declarations (`declsFile`) that `cellFile` leaves in place, printed. */
export function remainingDeclarations(ts: typeof TS, checker: TS.TypeChecker, cellFile: TS.SourceFile, declsFile: TS.SourceFile): string {
  const cellLocals = localsOf(cellFile);
  const keep = new Map<TS.Statement, Set<string>>();
  const valueNames = new Set<string>();
  const anyVars = new Set<string>();
  const add = (node: TS.Statement, name: string) => {
    let set = keep.get(node);
    if (!set) keep.set(node, (set = new Set()));
    set.add(name);
  };
  localsOf(declsFile).forEach((sym, key) => {
    const r = replaced(ts, checker, cellLocals.get(key));
    const keepValue = !r.value;
    const keepType = !r.type;
    if (!keepType && !keepValue) return;
    for (const decl of sym.declarations ?? []) {
      let node: TS.Node = decl;
      while (node.parent && node.parent !== declsFile) node = node.parent;
      const st = node as TS.Statement;
      if (ts.isVariableStatement(st)) {
        if (keepValue) {
          add(st, key);
          anyVars.delete(key);
          valueNames.add(key);
        }
      } else if (ts.isTypeAliasDeclaration(st) || ts.isInterfaceDeclaration(st)) {
        if (keepType) add(st, key);
      } else if (ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) {
        if (keepType) {
          if (keepValue) add(st, key);
        } else if (!valueNames.has(key)) {
          // The type was replaced but the old value is still there: keep the name, untyped.
          anyVars.add(key);
        }
      } else if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st)) {
        if (keepType && keepValue) {
          add(st, key);
          continue;
        }
        const aliased = checker.getAliasedSymbol(sym);
        if (!keepValue) {
          if (!(aliased.flags & ts.SymbolFlags.Value) && aliased.flags & ts.SymbolFlags.Type) add(st, key);
          continue;
        }
        if (aliased.flags & ts.SymbolFlags.Type) {
          if (aliased.flags & ts.SymbolFlags.Value && !valueNames.has(key)) anyVars.add(key);
          continue;
        }
        add(st, key);
      } else if (ts.isFunctionDeclaration(st)) {
        if (keepValue) add(st, key);
      } else if (ts.isModuleDeclaration(st)) {
        if (keepValue && keepType) add(st, key);
      }
    }
  });

  const f = ts.factory;
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });
  const out: string[] = [];
  for (const st of declsFile.statements) {
    const names = keep.get(st);
    if (!names) continue;
    let node: TS.Statement | undefined = st;
    if (ts.isVariableStatement(st)) {
      const decls = st.declarationList.declarations.filter((d) => ts.isIdentifier(d.name) && names.has(d.name.text));
      node = f.updateVariableStatement(st, st.modifiers, f.updateVariableDeclarationList(st.declarationList, decls));
    } else if (ts.isImportDeclaration(st)) {
      node = keepNamesInImport(ts, st, names);
    }
    if (node) out.push(printer.printNode(ts.EmitHint.Unspecified, node, declsFile));
  }
  for (const name of anyVars) out.push(`declare let ${name}: any;`);
  return out.join("\n") + (out.length ? "\n" : "");
}

function keepNamesInImport(ts: typeof TS, im: TS.ImportDeclaration, names: Set<string>): TS.ImportDeclaration | undefined {
  const clause = im.importClause;
  if (!clause) return undefined;
  const f = ts.factory;
  const name = clause.name && names.has(clause.name.text) ? clause.name : undefined;
  let bindings = clause.namedBindings;
  if (bindings) {
    if (ts.isNamespaceImport(bindings)) {
      if (!names.has(bindings.name.text)) bindings = undefined;
    } else {
      const els = bindings.elements.filter((el) => names.has(el.name.text));
      bindings = els.length ? f.updateNamedImports(bindings, els) : undefined;
    }
  }
  if (!name && !bindings) return undefined;
  return f.updateImportDeclaration(im, im.modifiers, f.updateImportClause(clause, clause.phaseModifier, name, bindings), im.moduleSpecifier, im.attributes);
}
