// SequenceOneHot as a TensorEncoder (what a model bundle carries): it remembers its column, names
// every row it cannot encode, and round-trips through JSON to the same encoding.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { pl, readCsv, SequenceOneHot, StandardScaler, tensorEncoderFromJSON, isTensorEncoder } from "../../../kernel-helpers/lib/data";
import { DATA } from "../../helpers/paths";

const splice = readCsv(join(DATA, "genomics", "splice.csv"));

test("SequenceOneHot remembers its column; encode(frame) equals transform; JSON round trip encodes identically", () => {
  const enc = new SequenceOneHot({ alphabet: "dna", unknown: "error", wrongLength: "error" }).fit(splice, "sequence");
  assert.ok(isTensorEncoder(enc));
  assert.deepEqual(enc.columns, ["sequence"]);
  assert.deepEqual(enc.rowShape, [60, 4]);
  const head = splice.head(50);
  // "class" is the first column: the fitted column, not the first one, is read.
  const block = enc.encode(head);
  assert.deepEqual(block.shape, [50, 60, 4]);
  assert.deepEqual(block.data, enc.transform(head, "sequence").data);
  assert.deepEqual(enc.check(head), []);
  const back = tensorEncoderFromJSON(JSON.stringify(enc.toJSON()));
  assert.ok(back instanceof SequenceOneHot);
  assert.deepEqual(back.columns, ["sequence"]);
  assert.deepEqual(back.encode(head).data, block.data);
  assert.throws(() => tensorEncoderFromJSON({ kind: "Nope" }), /unknown step kind "Nope" \(known: .*SequenceOneHot/);
  assert.throws(() => tensorEncoderFromJSON(new StandardScaler().toJSON()), /a StandardScaler is not an encoder/);
  // Fitted on an array, it reads the column of its options (or none: a bundle refuses it).
  assert.deepEqual(new SequenceOneHot({ length: 4 }).fit(["ACGT"]).columns, []);
  assert.deepEqual(new SequenceOneHot({ length: 4, column: "dna" }).fit(["ACGT"]).columns, ["dna"]);
});

test("check names each bad row and column: letters outside the alphabet, wrong lengths, missing or non-text values", () => {
  const real = splice.getColumn("sequence").get(0) as string;
  const enc = new SequenceOneHot({ alphabet: "dna", unknown: "error", wrongLength: "error" }).fit(splice, "sequence");
  const bad = pl.DataFrame({
    id: [1, 2, 3, 4, 5],
    sequence: [real, real.slice(0, 11) + "N" + real.slice(12), real.slice(1), real.toLowerCase(), null],
  });
  const problems = enc.check(bad);
  assert.deepEqual(problems, [
    'row 1, column "sequence": letter "N" at position 12 is not in the alphabet "ACGT"',
    'row 2, column "sequence": 59 letters, expected 60',
    'row 4, column "sequence": missing sequence',
  ]);
  assert.throws(() => enc.encode(bad), /letter "N" at position 12 of sequence 1/);
  assert.throws(() => enc.encode(bad.slice(2, 1)), /sequence 0 has 59 letters, expected 60/);
  assert.deepEqual(enc.encode(bad.slice(3, 1)).data, enc.encode(bad.slice(0, 1)).data, "case-insensitive by default");
  // The defaults keep the old behaviour: unknown letters are zero rows, other lengths are cut or padded.
  const lenient = new SequenceOneHot({ alphabet: "dna" }).fit(splice, "sequence");
  assert.deepEqual(lenient.check(bad), ['row 4, column "sequence": missing sequence']);
  assert.deepEqual(lenient.encode(bad.slice(2, 1)).shape, [1, 60, 4]);
  assert.throws(() => enc.check(pl.DataFrame({ seq: [real] })), /no column "sequence" in the frame \(has seq\)/);
  assert.throws(() => new SequenceOneHot().check(bad), /call fit\(\) on training data/);
});
