/**
 * A run card: the facts that make a notebook's numbers reproducible — seed, the SHA-256 of each
 * data file, the compute backend and device, versions, wall time and the headline results —
 * as one display (HTML table + plain text + JSON), so the executed notebook records them.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { REPR, type Reprable } from "../display/display";
import { MIME, type MimeBundle } from "../display/mime";
import { currentBackend } from "../train/backend/ladder";
import { tfjs } from "../train/tf";
import { fmt, htmlTable } from "./html";

export interface RunCardOptions {
  /** The seed every random step of the notebook used. */
  seed?: number;
  /** Data files the notebook read: a list of paths, or name → path. */
  data?: string[] | Record<string, string>;
  /** Headline results (accuracy, AUC, R², …). */
  results?: Record<string, number | string>;
  /** Parameters of this run (the notebook's parameters cell). */
  params?: Record<string, unknown>;
  /** When timing started (Date or epoch ms); default: when the kernel process started. */
  started?: Date | number;
}

export interface DataFileFacts {
  name: string;
  path: string;
  bytes: number;
  /** Full SHA-256 of the file's bytes, hex. */
  sha256: string;
}

export interface RunCardFacts {
  notebook: string | null;
  seed: number | null;
  data: DataFileFacts[];
  backend: string;
  device: string;
  versions: { node: string; tfjs: string | null };
  seconds: number;
  finished: string;
  params: Record<string, unknown>;
  results: Record<string, number | string>;
}

/** SHA-256 of a file's bytes, with its size; a missing file is named in the error. */
export function fileFacts(name: string, path: string): DataFileFacts {
  const full = resolve(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(full);
  } catch (e) {
    throw new Error(`runCard: cannot read data file "${name}" at ${full}: ${(e as Error).message}`, { cause: e });
  }
  return { name, path, bytes: statSync(full).size, sha256: createHash("sha256").update(bytes).digest("hex") };
}

function backendFacts(): { backend: string; device: string } {
  const report = currentBackend();
  if (report?.chosen) return { backend: report.chosen, device: report.device };
  try {
    const name = tfjs().getBackend();
    return { backend: name ?? "none", device: "" };
  } catch {
    return { backend: "none", device: "" };
  }
}

function tfjsVersion(): string | null {
  try {
    return tfjs().version.tfjs ?? null;
  } catch {
    return null;
  }
}

export class RunCard implements Reprable {
  constructor(readonly facts: RunCardFacts) {}

  toJSON(): RunCardFacts {
    return this.facts;
  }

  private rows(): Array<[string, string]> {
    const f = this.facts;
    const rows: Array<[string, string]> = [];
    if (f.notebook) rows.push(["notebook", f.notebook]);
    if (f.seed !== null) rows.push(["seed", String(f.seed)]);
    for (const d of f.data) rows.push([`data ${d.name}`, `sha256 ${d.sha256.slice(0, 16)} (${d.bytes} bytes)`]);
    rows.push(["backend", f.device ? `${f.backend} — ${f.device}` : f.backend]);
    rows.push(["versions", `Node ${f.versions.node}${f.versions.tfjs ? `, tfjs ${f.versions.tfjs}` : ""}`]);
    for (const [k, v] of Object.entries(f.params)) rows.push([`param ${k}`, typeof v === "string" ? v : JSON.stringify(v)]);
    rows.push(["wall time", `${f.seconds.toFixed(1)} s`]);
    for (const [k, v] of Object.entries(f.results)) rows.push([k, fmt(v)]);
    rows.push(["finished", f.finished]);
    return rows;
  }

  toString(): string {
    const rows = this.rows();
    const w = Math.max(...rows.map(([k]) => k.length));
    return ["Run card", ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`)].join("\n");
  }

  [REPR](): MimeBundle {
    const table = htmlTable(["fact", "value"], this.rows().map(([fact, value]) => ({ fact, value })), "Run card");
    return { [MIME.text]: this.toString(), [MIME.html]: `<div class="sciforge-run-card">${table}</div>`, [MIME.json]: this.facts as unknown as Record<string, unknown> };
  }
}

/**
 * Collects the facts of this run. Display it as a notebook's last cell so the executed notebook
 * states exactly which data, seed, backend and time produced its numbers.
 */
export function runCard(options: RunCardOptions = {}): RunCard {
  const data = Array.isArray(options.data) ? options.data.map((p) => fileFacts(basename(p), p)) : Object.entries(options.data ?? {}).map(([n, p]) => fileFacts(n, p));
  const startMs = options.started === undefined ? Date.now() - process.uptime() * 1000 : +options.started;
  const notebook = process.env.SCIFORGE_NOTEBOOK ? basename(process.env.SCIFORGE_NOTEBOOK) : null;
  return new RunCard({
    notebook,
    seed: options.seed ?? null,
    data,
    ...backendFacts(),
    versions: { node: process.versions.node, tfjs: tfjsVersion() },
    seconds: (Date.now() - startMs) / 1000,
    finished: new Date().toISOString(),
    params: options.params ?? {},
    results: options.results ?? {},
  });
}
