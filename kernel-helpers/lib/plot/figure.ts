/**
 * A figure ready for the notebook: the plotly spec (drawn natively by JupyterLab / VS Code)
 * plus static fallbacks (SVG and PNG rendered by Vega, and text/plain) so a saved .ipynb
 * shows the picture anywhere (GitHub, nbconvert, any Jupyter).
 */
import { REPR, type Reprable } from "../display/display";
import { MIME, type MimeBundle } from "../display/mime";
import type { PlotlyFigure } from "./plotly";
import { UnsupportedFigureError, plotlyToVegaLite } from "./plotly-to-vega-lite";
import { type StaticImage, type VegaLiteSpec, renderVegaLite } from "./vega-static";

/** Options every figure function accepts. */
export interface FigureOptions {
  /** Render the static SVG/PNG fallbacks (default true; ~50–250 ms). false sends plotly + text only, for fast live updates. */
  static?: boolean;
  /** Figure title. */
  title?: string;
  /** Size in CSS pixels. */
  width?: number;
  height?: number;
}

/**
 * A displayable figure: `display(fig)` shows it; `handle.update(fig2)` replaces it in place.
 * `fig.bundle` is the MIME bundle (plotly JSON, image/svg+xml, image/png, text/plain).
 */
export class Figure implements Reprable {
  constructor(
    /** The plotly figure. */
    readonly plotly: PlotlyFigure,
    /** The complete MIME bundle sent to the notebook. */
    readonly bundle: MimeBundle,
    /** The static picture, when one was rendered. */
    readonly image?: StaticImage,
    /** The Vega-Lite spec the static picture was drawn from. */
    readonly vegaLite?: VegaLiteSpec,
  ) {}

  [REPR](): MimeBundle {
    return this.bundle;
  }

  /** The PNG fallback (undefined when none was rendered). */
  get png(): Buffer | undefined {
    return this.image?.png;
  }

  /** The SVG fallback (undefined when none was rendered). */
  get svg(): string | undefined {
    return this.image?.svg;
  }
}

/** A one-paragraph text/plain description of a plotly figure. */
export function describeFigure(fig: PlotlyFigure): string {
  const title = typeof fig.layout?.title === "string" ? fig.layout.title : fig.layout?.title?.text;
  const traces = fig.data.map((t, i) => {
    const n = t.type === "heatmap" ? `${t.z?.length ?? 0}×${t.z?.[0]?.length ?? 0}` : `${(t.y ?? t.x ?? []).length} points`;
    return `  - ${t.name ?? `trace ${i}`} (${t.type ?? "scatter"}, ${n})`;
  });
  return [`<Figure${title ? `: ${title}` : ""}>`, ...traces].join("\n");
}

/**
 * Builds a {@link Figure} from a plotly spec: renders the static fallbacks through Vega-Lite
 * (a given spec, or one translated from the plotly figure) unless `static: false`.
 * Figures whose traces cannot be translated get text/plain only as fallback.
 */
export async function makeFigure(
  plotly: PlotlyFigure,
  options: { static?: boolean; text?: string; vegaLite?: VegaLiteSpec } = {},
): Promise<Figure> {
  const text = options.text ?? describeFigure(plotly);
  const bundle: MimeBundle = { [MIME.plotly]: plotly, [MIME.text]: text };
  if (options.static === false) return new Figure(plotly, bundle);
  let spec = options.vegaLite;
  if (!spec) {
    try {
      spec = plotlyToVegaLite(plotly);
    } catch (e) {
      if (e instanceof UnsupportedFigureError) return new Figure(plotly, bundle);
      throw e;
    }
  }
  const image = await renderVegaLite(spec);
  bundle[MIME.svg] = image.svg;
  bundle[MIME.png] = image.png.toString("base64");
  return new Figure(plotly, bundle, image, spec);
}

/** Layout defaults shared by Sciforge figures. */
export function baseLayout(options: FigureOptions, title: string): Record<string, unknown> {
  return {
    title: { text: options.title ?? title },
    width: options.width ?? 520,
    height: options.height ?? 420,
    template: "plotly_white",
    margin: { t: 50, l: 60, r: 20, b: 50 },
  };
}
