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

/** The key of Sciforge's part of a display's metadata (lib/display/payloads.ts: SciforgeDisplayMetadata). */
export const SCIFORGE_METADATA_KEY = "sciforge";

export type MimeType = (typeof MIME)[keyof typeof MIME] | (string & {});

/** A Jupyter MIME bundle: MIME type → data (a string, or a JSON value for `+json` types). */
export type MimeBundle = Record<string, unknown>;
