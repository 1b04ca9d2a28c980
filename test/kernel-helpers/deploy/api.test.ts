import { test } from "node:test";
import assert from "node:assert/strict";
import * as sciforge from "../../../kernel-helpers/lib/index";

test('the deploy names the issue asks for are exported from "sciforge"', () => {
  for (const name of ["prune", "quantize", "saveBundle", "loadBundle", "serve", "predict", "retrain", "track", "startRun", "createBundle", "compressionReport", "gridSearch", "randomSearch", "successiveHalving", "dataHash"]) {
    assert.equal(typeof (sciforge as Record<string, unknown>)[name], "function", name);
  }
  assert.equal(typeof sciforge.runs.compare, "function");
  assert.equal(typeof sciforge.runs.list, "function");
  assert.equal(typeof sciforge.hp.choice, "function");
  assert.equal(typeof sciforge.feedback.record, "function");
  assert.equal(typeof sciforge.feedback.list, "function");
});
