/**
 * Redirects the kernel process's stdout/stderr into Jupyter `stream` messages for the cell
 * that is running. Writes are coalesced (a burst of prints becomes one message every few ms)
 * and flushed before a cell reports idle, so output always precedes the end of its cell.
 */
type Sink = (name: "stdout" | "stderr", text: string) => void;

export class StreamCapture {
  private buffers: Record<"stdout" | "stderr", string[]> = { stdout: [], stderr: [] };
  private timer: NodeJS.Timeout | null = null;
  private readonly originals: { stdout: typeof process.stdout.write; stderr: typeof process.stderr.write };

  constructor(private readonly sink: Sink, private readonly delayMs = 20) {
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

  private push(name: "stdout" | "stderr", text: string) {
    if (text === "") return;
    this.buffers[name].push(text);
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.delayMs);
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
        this.sink(name, text);
      }
    }
  }
}
