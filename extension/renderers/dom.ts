/**
 * DOM helpers shared by the renderers. Payload strings only ever go through textContent or
 * attribute values checked here (never the HTML parser), so data cannot run script in the webview.
 */
import type { ActivationFunction } from "./api";

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: unknown, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

export function fmt(v: unknown, digits = 4): string {
  if (typeof v !== "number") return v === undefined || v === null ? "" : String(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toPrecision(digits).replace(/(\.\d*?[1-9])0+$|\.0+$/, "$1");
}

/** Adds a stylesheet once per renderer (theme colours come from VS Code's CSS variables). */
export function ensureStyle(id: string, css: string): void {
  if (document.getElementById(id)) return;
  const s = document.createElement("style");
  s.id = id;
  s.textContent = css;
  document.head.appendChild(s);
}

export const BASE_CSS = `
.sciforge-out{font-family:var(--vscode-font-family,system-ui,sans-serif);font-size:var(--vscode-font-size,13px);color:var(--vscode-editor-foreground,inherit);padding:4px 0}
.sciforge-out table{border-collapse:collapse;margin:6px 0}
.sciforge-out th,.sciforge-out td{padding:2px 10px;border-bottom:1px solid var(--vscode-editorWidget-border,rgba(128,128,128,.35));text-align:right;font-variant-numeric:tabular-nums}
.sciforge-out th:first-child,.sciforge-out td:first-child{text-align:left}
.sciforge-out .muted{color:var(--vscode-descriptionForeground,#888)}
.sciforge-out .title{font-weight:600;margin:4px 0}
.sciforge-out .error{color:var(--vscode-errorForeground,#f14c4c)}
.sciforge-out .ok{color:var(--vscode-testing-iconPassed,#73c991)}
.sciforge-out .bar{height:8px;border-radius:4px;background:var(--vscode-editorWidget-background,rgba(128,128,128,.2));overflow:hidden;margin:6px 0;max-width:640px}
.sciforge-out .bar>div{height:100%;background:var(--vscode-progressBar-background,#0e70c0)}
`;

/** A renderer error shown in place of the output (as text). */
export function renderError(element: HTMLElement, what: string, e: unknown): void {
  element.replaceChildren(el("div", `${what}: ${(e as Error)?.message ?? String(e)}`, "sciforge-out error"));
}

/** Reads a CSS variable of the webview (the editor theme), with a fallback. */
export function themeVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A payload as it arrives: the field names of its shared type (lib/payloads.ts, so a
 * renamed field breaks the build), each value still unknown until checked (JSON from any kernel).
 */
export type Incoming<P> = { readonly [K in keyof P]?: unknown };

/** `v` as an {@link Incoming} payload, or an error naming `what` when it is no object. */
export function incoming<P>(v: unknown, what: string): Incoming<P> {
  if (!isRecord(v)) throw new Error(`${what} is not an object`);
  return v;
}

/**
 * The activation of a renderer that draws one JSON payload: base and own styles once, then
 * `render(payload, element)` per output, with a readable error in place of a broken output.
 */
export function jsonRenderer(styleId: string, css: string, what: string, render: (payload: unknown, element: HTMLElement) => void): ActivationFunction {
  return () => {
    ensureStyle("sciforge-base", BASE_CSS);
    ensureStyle(styleId, css);
    return {
      renderOutputItem(item, element) {
        try {
          render(item.json(), element);
        } catch (e) {
          renderError(element, what, e);
        }
      },
    };
  };
}
