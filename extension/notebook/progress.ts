/** A per-cell progress line for the terminal (redrawn in place on a TTY, one line per cell otherwise). */
export class CellProgress {
  private timer: NodeJS.Timeout | null = null;
  private t0 = 0;
  private label = "";
  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly tty = Boolean(process.stderr.isTTY),
  ) {}

  start(position: number, total: number, cellNumber: number, tags: string[]) {
    this.t0 = Date.now();
    const width = 20;
    const done = Math.round(((position - 1) / total) * width);
    const bar = "█".repeat(done) + "░".repeat(width - done);
    this.label = `${bar} ${position}/${total} cell ${cellNumber}${tags.length ? ` [${tags.join(",")}]` : ""}`;
    if (this.tty) {
      this.draw();
      this.timer = setInterval(() => this.draw(), 250);
    }
  }

  private draw() {
    this.out.write(`\r\u001b[2K${this.label} ${((Date.now() - this.t0) / 1000).toFixed(1)}s`);
  }

  end(ok: boolean, seconds: number) {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const mark = ok ? "✓" : "✗";
    if (this.tty) this.out.write(`\r\u001b[2K${this.label} ${seconds.toFixed(1)}s ${mark}\n`);
    else this.out.write(`${mark} ${this.label.replace(/^[█░]+ /, "")} ${seconds.toFixed(1)}s\n`);
  }
}
