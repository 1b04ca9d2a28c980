/**
 * The JSON payloads Sciforge displays carry under its own MIME types (lib/display/mime.ts), and the
 * display metadata it reports state through: one definition shared by the library modules that
 * produce them and by the notebook renderers / extension host that read them. Type-only: the
 * extension imports it with `import type`, so no library code enters a renderer bundle.
 * (Dependencies point one way: extension → kernel-helpers.)
 */
import type { MIME, SCIFORGE_METADATA_KEY } from "./mime";
import type { MetricsReport } from "../metrics/metrics-report";
import type { DataProfilePayload } from "../data/profile/types";
import type { BackendReport } from "../train/backend/types";
import type { PlotlyFigure } from "../plot/plotly";

// Defined where the producing module already keeps them (one definition each), re-exported here.
export type { MetricsReport as MetricsReportPayload, DataProfilePayload, BackendReport as BackendPayload, PlotlyFigure as PlotlyPayload };

/** One completed epoch of a {@link TrainingPayload}: metric name → value, plus its timing. */
export interface TrainingEpoch {
  epoch: number;
  seconds: number;
  /** Training samples per second over the epoch. */
  samplesPerSec: number;
  [metric: string]: number;
}

/** Payload of the MIME.training ("application/vnd.sciforge.training+json") display, updated in place. */
export interface TrainingPayload {
  status: "running" | "done" | "stopped";
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** Running means of the current epoch (loss, acc, lr…). */
  logs: Record<string, number>;
  /** Completed epochs. */
  history: TrainingEpoch[];
  samplesPerSec: number;
  etaSeconds: number;
  elapsedSeconds: number;
  backend: string;
  /** Why training stopped early, when it did. */
  message?: string;
}

/** One tile of the MIME.imageGrid payload. */
export interface ImageGridItem {
  /** Base64 PNG of the image at its tile size. */
  png: string;
  width: number;
  height: number;
  predicted?: string;
  actual?: string;
  /** predicted === actual, when both are known. */
  correct?: boolean;
}

/** The MIME.imageGrid ("application/vnd.sciforge.image-grid+json") payload. */
export interface ImageGridPayload {
  title?: string;
  columns: number;
  /** Images in the input before `max` was applied. */
  total: number;
  images: ImageGridItem[];
}

/** MIME type → its payload. */
export interface SciforgePayloads {
  [MIME.training]: TrainingPayload;
  [MIME.metricsReport]: MetricsReport;
  [MIME.dataProfile]: DataProfilePayload;
  [MIME.imageGrid]: ImageGridPayload;
  [MIME.backend]: BackendReport;
  [MIME.plotly]: PlotlyFigure;
}

/**
 * The compute backend in use, as the library reports it to the front end: the display of a
 * backend choice carries it in its metadata under {@link SCIFORGE_METADATA_KEY}, so a front end
 * (VS Code's status bar) reads state from a field meant for it, not from a payload meant for a renderer.
 */
export interface BackendStatus {
  /** The rung in use ("webgpu", "wasm"…). */
  name: string;
  /** The device (CPU model, or the adapter's name). */
  device: string;
  /** The WebGPU adapter when the webgpu rung runs on one. */
  adapter?: { device: string; description: string; vendor: string };
}

/** What Sciforge puts in a display's metadata under {@link SCIFORGE_METADATA_KEY}. */
export interface SciforgeDisplayMetadata {
  /** Set on the display of a backend choice that left a backend in use. */
  backend?: BackendStatus;
}

/** A display's metadata with Sciforge's part typed. */
export type DisplayMetadata = { [SCIFORGE_METADATA_KEY]?: SciforgeDisplayMetadata } & Record<string, unknown>;
