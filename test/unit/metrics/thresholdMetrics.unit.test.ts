import * as assert from "assert";
import { aurocExact, aurocFromHistogram } from "../../../kernel/metrics/auroc";
import { averagePrecision } from "../../../kernel/metrics/averagePrecision";
import { f1Max } from "../../../kernel/metrics/f1Max";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";
import { ScoreHistogram } from "../../../kernel/metrics/scoreHistogram";
import { bruteAuroc, bruteAveragePrecision, bruteF1Max } from "./bruteForce";
import { tiedSample } from "./randomData";

const TOLERANCE = 1e-12;

describe("metrics: AUROC, AP and F1-max of arrays vs brute force", () => {
  const random = new SeededRandom(3);
  const cases: Array<[number, number]> = [
    [2, 1],
    [5, 2],
    [40, 3],
    [300, 5],
    [1000, 30],
    [1500, 1000],
    [800, 1],
  ];

  for (const [n, distinct] of cases) {
    it(`n=${n}, ${distinct} distinct values plus special floats`, () => {
      for (let rep = 0; rep < 5; rep++) {
        const { scores, labels } = tiedSample(random, n, distinct);
        assert.ok(Math.abs(aurocExact(scores, labels) - bruteAuroc(scores, labels)) <= TOLERANCE);
        assert.ok(Math.abs(averagePrecision(scores, labels) - bruteAveragePrecision(scores, labels)) <= TOLERANCE);
        const ours = f1Max(scores, labels);
        const brute = bruteF1Max(scores, labels);
        assert.ok(Math.abs(ours.f1 - brute.f1) <= TOLERANCE, `f1 ${ours.f1} vs ${brute.f1}`);
        assert.strictEqual(ours.threshold, brute.threshold);
      }
    });
  }

  it("keeps float64 precision for image-level scores (no float32 rounding)", () => {
    // 1 and 1 + 2^-40 are distinct doubles but the same float32: perfect separation in float64, all ties in float32.
    const scores = [1, 1 + 2 ** -40, 1, 1 + 2 ** -40];
    const labels = [0, 1, 0, 1];
    const rounded = Float32Array.from(scores);
    assert.strictEqual(aurocExact(scores, labels), bruteAuroc(scores, labels));
    assert.strictEqual(aurocExact(rounded, labels), bruteAuroc(rounded, labels));
    assert.notStrictEqual(aurocExact(scores, labels), aurocExact(rounded, labels));
  });

  it("treats -0 and +0 as one tied score and orders +-Infinity", () => {
    const cases: Array<[number[], number[]]> = [
      [
        [-0, 0],
        [1, 0],
      ],
      [
        [0, -0],
        [1, 0],
      ],
      [
        [Infinity, 1e308, -Infinity],
        [1, 0, 0],
      ],
      [
        [Infinity, Infinity, -Infinity],
        [1, 0, 1],
      ],
      [
        [-0, 0, -0, 0, Infinity, -Infinity],
        [1, 1, 0, 0, 0, 1],
      ],
    ];
    for (const [scores, labels] of cases) {
      assert.strictEqual(aurocExact(scores, labels), bruteAuroc(scores, labels), JSON.stringify(scores));
      assert.strictEqual(
        averagePrecision(scores, labels),
        bruteAveragePrecision(scores, labels),
        JSON.stringify(scores),
      );
    }
    // A signed zero must not split a tie: swapping the signs of the zeros changes nothing.
    assert.strictEqual(aurocExact([-0, 0], [1, 0]), aurocExact([0, -0], [1, 0]));
  });

  it("refuses NaN, one-class input, non-binary labels and length mismatch with clear errors", () => {
    assert.throws(() => aurocExact([0.1, NaN], [0, 1]), /scores\[1\] is NaN/);
    assert.throws(() => aurocExact([0.1, 0.2], [1, 1]), /needs both classes/);
    assert.throws(() => aurocExact([0.1, 0.2], [0, 2]), /labels\[1\] is 2/);
    assert.throws(() => aurocExact([0.1, 0.2], [0]), /2 scores but 1 labels/);
    assert.throws(() => averagePrecision([0.1, 0.2], [0, 0]), /at least one positive/);
  });

  it("AP is 1 when every sample is positive, as sklearn", () => {
    assert.strictEqual(averagePrecision([0.3, 0.1, 0.1], [1, 1, 1]), bruteAveragePrecision([0.3, 0.1, 0.1], [1, 1, 1]));
    assert.strictEqual(averagePrecision([0.3, 0.1, 0.1], [1, 1, 1]), 1); // every precision is 1
  });

  it("counts pairs exactly when P*N exceeds 2^53", () => {
    // A histogram with 10^8-scale counts: the U statistic is ~10^16, where doubles skip odd integers.
    const groups: Array<[number, number, number]> = [
      [3, 100000001, 200000003],
      [2, 200000007, 50000001],
      [1, 100000003, 70000009],
    ];
    const histogram: ScoreHistogram = {
      positives: groups.reduce((s, g) => s + g[2], 0),
      negatives: groups.reduce((s, g) => s + g[1], 0),
      forEachDescending: (visit) => groups.forEach(([score, neg, pos]) => visit(score, neg, pos)),
    };
    // Mann-Whitney from the definition, in BigInt: for each negative group, positives strictly above + half ties.
    let twiceU = 0n;
    for (const [score, neg] of groups) {
      for (const [otherScore, , pos] of groups) {
        if (otherScore > score) twiceU += 2n * BigInt(neg) * BigInt(pos);
        if (otherScore === score) twiceU += BigInt(neg) * BigInt(pos);
      }
    }
    const expected = Number(twiceU) / Number(2n * BigInt(histogram.positives) * BigInt(histogram.negatives));
    assert.ok(BigInt(histogram.positives) * BigInt(histogram.negatives) > 2n ** 53n);
    assert.strictEqual(aurocFromHistogram(histogram), expected);
  });
});
