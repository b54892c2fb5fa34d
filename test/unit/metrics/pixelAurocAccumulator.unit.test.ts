import * as assert from "assert";
import { PixelAurocAccumulator } from "../../../kernel/metrics/pixelAurocAccumulator";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";
import { ScoreHistogram } from "../../../kernel/metrics/scoreHistogram";
import { TieGroups } from "../../../kernel/metrics/tieGroups";
import { rocCurve, rocCurveFromHistogram } from "../../../kernel/metrics/curves";
import { bruteAuroc, bruteAveragePrecision, bruteF1Max } from "./bruteForce";
import { Sample, tiedSample } from "./randomData";

function groupsOf(histogram: ScoreHistogram): Array<[number, number, number]> {
  const groups: Array<[number, number, number]> = [];
  histogram.forEachDescending((score, neg, pos) => groups.push([score, neg, pos]));
  return groups;
}

/** Feeds a sample in random-sized chunks, as images of different sizes would arrive. */
function accumulate(
  sample: Sample,
  random: SeededRandom,
  accumulator = new PixelAurocAccumulator(),
): PixelAurocAccumulator {
  for (let start = 0; start < sample.scores.length; ) {
    const end = Math.min(sample.scores.length, start + 1 + random.nextInt(5000));
    accumulator.add(sample.scores.subarray(start, end), sample.labels.subarray(start, end));
    start = end;
  }
  return accumulator;
}

/**
 * Scores packed into a few adjacent float32 values (one 65 536-key bucket) so buckets turn dense and counters pass 255,
 * plus a heavy tie at exactly 1.0 (its counter rolls over thousands of times) and special values.
 */
function denseSample(random: SeededRandom, n: number): Sample {
  const scores = new Float32Array(n);
  const labels = new Uint8Array(n);
  const step = 2 ** -23; // one float32 ulp at 1.0
  for (let i = 0; i < n; i++) {
    const u = random.nextFloat();
    scores[i] =
      u < 0.3 ? 1 : u < 0.32 ? [0, -0, Infinity, -Infinity][random.nextInt(4)] : 1 + step * random.nextInt(3000);
    labels[i] = random.nextFloat() < (scores[i] > 1 + 1500 * step ? 0.3 : 0.1) ? 1 : 0;
  }
  return { scores, labels };
}

describe("metrics: streaming pixel AUROC accumulator", () => {
  const random = new SeededRandom(5);

  it("sees exactly the tie groups of a sort (sparse buckets, special floats, heavy ties)", () => {
    for (const [n, distinct] of [
      [3000, 7],
      [20000, 500],
      [50000, 40000],
    ]) {
      const sample = tiedSample(random, n, distinct);
      assert.deepStrictEqual(
        groupsOf(accumulate(sample, random)),
        groupsOf(new TieGroups(sample.scores, sample.labels)),
      );
    }
  });

  it("stays exact when buckets turn dense and 1-byte counters roll over", () => {
    const sample = denseSample(random, 300000);
    const accumulator = accumulate(sample, random);
    const groups = groupsOf(accumulator);
    assert.deepStrictEqual(groups, groupsOf(new TieGroups(sample.scores, sample.labels)));
    const atOne = groups.find(([score]) => score === 1) as [number, number, number];
    assert.ok(atOne[1] > 10000 && atOne[2] > 1000, "the tie at 1.0 must exceed many 256-rollovers in both classes");
  });

  it("AUROC, AP and F1-max equal the brute-force definitions", () => {
    for (let rep = 0; rep < 4; rep++) {
      const sample = tiedSample(random, 2500, rep === 0 ? 3 : 200);
      const result = accumulate(sample, random).result();
      assert.ok(Math.abs(result.auroc - bruteAuroc(sample.scores, sample.labels)) <= 1e-12);
      assert.ok(Math.abs(result.averagePrecision - bruteAveragePrecision(sample.scores, sample.labels)) <= 1e-12);
      const f1 = bruteF1Max(sample.scores, sample.labels);
      assert.ok(Math.abs(result.f1Max.f1 - f1.f1) <= 1e-12);
      assert.strictEqual(result.f1Max.threshold, f1.threshold);
    }
  });

  it("gives the same ROC curve as the array path", () => {
    const sample = tiedSample(random, 3000, 300);
    assert.deepStrictEqual(rocCurveFromHistogram(accumulate(sample, random)), rocCurve(sample.scores, sample.labels));
  });

  it("merging two accumulators equals accumulating everything in one", () => {
    const sample = denseSample(random, 120000);
    const sparse = tiedSample(random, 8000, 3000);
    const whole = accumulate(sparse, random, accumulate(sample, random));
    // Split the same pixels between two "workers" so that one holds dense buckets and the other sparse ones.
    const left = accumulate(sample, random);
    const right = accumulate(sparse, random);
    right.merge(left);
    assert.deepStrictEqual(groupsOf(right), groupsOf(whole));
    assert.deepStrictEqual([right.positives, right.negatives], [whole.positives, whole.negatives]);
    assert.strictEqual(right.auroc(), whole.auroc());
    // merge leaves its argument unchanged.
    assert.deepStrictEqual(groupsOf(left), groupsOf(accumulate(sample, random)));
  });

  it("survives a structured clone (worker postMessage) through toState/fromState", () => {
    const sample = denseSample(random, 60000);
    const extra = tiedSample(random, 5000, 400);
    const worker = accumulate(extra, random, accumulate(sample, random));
    const restored = PixelAurocAccumulator.fromState(structuredClone(worker.toState()));
    assert.deepStrictEqual(groupsOf(restored), groupsOf(worker));
    assert.deepStrictEqual([restored.positives, restored.negatives], [worker.positives, worker.negatives]);
    assert.throws(() => restored.merge(restored), /into itself/);
  });

  it("accepts 0/255 byte masks and 0/1 float masks alike", () => {
    const sample = tiedSample(random, 4000, 50);
    const bytes = new PixelAurocAccumulator();
    bytes.add(
      sample.scores,
      sample.labels.map((l) => l * 255),
    );
    const floats = new PixelAurocAccumulator();
    floats.add(sample.scores, Float32Array.from(sample.labels));
    assert.strictEqual(bytes.auroc(), floats.auroc());
    assert.strictEqual(bytes.auroc(), bruteAuroc(sample.scores, sample.labels));
  });

  it("refuses NaN (naming the pixel) and leaves the accumulator unchanged", () => {
    const accumulator = new PixelAurocAccumulator();
    accumulator.add(Float32Array.of(0.2, 0.9), Uint8Array.of(0, 1));
    assert.throws(
      () => accumulator.add(Float32Array.of(0.5, NaN, 0.1), Uint8Array.of(1, 0, 0)),
      /image 1, pixel 1: score is NaN/,
    );
    assert.deepStrictEqual([accumulator.positives, accumulator.negatives, accumulator.auroc()], [1, 1, 1]);
  });

  it("refuses soft float masks, size mismatches and non-float32 maps", () => {
    const accumulator = new PixelAurocAccumulator();
    assert.throws(
      () => accumulator.add(Float32Array.of(0.2, 0.9), Float32Array.of(0, 0.5)),
      /mask value 0.5.*binarise/,
    );
    assert.throws(() => accumulator.add(Float32Array.of(0.2, 0.9), Uint8Array.of(0)), /2 scores but 1 mask pixels/);
    assert.throws(
      () => accumulator.add(Float64Array.of(0.2, 0.9) as unknown as Float32Array, Uint8Array.of(0, 1)),
      /Float32Array/,
    );
    assert.throws(() => new PixelAurocAccumulator().auroc(), /both classes/);
  });
});
