/**
 * Completions and hovers for a cell, from TypeScript's language service on the same program the
 * cells are checked with (so earlier cells' names and the notebook's imports are known). The
 * ranking of completions for a partly typed name is tslab's (Apache-2.0, see LICENSE-tslab):
 * prefix matches, then case-insensitive prefix matches, then names that contain it.
 */
import type * as TS from "typescript";

export interface Completion {
  /** The range the candidates replace (UTF-16 offsets into the cell). */
  start: number;
  end: number;
  candidates: string[];
}

/** The identifier around `pos` (possibly empty), as [start, end). */
function wordAt(text: string, pos: number): [number, number] {
  let start = pos;
  while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
  let end = pos;
  while (end < text.length && /[\w$]/.test(text[end])) end++;
  return [start, end];
}

export function rankCompletions(info: TS.CompletionInfo | undefined, text: string, pos: number): Completion {
  const entries = info?.entries ?? [];
  const [start, end] = wordAt(text, pos);
  const word = text.slice(start, pos);
  if (word === "" || /^\d/.test(word)) {
    const sorted = [...entries].sort((a, b) => a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
    return { start: pos, end: pos, candidates: sorted.map((e) => e.name) };
  }
  const lower = word.toLowerCase();
  const ranked = entries
    .map((e, index) => {
      const key = e.name.startsWith(word) ? "0" : e.name.toLowerCase().startsWith(lower) ? "1" : e.name.toLowerCase().includes(lower) ? "2" : "";
      return { name: e.name, sortKey: key + e.sortText, index, key };
    })
    .filter((e) => e.key !== "")
    .sort((a, b) => a.sortKey.localeCompare(b.sortKey) || a.index - b.index);
  return { start, end, candidates: ranked.map((e) => e.name) };
}

/** Quick info at a position, or undefined where there is nothing known (an unknown name included). */
export function quickInfo(ls: TS.LanguageService, file: string, pos: number): TS.QuickInfo | undefined {
  const info = ls.getQuickInfoAtPosition(file, pos) ?? (pos > 0 ? ls.getQuickInfoAtPosition(file, pos - 1) : undefined);
  // An unresolved name comes back as kind "" with the text "any".
  if (!info || info.kind === "" || !info.displayParts?.length) return undefined;
  return info;
}
