/**
 * The JSON payloads Sciforge displays carry under its own MIME types (lib/display/mime.ts), and the
 * display metadata it reports state through: one definition shared by the library modules that
 * produce them and by the notebook renderers / extension host that read them. Type-only: the
 * extension imports it with `import type`, so no library code enters a renderer bundle.
 * (Dependencies point one way: extension → kernel-helpers.)
 */
import type { MIME } from "./display/mime";
import type { MetricsReport } from "./metrics/metrics-report";
import type { DataProfilePayload } from "./data/profile/types";
import type { BackendReport } from "./train/backend/types";
import type { PlotlyFigure } from "./plot/plotly";
import type { TrainingPayload, TrainingEpoch } from "./train/callbacks/progress";
import type { ImageGridItem, ImageGridPayload } from "./plot/figures/image-grid";

// Each payload is defined once, by the module that produces it; this index names them for the
// front ends. Nothing in the library imports this file (it sits above every area).
export type { TrainingPayload, TrainingEpoch, ImageGridItem, ImageGridPayload };
export type { BackendStatus, SciforgeDisplayMetadata, DisplayMetadata } from "./display/mime";
export type { MetricsReport as MetricsReportPayload, DataProfilePayload, BackendReport as BackendPayload, PlotlyFigure as PlotlyPayload };

/** MIME type → its payload. */
export interface SciforgePayloads {
  [MIME.training]: TrainingPayload;
  [MIME.metricsReport]: MetricsReport;
  [MIME.dataProfile]: DataProfilePayload;
  [MIME.imageGrid]: ImageGridPayload;
  [MIME.backend]: BackendReport;
  [MIME.plotly]: PlotlyFigure;
}

