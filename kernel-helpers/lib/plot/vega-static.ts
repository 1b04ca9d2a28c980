/**
 * Static pictures of figures: Vega-Lite spec → Vega → SVG (headless, no canvas) → PNG by sharp.
 * vega and vega-lite are ESM-only packages with top-level await, so they are loaded with a real
 * dynamic import at first use (kept out of the CommonJS bundle); sharp is loaded lazily too, so
 * importing "sciforge" stays cheap.
 */

/** A Vega-Lite specification (a plain JSON object). */
export type VegaLiteSpec = Record<string, unknown>;

/** The rendered static picture of a figure. */
export interface StaticImage {
  svg: string;
  png: Buffer;
  /** PNG size in pixels. */
  width: number;
  height: number;
}

interface VegaModule {
  View: new (runtime: unknown, options: { renderer: string }) => { toSVG(scale?: number): Promise<string>; finalize(): void };
  parse(spec: unknown): unknown;
}
interface VegaLiteModule {
  compile(spec: unknown): { spec: unknown };
}
type Sharp = typeof import("sharp");

// A specifier in a variable keeps bundlers from inlining these ESM-only packages.
const importModule = (specifier: string): Promise<unknown> => import(specifier);
let modules: Promise<{ vega: VegaModule; vl: VegaLiteModule }> | undefined;
let sharpModule: Promise<Sharp> | undefined;

function loadVega() {
  modules ??= Promise.all([importModule(["vega"][0]), importModule(["vega-lite"][0])]).then(([vega, vl]) => ({
    vega: vega as VegaModule,
    vl: vl as VegaLiteModule,
  }));
  return modules;
}

function loadSharp(): Promise<Sharp> {
  sharpModule ??= importModule(["sharp"][0]).then((m) => ((m as { default?: Sharp }).default ?? (m as Sharp)) as Sharp);
  return sharpModule;
}

/** Renders a Vega-Lite spec to an SVG string (white background unless the spec sets one). */
export async function vegaLiteToSvg(spec: VegaLiteSpec): Promise<string> {
  const { vega, vl } = await loadVega();
  const compiled = vl.compile({ background: "white", ...spec }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG to PNG with sharp; density 144 gives a 2× image for sharp text. */
export async function svgToPng(svg: string, density = 144): Promise<{ png: Buffer; width: number; height: number }> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(Buffer.from(svg), { density }).png().toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}

/** Renders a Vega-Lite spec to SVG and PNG. */
export async function renderVegaLite(spec: VegaLiteSpec): Promise<StaticImage> {
  const svg = await vegaLiteToSvg(spec);
  const { png, width, height } = await svgToPng(svg);
  return { svg, png, width, height };
}

/** sharp, loaded on first use (for image grids). */
export function sharpLib(): Promise<Sharp> {
  return loadSharp();
}
