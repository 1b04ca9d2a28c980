/** Live leaderboard of a hyper-parameter search, updated in place in the notebook. */
import { display, REPR, type DisplayHandle } from "../display/display";
import { MIME, type MimeBundle } from "../display/mime";
import { htmlTable, textTable } from "../track/html";
import type { Trial } from "./types";

function ranked(trials: Trial[], direction: "max" | "min"): Trial[] {
  const sign = direction === "max" ? -1 : 1;
  return [...trials].sort((a, b) => (a.score === undefined ? 1 : b.score === undefined ? -1 : sign * (a.score - b.score)));
}

/** MIME bundle of a leaderboard (html table ranked by score, text fallback). */
export function leaderboardBundle(title: string, trials: Trial[], direction: "max" | "min", note = ""): MimeBundle {
  const keys = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  const columns = ["rank", "trial", ...keys, "budget", "score", "status", "seconds"];
  const rows = ranked(trials, direction).map((t, i) => ({ rank: i + 1, trial: t.index, ...t.params, budget: t.budget ?? "", score: t.score, status: t.status, seconds: t.seconds }));
  const head = `${title}: ${trials.length} trial${trials.length === 1 ? "" : "s"}${note ? ` — ${note}` : ""}`;
  return { [MIME.html]: `<div><b>${head.replace(/[&<>]/g, "")}</b>${htmlTable(columns, rows)}</div>`, [MIME.text]: `${head}\n${textTable(columns, rows)}` };
}

/** A leaderboard display: `show` creates it, `update` refreshes it in place. */
export class Leaderboard {
  private handle: DisplayHandle | undefined;
  constructor(
    readonly title: string,
    readonly direction: "max" | "min",
    private readonly enabled: boolean,
  ) {}

  update(trials: Trial[], note = ""): void {
    if (!this.enabled) return;
    const data = leaderboardBundle(this.title, trials, this.direction, note);
    const value = { [REPR]: () => data };
    if (!this.handle) this.handle = display(value);
    else this.handle.update(value);
  }
}
