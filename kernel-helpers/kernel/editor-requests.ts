/**
 * complete_request and inspect_request answered from the Executor's language service. Jupyter
 * counts cursor positions in code points; TypeScript in UTF-16 units.
 */
import type { Executor } from "./executor";
import type { CompleteReply, CompleteRequest, InspectReply, InspectRequest } from "./handler-api";

export function complete(executor: Executor, c: CompleteRequest): CompleteReply {
  const pos = codePointToUtf16(c.code, c.cursor_pos);
  const info = executor.complete(c.code, pos);
  return {
    status: "ok",
    matches: info.candidates,
    cursor_start: utf16ToCodePoint(c.code, info.start),
    cursor_end: utf16ToCodePoint(c.code, info.end),
    metadata: {},
  };
}

export function inspect(executor: Executor, c: InspectRequest): InspectReply {
  const pos = codePointToUtf16(c.code, c.cursor_pos);
  const info = executor.inspect(c.code, pos);
  if (!info) return { status: "ok", found: false, data: {}, metadata: {} };
  const text = (parts?: { text: string }[]) => (parts ?? []).map((p) => p.text).join("");
  const signature = text(info.displayParts);
  const docs = text(info.documentation);
  const tags = (info.tags ?? []).map((t) => `@${t.name} ${text(t.text)}`).join("\n");
  const plain = [signature, docs, tags].filter((s) => s !== "").join("\n\n");
  return {
    status: "ok",
    found: true,
    data: { "text/plain": plain, "text/markdown": "```typescript\n" + signature + "\n```" + (docs ? "\n\n" + docs : "") },
    metadata: {},
  };
}

function codePointToUtf16(s: string, cp: number): number {
  let i = 0;
  for (let n = 0; n < cp && i < s.length; n++) i += s.codePointAt(i)! > 0xffff ? 2 : 1;
  return i;
}

function utf16ToCodePoint(s: string, u: number): number {
  return Array.from(s.slice(0, u)).length;
}
