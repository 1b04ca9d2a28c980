/**
 * The MIME types Sciforge outputs carry. One module shared by the kernel helpers (which emit
 * them) and the renderers in extension/renderers (which draw them), so both sides agree.
 * Every Sciforge display also carries a standard fallback (text/plain, and an SVG/PNG or HTML
 * where a picture matters) so that JupyterLab, GitHub and nbconvert show something useful.
 */
export const MIME = {
  text: "text/plain",
  html: "text/html",
  markdown: "text/markdown",
  svg: "image/svg+xml",
  png: "image/png",
  jpeg: "image/jpeg",
  json: "application/json",
  /** Standard plotly figure `{ data, layout, config? }`: JupyterLab and VS Code draw it natively. */
  plotly: "application/vnd.plotly.v1+json",
  /** Live training progress (epochs, batches, metrics), updated in place by display_id. */
  training: "application/vnd.sciforge.training+json",
  /** Classification / regression report with confusion matrix. */
  metricsReport: "application/vnd.sciforge.metrics-report+json",
  /** Per-column data profile. */
  dataProfile: "application/vnd.sciforge.data-profile+json",
  /** Grid of images with predicted / true labels. */
  imageGrid: "application/vnd.sciforge.image-grid+json",
  /** Which compute backend was chosen and why the others were skipped. */
  backend: "application/vnd.sciforge.backend+json",
} as const;

/** The key of Sciforge's part of a display's metadata (SciforgeDisplayMetadata, below). */
export const SCIFORGE_METADATA_KEY = "sciforge";

export type MimeType = (typeof MIME)[keyof typeof MIME] | (string & {});

/** A Jupyter MIME bundle: MIME type → data (a string, or a JSON value for `+json` types). */
export type MimeBundle = Record<string, unknown>;

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
