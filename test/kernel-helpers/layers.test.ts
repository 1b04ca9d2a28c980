// The library's areas are layered: an area imports only areas below it, so there is no import
// cycle between areas (figures depend on metrics, evaluation on both, never the reverse). And the
// process boundaries point one way: kernel-helpers never imports extension/, the library never
// imports the kernel process. A new area must be placed in LAYERS before it can be imported.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { ROOT as root } from "../helpers/paths";

/** Bottom to top; areas in one row may not import each other either (each stands alone). */
const LAYERS: string[][] = [
  ["display", "random", "workspace"],
  ["metrics"],
  ["plot"],
  ["train"],
  ["data"],
  ["evaluation"],
  ["learn"],
  ["track"],
  ["search"],
  ["deploy"],
  ["payloads"], // the type-only index of display payloads for the front ends: nothing in the library imports it
];

const LIB = join(root, "kernel-helpers", "lib");

export interface Edge {
  from: string;
  to: string;
  /** file:line of one import that makes the edge. */
  where: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Every relative import, export-from, dynamic import and require of a file, with its line. */
function importsOf(file: string): { spec: string; line: number }[] {
  const text = readFileSync(file, "utf8");
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => ({ spec: f.fileName, line: text.slice(0, f.pos).split("\n").length }));
}

/** The area a library file belongs to: its top folder under lib/, or its name for a top-level file. */
function areaOf(file: string): string | null {
  const rel = relative(LIB, file);
  if (rel.startsWith("..")) return null;
  const parts = rel.split(sep);
  if (parts.length === 1) return parts[0] === "index.ts" ? null : parts[0].replace(/\.tsx?$/, "");
  return parts[0];
}

function libraryEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of tsFiles(LIB)) {
    const from = areaOf(file);
    if (!from) continue;
    for (const { spec, line } of importsOf(file)) {
      if (!spec.startsWith(".")) continue;
      const to = areaOf(resolve(dirname(file), spec));
      if (to && to !== from) edges.push({ from, to, where: `${relative(root, file)}:${line}` });
    }
  }
  return edges;
}

/** The first cycle in the area graph, as a path a → b → … → a with the import behind each step; null if none. */
export function findCycle(edges: Edge[]): Edge[] | null {
  const out = new Map<string, Edge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const state = new Map<string, "open" | "done">();
  const path: Edge[] = [];
  const visit = (node: string): Edge[] | null => {
    state.set(node, "open");
    for (const e of out.get(node) ?? []) {
      if (state.get(e.to) === "open") {
        const start = path.findIndex((p) => p.from === e.to);
        return [...path.slice(start === -1 ? path.length : start), e];
      }
      if (!state.has(e.to)) {
        path.push(e);
        const found = visit(e.to);
        if (found) return found;
        path.pop();
      }
    }
    state.set(node, "done");
    return null;
  };
  for (const node of out.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

/** Imports that go sideways or up the declared layers, or from/to an area LAYERS does not place. */
export function layerViolations(edges: Edge[], layers: string[][]): string[] {
  const level = new Map(layers.flatMap((row, i) => row.map((a) => [a, i] as const)));
  const bad: string[] = [];
  for (const e of edges) {
    const a = level.get(e.from);
    const b = level.get(e.to);
    if (a === undefined || b === undefined) bad.push(`${e.where}: area "${a === undefined ? e.from : e.to}" is not placed in LAYERS`);
    else if (b >= a) bad.push(`${e.where}: ${e.from} imports ${e.to}, which is ${b === a ? "beside" : "above"} it`);
  }
  return bad;
}

const describe = (cycle: Edge[]) => cycle.map((e) => `${e.from} → ${e.to} (${e.where})`).join(", ");

test("the checker finds a cycle and a layer break in a graph that has them (it can fail)", () => {
  const edges: Edge[] = [
    { from: "evaluation", to: "metrics", where: "a.ts:1" },
    { from: "metrics", to: "plot", where: "b.ts:2" },
    { from: "plot", to: "metrics", where: "c.ts:3" },
  ];
  const cycle = findCycle(edges);
  assert.ok(cycle, "a cycle metrics → plot → metrics is found");
  assert.deepEqual(cycle.map((e) => e.from), ["metrics", "plot"]);
  assert.deepEqual(layerViolations(edges, LAYERS), ["b.ts:2: metrics imports plot, which is above it"]);
  assert.equal(findCycle(edges.slice(0, 2)), null);
});

test("no import cycle between library areas, and every import points down the layers", () => {
  const edges = libraryEdges();
  assert.ok(edges.length > 20, `the walk saw the library's imports (${edges.length} edges)`);
  const cycle = findCycle(edges);
  assert.equal(cycle, null, cycle ? `import cycle between areas: ${describe(cycle)}` : "");
  assert.deepEqual(layerViolations(edges, LAYERS), []);
});

test("process boundaries point one way: kernel-helpers never imports extension/, the library never the kernel", () => {
  const bad: string[] = [];
  for (const file of tsFiles(join(root, "kernel-helpers"))) {
    for (const { spec, line } of importsOf(file)) {
      if (!spec.startsWith(".")) continue;
      const target = relative(root, resolve(dirname(file), spec));
      const where = `${relative(root, file)}:${line}`;
      if (target.startsWith(`extension${sep}`)) bad.push(`${where} imports ${target}`);
      if (file.startsWith(LIB + sep) && target.startsWith(join("kernel-helpers", "kernel") + sep)) bad.push(`${where} imports ${target}`);
    }
  }
  assert.deepEqual(bad, []);
});
