/**
 * Redirects the kernel process's stdout/stderr into Jupyter `stream` messages for the cell
 * that is running. Writes are coalesced (a burst of prints becomes one message every few ms)
 * and flushed before a cell reports idle, so output always precedes the end of its cell. The
 * first write after a quiet spell is sent at once, so a print right before a loop that blocks
 * the event loop (and gets the kernel killed) still arrives.
 *
 * Each stream keeps at most `limit` bytes per cell (SCIFORGE_MAX_CELL_OUTPUT, default 10 MB):
 * a cell that prints more (600 × 1 MB once ended the kernel with "Invalid string length") gets
 * one line when the limit is reached and, when it ends, how much was dropped.
 */
type Sink = (name: "stdout" | "stderr", text: string) => void;
type Name = "stdout" | "stderr";

/** Bytes per stream per cell when SCIFORGE_MAX_CELL_OUTPUT is not set. */
export const DEFAULT_CELL_OUTPUT_LIMIT = 10_000_000;

/** The limit SCIFORGE_MAX_CELL_OUTPUT asks for (bytes; 0 = none), or the default with a warning. */
export function cellOutputLimit(env: NodeJS.ProcessEnv = process.env): { limit: number; warning?: string } {
  const raw = env.SCIFORGE_MAX_CELL_OUTPUT;
  if (raw === undefined || raw.trim() === "") return { limit: DEFAULT_CELL_OUTPUT_LIMIT };
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    return { limit: DEFAULT_CELL_OUTPUT_LIMIT, warning: `SCIFORGE_MAX_CELL_OUTPUT must be a whole number of bytes (0 = no limit), not "${raw}"; using ${DEFAULT_CELL_OUTPUT_LIMIT}` };
  }
  return { limit: n };
}

export function formatBytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} bytes`;
}

export class StreamCapture {
  private buffers: Record<Name, string[]> = { stdout: [], stderr: [] };
  private timer: NodeJS.Timeout | null = null;
  private readonly originals: { stdout: typeof process.stdout.write; stderr: typeof process.stderr.write };
  private used: Record<Name, number> = { stdout: 0, stderr: 0 };
  private dropped: Record<Name, number> = { stdout: 0, stderr: 0 };
  private noticed: Record<Name, boolean> = { stdout: false, stderr: false };
  private lastSent = 0;

  constructor(
    private readonly sink: Sink,
    private readonly delayMs = 20,
    /** Bytes each stream may carry per cell; 0 = no limit. */
    readonly limit = DEFAULT_CELL_OUTPUT_LIMIT,
  ) {
    this.originals = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  }

  install(): void {
    for (const name of ["stdout", "stderr"] as const) {
      const stream = process[name];
      stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
        this.push(name, text);
        const done = typeof encoding === "function" ? encoding : cb;
        if (typeof done === "function") process.nextTick(done as () => void);
        return true;
      }) as typeof stream.write;
    }
  }

  /** Writes to the real stderr of the kernel process (the kernel's own log), bypassing capture. */
  log(text: string): void {
    this.originals.stderr(text.endsWith("\n") ? text : text + "\n");
  }

  /** A cell starts: what the previous one dropped is reported (to it), and the budget is renewed. */
  beginCell(): void {
    this.endCell();
    this.used = { stdout: 0, stderr: 0 };
    this.noticed = { stdout: false, stderr: false };
  }

  /** A cell ends: flushes, and says how much of each stream was dropped over the limit. */
  endCell(): void {
    for (const name of ["stdout", "stderr"] as const) {
      if (this.dropped[name] > 0) {
        this.buffers[name].push(`[output truncated: ${formatBytes(this.dropped[name])} dropped — ${name} keeps ${formatBytes(this.limit)} per cell (SCIFORGE_MAX_CELL_OUTPUT)]\n`);
        this.dropped[name] = 0;
      }
    }
    this.flush();
  }

  private push(name: Name, text: string) {
    if (text === "") return;
    if (this.limit > 0) {
      const room = this.limit - this.used[name];
      const bytes = Buffer.byteLength(text);
      if (bytes > room) {
        // Keep what fits (whole characters), then say so once.
        const kept = room > 0 ? Buffer.from(text).subarray(0, room).toString().replace(/\uFFFD$/, "") : "";
        this.dropped[name] += bytes - Buffer.byteLength(kept);
        this.used[name] = this.limit;
        if (this.noticed[name]) {
          if (kept === "") return;
          text = kept;
        } else {
          this.noticed[name] = true;
          text = `${kept}${kept === "" || kept.endsWith("\n") ? "" : "\n"}[output limit reached: ${name} keeps ${formatBytes(this.limit)} per cell; the rest of this cell's ${name} is dropped]\n`;
        }
      } else {
        this.used[name] += bytes;
      }
    }
    this.buffers[name].push(text);
    if (this.timer) return;
    if (Date.now() - this.lastSent >= this.delayMs) this.flush();
    else this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    for (const name of ["stdout", "stderr"] as const) {
      if (this.buffers[name].length) {
        const text = this.buffers[name].join("");
        this.buffers[name] = [];
        this.lastSent = Date.now();
        this.sink(name, text);
      }
    }
  }
}
