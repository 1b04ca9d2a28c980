/** The `feedback` helper: record and list corrections without going through the HTTP service. */
import type { Bundle } from "../bundle/bundle";
import { openTracking } from "../../track/db";
import { listFeedback, recordFeedback, type FeedbackInput, type FeedbackRecord } from "./store";

/** Corrections of a deployed model, stored in the tracking database. */
export const feedback = {
  /** Records one or more corrections for `bundle`; returns their ids. */
  record(bundle: Bundle, items: FeedbackInput | FeedbackInput[], options: { db?: string } = {}): number[] {
    return recordFeedback(openTracking(options.db), bundle, Array.isArray(items) ? items : [items]);
  },
  /** Corrections for a model (unused by any retrain unless `includeUsed`). */
  list(bundle: Bundle | string, options: { db?: string; includeUsed?: boolean } = {}): FeedbackRecord[] {
    return listFeedback(openTracking(options.db), typeof bundle === "string" ? bundle : bundle.name, options);
  },
};
