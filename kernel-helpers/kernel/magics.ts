/**
 * Cell magics: lines at the top of a cell that start with `%` and steer the kernel rather
 * than being TypeScript. They are blanked out (line numbers of the rest stay the same).
 *   %time              print the cell's wall time after it runs
 *   %reset             forget all variables and declarations before running the rest
 *   %backend NAME [--threads N]
 *                      switch the compute backend (sciforge's backend ladder) first; --threads
 *                      sets wasm's thread count (before wasm first starts in this kernel)
 */
import type { KernelHooks } from "../lib/display/display";

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
    if (head === "backend") backendArgs(args, i + 1);
    magics.push({ name: head as Magic["name"], args, line: i + 1 });
    lines[i] = "";
  }
  return { magics, code: lines.join("\n") };
}

/** What `%backend` asks for. */
export interface BackendMagic {
  name: string;
  threads?: number;
}

/** Parses `%backend NAME [--threads N | --threads=N]`; throws a MagicError naming the line. */
export function backendArgs(args: string[], line: number): BackendMagic {
  const usage = `%backend takes one name (auto, tensorflow-gpu, webgpu, tensorflow, wasm, cpu) and optionally --threads N, on line ${line}`;
  const rest = [...args];
  let threads: number | undefined;
  const at = rest.findIndex((a) => a === "--threads" || a.startsWith("--threads="));
  if (at >= 0) {
    const [flag] = rest.splice(at, 1);
    const value = flag.includes("=") ? flag.slice("--threads=".length) : rest.splice(at, 1)[0];
    threads = Number(value);
    if (value === undefined || !Number.isInteger(threads) || threads < 1) {
      throw new MagicError(`%backend --threads needs a whole number ≥ 1 (got ${JSON.stringify(value ?? "")}) on line ${line}`, line);
    }
  }
  if (rest.length !== 1 || rest[0].startsWith("-")) throw new MagicError(usage, line);
  return threads === undefined ? { name: rest[0] } : { name: rest[0], threads };
}

/** What running the magics needs from the kernel. */
export interface MagicHost {
  /** %reset: forgets the cells' variables and declarations. */
  reset(): void;
  /** %backend: the library's backend switcher (a hook it registered on the bridge), if it has one. */
  backendSwitcher(): KernelHooks["useBackend"];
}

/** Runs a cell's magics in order (before its code); a failure is the cell's error. */
export async function runMagics(magics: Magic[], host: MagicHost): Promise<void> {
  for (const m of magics) {
    if (m.name === "reset") host.reset();
    if (m.name === "backend") {
      const { name, threads } = backendArgs(m.args, m.line);
      const use = host.backendSwitcher();
      if (!use) throw new MagicError("%backend: this build of sciforge has no backend ladder", m.line);
      await use(name, threads === undefined ? {} : { threads });
    }
  }
}
