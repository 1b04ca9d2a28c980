/**
 * tslab's compiler rewrites references to earlier cells' variables, but misses shorthand
 * properties: `({ seed })` throws "seed is not defined" when `seed` came from an earlier cell.
 * Writing them out in full (`{ seed: seed }`) means the same in every position (object
 * literals and assignment patterns alike), so we do that before compiling.
 */
import type * as ts from "@tslab/typescript-for-tslab";

export function expandShorthands(tsModule: typeof ts, source: string, earlierNames: ReadonlySet<string>): string {
  if (earlierNames.size === 0 || !source.includes("{")) return source;
  const file = tsModule.createSourceFile("cell.ts", source, tsModule.ScriptTarget.Latest, true, tsModule.ScriptKind.TS);
  const inserts: { at: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    if (tsModule.isShorthandPropertyAssignment(node) && earlierNames.has(node.name.text)) {
      inserts.push({ at: node.name.getEnd(), text: `: ${node.name.text}` });
    }
    tsModule.forEachChild(node, visit);
  };
  visit(file);
  if (inserts.length === 0) return source;
  let out = source;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
