/**
 * Terminal text (stream outputs, tracebacks) to HTML. The escape codes are read by anser: each
 * run of text gets exactly the attributes in force for it, so `\x1b[31mred\x1b[39m plain`
 * colours only "red". The 16 named colours become classes (`ansi-red-fg`, `ansi-bright-red-bg`,
 * as Jupyter names them, coloured for a light page by the export's stylesheet); the 256-colour
 * palette and 24-bit colours become inline `rgb()`; bold, dim, italic, underline,
 * strikethrough and inverse are kept. Carriage returns overwrite the line as a terminal would
 * (progress bars keep their last state); other escape sequences (cursor moves, OSC hyperlinks)
 * are dropped.
 */
import Anser from "anser";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const NAMED = /^ansi-(bright-)?(black|red|green|yellow|blue|magenta|cyan|white)$/;

/** xterm's 256-colour palette entry `n` (16..255) as "r, g, b". */
function palette(n: number): string {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `${v}, ${v}, ${v}`;
  }
  const levels = [0, 95, 135, 175, 215, 255];
  const i = n - 16;
  return [Math.floor(i / 36), Math.floor(i / 6) % 6, i % 6].map((k) => levels[k]).join(", ");
}

/** One colour as anser reports it (class-style name, or "ansi-truecolor" with its rgb) → a class or a CSS colour. */
function colour(name: string | null, truecolor: string | null): { cls?: string; css?: string } {
  if (!name) return {};
  if (NAMED.test(name)) return { cls: name };
  if (name === "ansi-truecolor" && truecolor) return { css: `rgb(${truecolor})` };
  const m = /^ansi-palette-(\d+)$/.exec(name);
  if (m) return { css: `rgb(${palette(Number(m[1]))})` };
  return {};
}

/**
 * Carriage returns within a line: the line shows what follows the last `\r` (a progress bar's
 * last state); the colour codes of what it replaced still apply.
 */
function carriageReturns(text: string): string {
  if (!text.includes("\r")) return text;
  return text
    .replace(/\r+\n/g, "\n")
    .split("\n")
    .map((line) => {
      const at = line.lastIndexOf("\r");
      if (at < 0) return line;
      return (line.slice(0, at).match(/\u001b\[[0-9;]*m/g) ?? []).join("") + line.slice(at + 1);
    })
    .join("\n");
}

export function ansiToHtml(text: string): string {
  const chunks = Anser.ansiToJson(carriageReturns(text), { use_classes: true, remove_empty: true });
  let out = "";
  for (const c of chunks as Array<(typeof chunks)[number] & { isInverted?: boolean }>) {
    const content = escapeHtml(c.content.replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?|\u001b\[[0-?]*[ -/]*[@-~]|\u001b./g, ""));
    if (!content) continue;
    // anser's truecolor fields outlive a reset: they count only when the colour says "truecolor"
    let fg = colour(c.fg, c.fg === "ansi-truecolor" ? c.fg_truecolor : null);
    let bg = colour(c.bg, c.bg === "ansi-truecolor" ? c.bg_truecolor : null);
    const classes: string[] = [];
    const styles: string[] = [];
    if (c.isInverted) {
      // anser swaps for a dark terminal (default fg white, bg black); on this light page an
      // inverse run is light text on dark ground unless the run has colours of its own
      const origFg = c.bg === "ansi-white" ? {} : bg;
      const origBg = c.fg === "ansi-black" ? {} : fg;
      fg = origBg.cls || origBg.css ? origBg : { cls: "ansi-inverse-fg" };
      bg = origFg.cls || origFg.css ? origFg : { cls: "ansi-inverse-bg" };
    }
    if (fg.cls) classes.push(fg.cls.endsWith("-fg") ? fg.cls : `${fg.cls}-fg`);
    if (fg.css) styles.push(`color:${fg.css}`);
    if (bg.cls) classes.push(bg.cls.endsWith("-bg") ? bg.cls : `${bg.cls}-bg`);
    if (bg.css) styles.push(`background-color:${bg.css}`);
    const deco = new Set(c.decorations ?? []);
    if (deco.has("bold")) classes.push("ansi-bold");
    if (deco.has("dim")) classes.push("ansi-dim");
    if (deco.has("italic")) classes.push("ansi-italic");
    const lines = [deco.has("underline") ? "underline" : "", deco.has("strikethrough") ? "line-through" : ""].filter(Boolean);
    if (lines.length) styles.push(`text-decoration:${lines.join(" ")}`);
    if (deco.has("hidden")) styles.push("visibility:hidden");
    if (!classes.length && !styles.length) {
      out += content;
      continue;
    }
    out += `<span${classes.length ? ` class="${classes.join(" ")}"` : ""}${styles.length ? ` style="${styles.join(";")}"` : ""}>${content}</span>`;
  }
  return out;
}

/** CSS for the classes {@link ansiToHtml} writes (Jupyter's colours, readable on white). */
export const ANSI_CSS = (() => {
  const colours: Record<string, [string, string]> = {
    black: ["#3e424d", "#282c36"],
    red: ["#e75c58", "#b22b31"],
    green: ["#00a250", "#007427"],
    yellow: ["#ddb62b", "#b27d12"],
    blue: ["#208ffb", "#0065ca"],
    magenta: ["#d160c4", "#a03196"],
    cyan: ["#60c6c8", "#258f8f"],
    white: ["#c5c1b4", "#a1a6b2"],
  };
  const rules = Object.entries(colours).flatMap(([name, [normal, bright]]) => [
    `.ansi-${name}-fg{color:${normal}}.ansi-${name}-bg{background-color:${normal}}`,
    `.ansi-bright-${name}-fg{color:${bright}}.ansi-bright-${name}-bg{background-color:${bright}}`,
  ]);
  return [...rules, ".ansi-bold{font-weight:bold}.ansi-dim{opacity:.7}.ansi-italic{font-style:italic}.ansi-inverse-fg{color:#fff}.ansi-inverse-bg{background-color:#1f2328}"].join("\n");
})();

export function stripAnsi(text: string): string {
  return text.replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?|\u001b\[[0-?]*[ -/]*[@-~]|\u001b./g, "");
}
