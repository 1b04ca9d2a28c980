/**
 * The display bridge: how library code and notebook cells put rich outputs into the notebook.
 *
 * Inside the Sciforge kernel a bridge object is installed on `globalThis` under
 * `Symbol.for("sciforge.kernel")`; `display()` sends `display_data` (or `update_display_data`
 * for an existing display id) through it. Outside a kernel (a plain Node script, a test) the
 * text/plain part is printed to stdout, so library code never needs to know where it runs.
 */
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { MIME, type MimeBundle } from "./mime";

/** Objects with this method display richly (like IPython's `_repr_mimebundle_`). */
export const REPR = Symbol.for("sciforge.repr");

export interface Reprable {
  [REPR](): MimeBundle;
}

/** The cell the kernel runs (or ran last): what experiment tracking records as a run's cell. */
export interface KernelCell {
  /** The front end's id of the cell (execute_request metadata `cellId`), where it sends one. */
  readonly id?: string;
  /** `cell[N]`, N its execution count (as in the cell's error locations). */
  readonly label: string;
  readonly executionCount: number;
}

/**
 * What the library lends the kernel. The library registers them ({@link registerKernelHooks})
 * when it loads inside a kernel; the kernel calls them (e.g. for a magic) instead of reaching
 * into the notebook's copy of the library.
 */
export interface KernelHooks {
  /** Switches the compute backend: the `%backend NAME [--threads N]` magic. */
  useBackend?(name: string, options: { threads?: number }): Promise<unknown>;
}

/** What the kernel installs on globalThis[Symbol.for("sciforge.kernel")]. */
export interface KernelBridge {
  display(data: MimeBundle, metadata: Record<string, unknown>, displayId: string | undefined, update: boolean): void;
  /** Asks the front end for a line of input (Jupyter stdin channel). Rejects where the front end allows none. */
  input(prompt: string, password: boolean): Promise<string>;
  /** Stops at the next safe point when the user interrupted (set by the kernel on SIGINT/interrupt_request). */
  readonly interrupted: boolean;
  /** Sends a comm message (comm_open / comm_msg / comm_close) to the front end (see comm.ts). */
  comm?(msgType: "comm_open" | "comm_msg" | "comm_close", content: Record<string, unknown>, metadata: Record<string, unknown>, buffers: Uint8Array[]): void;
  /** Clears the cell's output (Jupyter's clear_output); with `wait`, when the next output arrives. */
  clearOutput?(wait: boolean): void;
  /** The cell running now, or the last one run; undefined before the first. */
  readonly cell?: KernelCell;
  /** The hooks the library registered for the kernel (see {@link registerKernelHooks}). */
  readonly hooks?: KernelHooks;
}

const BRIDGE = Symbol.for("sciforge.kernel");

export function kernelBridge(): KernelBridge | undefined {
  return (globalThis as Record<symbol, KernelBridge | undefined>)[BRIDGE];
}

/** True while the code runs inside the Sciforge kernel. */
export function inKernel(): boolean {
  return kernelBridge() !== undefined;
}

/** The kernel's running (or last run) cell; undefined outside a kernel and before the first cell. */
export function currentCell(): KernelCell | undefined {
  return kernelBridge()?.cell;
}

/** Lends the running kernel these hooks (later registrations replace earlier ones); outside a kernel, nothing happens. */
export function registerKernelHooks(hooks: KernelHooks): void {
  const target = kernelBridge()?.hooks;
  if (target) Object.assign(target, hooks);
}

export interface DisplayOptions {
  /** Name this display so later `update`s replace it in place. */
  displayId?: string;
  /** Per-MIME metadata, e.g. `{ "image/png": { width: 300 } }`. */
  metadata?: Record<string, unknown>;
}

/**
 * A rich display for values of a type Sciforge does not own (e.g. a Polars DataFrame), like
 * IPython's type formatters. Registered formatters live on globalThis so that the kernel's own
 * copy of this module and the library's copy share them.
 */
export interface Formatter {
  /** Unique name; registering the same name again replaces the earlier formatter. */
  name: string;
  test(value: object): boolean;
  bundle(value: object): MimeBundle;
}

const FORMATTERS = Symbol.for("sciforge.formatters");

function formatters(): Formatter[] {
  const g = globalThis as Record<symbol, Formatter[] | undefined>;
  return (g[FORMATTERS] ??= []);
}

/** Makes values that pass `test` display with `bundle` (in cells' results and in `display`). */
export function registerFormatter(formatter: Formatter): void {
  const list = formatters();
  const i = list.findIndex((f) => f.name === formatter.name);
  if (i >= 0) list[i] = formatter;
  else list.push(formatter);
}

/** Builds a MIME bundle for any value: its REPR method, a registered formatter, or a text/plain rendering. */
export function mimeBundleOf(value: unknown): MimeBundle {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const repr = (value as Partial<Reprable>)[REPR];
    if (typeof repr === "function") {
      const bundle = repr.call(value);
      if (!(MIME.text in bundle)) return { ...bundle, [MIME.text]: inspect(value, { depth: 2 }) };
      return bundle;
    }
    for (const f of formatters()) {
      if (f.test(value)) return f.bundle(value);
    }
  }
  if (typeof value === "string") return { [MIME.text]: value };
  return { [MIME.text]: inspect(value, { depth: 4, maxArrayLength: 50, breakLength: 100 }) };
}

/** A marker for a raw MIME bundle passed to display() (rather than a value to render). */
export function bundle(data: MimeBundle): Reprable {
  return { [REPR]: () => data };
}

/** Marks display handles (shared by every copy of this module, like the bridge). */
const DISPLAY_HANDLE = Symbol.for("sciforge.display-handle");

/** Whether `value` is a {@link DisplayHandle} (from any copy of the library). */
export function isDisplayHandle(value: unknown): value is DisplayHandle {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[DISPLAY_HANDLE] === true;
}

/** A handle to a display that can be updated in place. */
export class DisplayHandle {
  constructor(readonly displayId: string) {}
  get [DISPLAY_HANDLE](): true {
    return true;
  }
  /** Replaces the display's content everywhere it is shown. */
  update(value: unknown, options: Omit<DisplayOptions, "displayId"> = {}): void {
    emit(mimeBundleOf(value), options.metadata ?? {}, this.displayId, true);
  }
}

function emit(data: MimeBundle, metadata: Record<string, unknown>, displayId: string | undefined, update: boolean) {
  const bridge = kernelBridge();
  if (bridge) {
    bridge.display(data, metadata, displayId, update);
  } else if (!update) {
    const text = data[MIME.text];
    process.stdout.write((typeof text === "string" ? text : JSON.stringify(text)) + "\n");
  }
}

/**
 * Shows a value in the notebook. Returns a handle whose `update()` replaces it in place.
 * `display(html("<b>hi</b>"))`, `display(df)`, `display(bundle({ "text/csv": "a,b" }))`.
 */
export function display(value: unknown, options: DisplayOptions = {}): DisplayHandle {
  const id = options.displayId ?? randomUUID();
  emit(mimeBundleOf(value), options.metadata ?? {}, id, false);
  return new DisplayHandle(id);
}

/** Convenience constructors for common MIME types. */
export const html = (s: string): Reprable => bundle({ [MIME.html]: s, [MIME.text]: stripTags(s) });
export const markdown = (s: string): Reprable => bundle({ [MIME.markdown]: s, [MIME.text]: s });
export const svg = (s: string): Reprable => bundle({ [MIME.svg]: s, [MIME.text]: "<svg image>" });
export const png = (b: Uint8Array): Reprable =>
  bundle({ [MIME.png]: Buffer.from(b).toString("base64"), [MIME.text]: "<png image>" });
export const json = (v: unknown): Reprable => bundle({ [MIME.json]: v, [MIME.text]: JSON.stringify(v, null, 2) });

function stripTags(s: string): string {
  return s.replace(/<[^>]*>/g, "").trim() || "<html>";
}

/**
 * Clears the output of the running cell (Jupyter's `clear_output`). With `wait: true` the front
 * end clears it only when the next output arrives (no flicker in a loop that redraws).
 */
export function clearOutput(options: { wait?: boolean } = {}): void {
  kernelBridge()?.clearOutput?.(options.wait ?? false);
}

/** Reads a line from the user through the notebook front end (Jupyter's stdin channel). */
export async function input(prompt = "", options: { password?: boolean } = {}): Promise<string> {
  const bridge = kernelBridge();
  if (!bridge) throw new Error("input(): no Sciforge kernel is running this code, so there is no front end to ask");
  return bridge.input(prompt, options.password ?? false);
}

/** True once the user interrupted the running cell; long loops check it to stop cleanly. */
export function interruptRequested(): boolean {
  return kernelBridge()?.interrupted ?? false;
}
