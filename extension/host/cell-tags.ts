/**
 * Cell tags in VS Code's view of an .ipynb cell. The built-in ipynb serializer keeps the
 * Jupyter cell metadata under `metadata.metadata` (current VS Code), older versions under
 * `metadata.custom.metadata`; some tools put `tags` at the top. Reading looks in all three,
 * writing goes where the cell already keeps its Jupyter metadata. No `vscode` import: testable.
 */
export type CellMetadata = Record<string, unknown>;

type Place = "metadata" | "custom" | "top";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function placeOf(md: CellMetadata): Place {
  if (isRecord(md.metadata)) return "metadata";
  if (isRecord(md.custom) && isRecord(md.custom.metadata)) return "custom";
  if (Array.isArray(md.tags)) return "top";
  return "metadata";
}

function cleanTags(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((t): t is string => typeof t === "string" && t.trim() !== "").map((t) => t.trim()) : [];
}

/** The Jupyter tags of a cell, whichever layout its metadata has. */
export function readCellTags(md: CellMetadata | undefined): string[] {
  if (!md) return [];
  if (isRecord(md.metadata) && Array.isArray(md.metadata.tags)) return cleanTags(md.metadata.tags);
  if (isRecord(md.custom) && isRecord(md.custom.metadata) && Array.isArray(md.custom.metadata.tags)) return cleanTags(md.custom.metadata.tags);
  return cleanTags(md.tags);
}

/** A copy of the metadata with `tags` replaced (removed when empty), in the cell's own layout. */
export function withCellTags(md: CellMetadata | undefined, tags: readonly string[]): CellMetadata {
  const out: CellMetadata = JSON.parse(JSON.stringify(md ?? {}));
  const unique = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  const set = (target: Record<string, unknown>) => {
    if (unique.length) target.tags = unique;
    else delete target.tags;
  };
  switch (placeOf(out)) {
    case "custom":
      set((out.custom as Record<string, Record<string, unknown>>).metadata);
      break;
    case "top":
      set(out);
      break;
    default:
      if (!isRecord(out.metadata)) out.metadata = {};
      set(out.metadata as Record<string, unknown>);
  }
  return out;
}

/** Parses what a user typed: tags separated by commas or spaces. */
export function parseTagInput(text: string): string[] {
  return [...new Set(text.split(/[,\s]+/).map((t) => t.trim()).filter(Boolean))];
}
