/**
 * Cell magics: lines at the top of a cell that start with `%` and steer the kernel rather
 * than being TypeScript. They are blanked out (line numbers of the rest stay the same).
 *   %time              print the cell's wall time after it runs
 *   %reset             forget all variables and declarations before running the rest
 *   %backend NAME      switch the compute backend (sciforge's backend ladder) first
 */
export interface Magic {
  name: "time" | "reset" | "backend";
  args: string[];
  line: number;
}

export const MAGICS = ["time", "reset", "backend"] as const;

export class MagicError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** Splits leading magic lines from the code. Comments and blank lines may precede them. */
export function parseMagics(source: string): { magics: Magic[]; code: string } {
  const lines = source.split("\n");
  const magics: Magic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === "" || t.startsWith("//")) continue;
    if (!t.startsWith("%")) break;
    const [head, ...args] = t.slice(1).split(/\s+/);
    if (!(MAGICS as readonly string[]).includes(head)) {
      throw new MagicError(`unknown magic %${head} on line ${i + 1} (known: ${MAGICS.map((m) => "%" + m).join(", ")})`, i + 1);
    }
    if (head === "backend" && args.length !== 1) {
      throw new MagicError(`%backend takes one name (auto, tensorflow-gpu, webgpu, tensorflow, wasm, cpu) on line ${i + 1}`, i + 1);
    }
    magics.push({ name: head as Magic["name"], args, line: i + 1 });
    lines[i] = "";
  }
  return { magics, code: lines.join("\n") };
}
