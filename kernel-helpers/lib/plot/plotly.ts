/** The plotly figure format (the subset Sciforge builds and converts; other keys pass through). */

/** One plotly trace: `{ type: "scatter", x, y, mode, name, ... }`. */
export interface PlotlyTrace {
  type?: string;
  name?: string;
  x?: readonly (number | string)[];
  y?: readonly (number | string)[];
  z?: readonly (readonly (number | null)[])[];
  text?: readonly (readonly string[])[] | readonly string[] | string;
  mode?: string;
  orientation?: "v" | "h";
  xaxis?: string;
  yaxis?: string;
  line?: { color?: string; dash?: string; shape?: string; width?: number };
  marker?: { color?: string; size?: number; opacity?: number };
  colorscale?: string | unknown[];
  /** Runs the colour scale the other way round. */
  reversescale?: boolean;
  /** Centre of a diverging colour scale. */
  zmid?: number;
  nbinsx?: number;
  showlegend?: boolean;
  [key: string]: unknown;
}

/** A plotly axis (only the parts the static renderer reads are typed). */
export interface PlotlyAxis {
  title?: { text?: string } | string;
  range?: [number, number];
  type?: "linear" | "log" | "category" | string;
  domain?: [number, number];
  anchor?: string;
  autorange?: boolean | "reversed";
  [key: string]: unknown;
}

/** A plotly layout. */
export interface PlotlyLayout {
  title?: { text?: string } | string;
  width?: number;
  height?: number;
  barmode?: "group" | "stack" | "overlay" | string;
  [key: string]: unknown;
}

/** A standard plotly figure `{ data, layout, config }` (MIME application/vnd.plotly.v1+json). */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout?: PlotlyLayout;
  config?: Record<string, unknown>;
  frames?: unknown[];
}

/** The text of a plotly title (string or `{ text }`). */
export function titleText(t: PlotlyLayout["title"] | PlotlyAxis["title"]): string | undefined {
  if (t === undefined) return undefined;
  return typeof t === "string" ? t : t.text;
}
