/**
 * A Jupyter MIME bundle as the ordered output items VS Code gets: Sciforge and plotly types
 * first (so our renderers win), then the standard fallbacks richest first. Images become bytes,
 * JSON types stay JSON, everything else text. No `vscode` import: the controller wraps these.
 */
export interface PlainItem {
  mime: string;
  /** Bytes of the item (UTF-8 for text and JSON). */
  data: Uint8Array;
}

const PREFERRED = [
  /^application\/vnd\.sciforge\./,
  /^application\/vnd\.plotly\.v1\+json$/,
  /^application\/vnd\./,
  /^text\/html$/,
  /^image\/svg\+xml$/,
  /^image\/png$/,
  /^image\/jpeg$/,
  /^image\/gif$/,
  /^text\/markdown$/,
  /^text\/latex$/,
  /^application\/json$/,
];

function rank(mime: string): number {
  if (mime === "text/plain") return PREFERRED.length + 1;
  const i = PREFERRED.findIndex((r) => r.test(mime));
  return i < 0 ? PREFERRED.length : i;
}

const encoder = new TextEncoder();

function textOf(v: unknown): string {
  return Array.isArray(v) ? v.join("") : String(v);
}

export function bundleToItems(data: Record<string, unknown>): PlainItem[] {
  return Object.keys(data)
    .sort((a, b) => rank(a) - rank(b))
    .map((mime) => {
      const v = data[mime];
      if (/^image\/(png|jpeg|gif|webp|bmp)$/.test(mime) && typeof v === "string") return { mime, data: Buffer.from(v.replace(/\s/g, ""), "base64") };
      if (/json$/.test(mime) && typeof v !== "string") return { mime, data: encoder.encode(JSON.stringify(v)) };
      return { mime, data: encoder.encode(textOf(v)) };
    });
}

/** Keeps at most `max` characters of a stream; says so once when it cut. */
export class StreamBudget {
  private used = 0;
  private warned = false;
  constructor(private readonly max: number) {}
  take(text: string): string {
    if (this.max <= 0) return text;
    if (this.used >= this.max) {
      if (this.warned) return "";
      this.warned = true;
      return `\n… output truncated at ${this.max} characters (setting sciforge.maxOutputSize)\n`;
    }
    const room = this.max - this.used;
    this.used += text.length;
    return text.length <= room ? text : text.slice(0, room) + this.take("");
  }
}

/**
 * The kernel names positions `cell[N]:LINE:COL`. VS Code's built-in error renderer turns the
 * IPython form `Cell In[N], line L` into a link to that cell: add that line for the first one.
 */
export function errorForVsCode(e: { ename: string; evalue: string; traceback: string[] }): { name: string; message: string; stack: string } {
  const all = [e.evalue, ...e.traceback].join("\n");
  const m = /cell\[(\d+)\]:(\d+)(?::(\d+))?/.exec(all);
  const lines = [...e.traceback];
  if (m && Number(m[2]) > 0) lines.unshift(`Cell In[${m[1]}], line ${m[2]}${m[3] ? ` (column ${m[3]})` : ""}`);
  return { name: e.ename, message: e.evalue, stack: lines.join("\n") };
}
