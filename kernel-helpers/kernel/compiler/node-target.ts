/**
 * What a cell may use follows the Node.js that runs it: the `lib` declarations and the emit
 * `target` come from this table, so `[3, 1, 2].toSorted()` type-checks on Node 20 and
 * `Object.groupBy` is a type error there ("… change the 'lib' compiler option to 'es2024'") but
 * works on Node 22. Each row lists only what that Node really has at run time (checked against
 * Node 20.20, 22.23 and 24.15); a newer Node gets the newest row.
 */
import type * as TS from "typescript";

export interface NodeTarget {
  /** The oldest Node major the row is for. */
  node: number;
  /** ECMAScript target name, as in a tsconfig (`es2023`). */
  target: "es2022" | "es2023" | "es2024";
  /** `lib` entries, as in a tsconfig. */
  lib: string[];
}

export const NODE_TARGETS: readonly NodeTarget[] = [
  {
    node: 24,
    target: "es2024",
    // + Promise.try, Error.isError, Float16Array, Atomics.pause, DisposableStack
    lib: ["es2024", "esnext.array", "esnext.collection", "esnext.iterator", "esnext.promise", "esnext.error", "esnext.float16", "esnext.sharedmemory", "esnext.disposable"],
  },
  // Object.groupBy, Map.groupBy, Promise.withResolvers, Set methods, iterator helpers, Array.fromAsync
  { node: 22, target: "es2024", lib: ["es2024", "esnext.array", "esnext.collection", "esnext.iterator"] },
  // toSorted, toReversed, with, findLast
  { node: 20, target: "es2023", lib: ["es2023"] },
  { node: 18, target: "es2022", lib: ["es2022"] },
];

export function nodeTarget(version = process.versions.node): NodeTarget {
  const major = Number(version.split(".")[0]);
  return NODE_TARGETS.find((r) => major >= r.node) ?? NODE_TARGETS[NODE_TARGETS.length - 1];
}

/** The row as compiler options: `lib` as file names (`lib.es2023.d.ts`), `target` as the enum. */
export function targetOptions(ts: typeof TS, row = nodeTarget()): { target: TS.ScriptTarget; lib: string[] } {
  const target = { es2022: ts.ScriptTarget.ES2022, es2023: ts.ScriptTarget.ES2023, es2024: ts.ScriptTarget.ES2024 }[row.target];
  return { target, lib: row.lib.map((l) => `lib.${l}.d.ts`) };
}
