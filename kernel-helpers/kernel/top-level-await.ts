/**
 * Whether a cell awaits at its top level. tslab learns this from TypeScript's "await is only
 * allowed at the top level of a module" diagnostic, which it misses for nested awaits such as
 * `await (await fetch(url)).json()`: the cell was then wrapped in a plain function and failed
 * with "SyntaxError: missing ) after argument list". We look at the syntax tree instead.
 */
import type * as ts from "@tslab/typescript-for-tslab";

export function hasTopLevelAwait(tsModule: typeof ts, source: string): boolean {
  if (!source.includes("await")) return false;
  const file = tsModule.createSourceFile("cell.ts", source, tsModule.ScriptTarget.Latest, true, tsModule.ScriptKind.TS);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (tsModule.isAwaitExpression(node) || (tsModule.isForOfStatement(node) && node.awaitModifier !== undefined)) {
      found = true;
      return;
    }
    // An await inside a function, method, accessor or class belongs to that body, not the cell.
    if (tsModule.isFunctionLike(node) || tsModule.isClassLike(node)) return;
    tsModule.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
