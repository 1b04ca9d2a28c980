/** Image grid (MIME.imageGrid): tiles with predicted / true labels, green when right, red when wrong. */
import { el, incoming, isRecord, jsonRenderer, type Incoming } from "./dom";
import type { ImageGridItem, ImageGridPayload } from "../../kernel-helpers/lib/payloads";

const CSS = `
.sciforge-grid .tiles{display:grid;gap:6px}
.sciforge-grid figure{margin:0;text-align:center;font-size:11px}
.sciforge-grid figcaption{max-width:12em;margin:0 auto;overflow-wrap:anywhere}
.sciforge-grid img{image-rendering:pixelated;display:block;margin:0 auto;border:2px solid transparent;border-radius:3px}
.sciforge-grid figure.right img{border-color:var(--vscode-testing-iconPassed,#73c991)}
.sciforge-grid figure.wrong img{border-color:var(--vscode-testing-iconFailed,#f14c4c)}
`;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function renderGrid(payload: unknown, element: HTMLElement): void {
  const p = incoming<ImageGridPayload>(payload, "image grid payload");
  if (!Array.isArray(p.images)) throw new Error("image grid payload has no images");
  const root = el("div", undefined, "sciforge-out sciforge-grid");
  const shown = p.images.length;
  const total = typeof p.total === "number" ? p.total : shown;
  root.appendChild(el("div", `${typeof p.title === "string" ? p.title + " · " : ""}${shown}${total > shown ? ` of ${total}` : ""} images`, "title"));
  const tiles = el("div", undefined, "tiles");
  const columns = Math.max(1, Math.min(16, Number(p.columns) || 8));
  tiles.style.gridTemplateColumns = `repeat(${columns}, max-content)`;
  for (const img of p.images.filter(isRecord).map((i): Incoming<ImageGridItem> => i)) {
    const fig = el("figure");
    if (img.correct === true) fig.className = "right";
    if (img.correct === false) fig.className = "wrong";
    const png = typeof img.png === "string" ? img.png.replace(/\s/g, "") : "";
    if (BASE64.test(png)) {
      const i = el("img");
      i.src = `data:image/png;base64,${png}`;
      if (typeof img.width === "number") i.width = img.width;
      if (typeof img.height === "number") i.height = img.height;
      i.alt = String(img.actual ?? img.predicted ?? "image");
      fig.appendChild(i);
    }
    const caption = el("figcaption");
    if (img.predicted !== undefined) caption.appendChild(el("div", `pred ${String(img.predicted)}`));
    if (img.actual !== undefined) caption.appendChild(el("div", `true ${String(img.actual)}`, "muted"));
    fig.appendChild(caption);
    tiles.appendChild(fig);
  }
  root.appendChild(tiles);
  element.replaceChildren(root);
}

export const activate = jsonRenderer("sciforge-grid", CSS, "image grid", renderGrid);
