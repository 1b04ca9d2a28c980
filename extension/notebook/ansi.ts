/** ANSI SGR colour codes (as in tracebacks) to HTML spans; everything else escaped. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const COLORS = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

export function ansiToHtml(text: string): string {
  let open = 0;
  let out = "";
  const re = /\u001b\[([0-9;]*)m/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out += escapeHtml(text.slice(last, m.index));
    last = re.lastIndex;
    for (const code of (m[1] || "0").split(";").map(Number)) {
      if (code === 0) {
        out += "</span>".repeat(open);
        open = 0;
      } else if (code === 1) {
        out += '<span class="ansi-bold">';
        open++;
      } else if (code >= 30 && code <= 37) {
        out += `<span class="ansi-${COLORS[code - 30]}">`;
        open++;
      }
    }
  }
  return out + escapeHtml(text.slice(last)) + "</span>".repeat(open);
}

export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}
