/**
 * The transformations that turn a type-checked cell into code the kernel can run in a function
 * (the approach of tslab's converter, Apache-2.0 — see LICENSE-tslab — redone for a stock
 * TypeScript that emits CommonJS):
 *
 * before TypeScript's own transforms (the checker still sees the original nodes):
 *  - a name declared by an earlier cell becomes `exports.name` (earlier cells' values live in the
 *    kernel's store, which cells get as `exports`), shorthand properties `{ seed }` included;
 *  - `import(x)` becomes `__sciforge__.import(x)`: resolved from the notebook's folder, then from
 *    the packages that ship with Sciforge, and loaded as a real ES module import;
 *  - the last expression statement becomes `__sciforge__.result(expression)` (the cell's value);
 * after TypeScript's CommonJS transform:
 *  - `require("pkg")` of an ES module (e.g. one with top-level await, which `require` cannot
 *    load) becomes `await __sciforge__.importStatic("pkg")`;
 *  - `require` of a local TypeScript file (relative, or through tsconfig `paths`) names the
 *    compiled file by its absolute path;
 *  - the `"use strict"` prologue is dropped (cells run like tslab's, sloppy at top level);
 * after the declaration emit: the `export { … }` that makes a cell's names visible is dropped.
 */
import type * as TS from "typescript";

export const HELPER = "__sciforge__";

export interface LastExpression {
  /** The expression is a call (maybe awaited), like `display(x)`. */
  isCall: boolean;
}

/** Symbols declared at the top level of the earlier cells' declarations file. */
function declsLocals(file: TS.SourceFile): Map<string, TS.Symbol> | undefined {
  return (file as unknown as { locals?: Map<string, TS.Symbol> }).locals;
}

export function cellBefore(
  ts: typeof TS,
  checker: TS.TypeChecker,
  declsFile: TS.SourceFile,
  onLast: (last: LastExpression) => void,
): TS.TransformerFactory<TS.SourceFile> {
  const f = ts.factory;
  const locals = declsLocals(declsFile);
  const helper = (name: string) => f.createPropertyAccessExpression(f.createIdentifier(HELPER), name);

  /** `name` as the store's property when it means a value declared by an earlier cell. */
  const earlierValue = (id: TS.Identifier, sym: TS.Symbol | undefined): TS.Expression | undefined => {
    const local = locals?.get(id.text) as (TS.Symbol & { exportSymbol?: TS.Symbol }) | undefined;
    // In a declarations file that is a module, top-level declarations are exported: the checker
    // answers with the export symbol of the local.
    if (!sym || !local || (sym !== local && sym !== local.exportSymbol)) return undefined;
    const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
    if (!(target.flags & ts.SymbolFlags.Value) || target.flags & ts.SymbolFlags.ConstEnum) return undefined;
    return f.createPropertyAccessExpression(f.createIdentifier("exports"), id.text);
  };

  return (context) => {
    const visit = (node: TS.Node): TS.Node => {
      if (ts.isIdentifier(node)) {
        if (ts.isPartOfTypeNode(node)) return node;
        return earlierValue(node, checker.getSymbolAtLocation(node)) ?? node;
      }
      if (ts.isShorthandPropertyAssignment(node)) {
        const value = earlierValue(node.name, checker.getShorthandAssignmentValueSymbol(node));
        if (value) {
          const init = node.objectAssignmentInitializer ? (ts.visitNode(node.objectAssignmentInitializer, visit) as TS.Expression) : undefined;
          return f.createPropertyAssignment(node.name.text, init ? f.createAssignment(value, init) : value);
        }
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const args = node.arguments.map((a) => ts.visitNode(a, visit) as TS.Expression);
        return f.createCallExpression(helper("import"), undefined, args);
      }
      // Types are erased anyway; not visiting them keeps names in them as they are.
      if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return node;
      return ts.visitEachChild(node, visit, context);
    };
    return (file) => {
      const statements = [...file.statements];
      let last = -1;
      for (let i = statements.length - 1; i >= 0; i--) {
        if (ts.isExportDeclaration(statements[i])) continue;
        if (ts.isExpressionStatement(statements[i])) last = i;
        break;
      }
      const out = statements.map((st, i) => {
        const v = ts.visitNode(st, visit) as TS.Statement;
        if (i !== last) return v;
        const expr = (v as TS.ExpressionStatement).expression;
        let inner: TS.Expression = (st as TS.ExpressionStatement).expression;
        while (ts.isParenthesizedExpression(inner) || ts.isAwaitExpression(inner)) inner = inner.expression;
        onLast({ isCall: ts.isCallExpression(inner) || ts.isNewExpression(inner) });
        return f.updateExpressionStatement(v as TS.ExpressionStatement, f.createCallExpression(helper("result"), undefined, [expr]));
      });
      return f.updateSourceFile(file, out);
    };
  };
}

/** How a `require` that TypeScript wrote for an import is to load its module at run time. */
export type RequireTarget = { kind: "esm" } | { kind: "path"; path: string } | undefined;

export function cellAfter(ts: typeof TS, targetOf: (specifier: string) => RequireTarget, onEsm: () => void): TS.TransformerFactory<TS.SourceFile> {
  const f = ts.factory;
  return (context) => {
    const visit = (node: TS.Node): TS.Node => {
      if (
        ts.isCallExpression(node) &&
        // written by TypeScript for an import (a cell's own require() calls are left alone)
        (node.flags & ts.NodeFlags.Synthesized) !== 0 &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === "require" &&
        node.arguments.length === 1 &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        const spec = node.arguments[0].text;
        const target = targetOf(spec);
        if (target?.kind === "path") return f.updateCallExpression(node, node.expression, undefined, [f.createStringLiteral(target.path)]);
        if (target?.kind === "esm") {
          onEsm();
          return f.createParenthesizedExpression(
            f.createAwaitExpression(f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(HELPER), "importStatic"), undefined, [f.createStringLiteral(spec)])),
          );
        }
        return node;
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (file) => {
      const statements = file.statements.filter((st) => !(ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression) && st.expression.text === "use strict"));
      return f.updateSourceFile(file, statements.map((st) => ts.visitNode(st, visit) as TS.Statement));
    };
  };
}

/** Drops `export { … }` / `export {}` from a cell's declarations (names stay declared). */
export function declarationsAfter(ts: typeof TS): TS.TransformerFactory<TS.SourceFile | TS.Bundle> {
  return () => (node) => {
    if (!ts.isSourceFile(node)) return node;
    return ts.factory.updateSourceFile(
      node,
      node.statements.filter((st) => !ts.isExportDeclaration(st) || st.moduleSpecifier !== undefined),
    );
  };
}
