// Parity of MVFA's text and memory branches with the reference test() outputs stored in the tiny-CLIP fixture.
// The fixture's maps were computed on adapter features (seg/det `med` tokens); the branch arithmetic is the same on
// frozen features, so the adapter outputs stored in the fixture are the inputs here.
import * as assert from "assert";
import {
  buildMemoryBank,
  memoryDistances,
  memoryLevel,
  memoryLevelMap,
  sumInto,
  textLevel,
  textLevelMap,
  textLogits,
  upsampleAlignCorners,
} from "../../../kernel/methods/branches";
import { compare, fmt } from "../engine/helpers";
import { readRef } from "../engine/clipLoad";

const TAPS = [2, 4, 6, 8];
const G = 7;
const S = 56;
const TOKENS = G * G + 1;
const DIM = 32;

describe("methods/branches: MVFA text and memory branches vs the reference (tiny CLIP)", () => {
  const mvfa = readRef("mvfa.safetensors");
  const text = readRef("text.safetensors");
  after(() => {
    mvfa.close();
    text.close();
  });
  const T = () => text.readFloat64("T_mvfa_brain_f64").data;
  const tokens = (head: "seg" | "det", tap: number, image: number) => ({
    data: mvfa.readFloat64(`${head}_med_tap${tap}_f64`).data.subarray(image * TOKENS * DIM, (image + 1) * TOKENS * DIM),
    dim: DIM,
    grid: G,
  });
  function check(
    self: Mocha.Context,
    actual: ArrayLike<number>,
    expected: ArrayLike<number>,
    rtol = 1e-4,
    atol = 1e-5,
  ) {
    const d = compare(actual, expected, rtol, atol);
    self.test!.title += ` — ${fmt(d)}`;
    assert.ok(d.ok, fmt(d));
  }

  it("text logits of test_0 per tap = zero_seg_logits_test0 (tolerance ×100 for the temperature)", function () {
    const out: number[] = [];
    for (const tap of TAPS) out.push(...textLogits(tokens("seg", tap, 0), T()));
    check(this, out, mvfa.readFloat64("zero_seg_logits_test0_f64").data, 1e-4, 1e-3);
  });

  it("zero-shot maps of the 3 test images (softmax of upsampled logits, summed over taps) = zero_seg_map", function () {
    const out: number[] = [];
    for (let i = 0; i < 3; i++) {
      const acc = new Float64Array(S * S);
      for (const tap of TAPS) sumInto(acc, textLevelMap(textLevel(tokens("seg", tap, i), T()), S));
      out.push(...acc);
    }
    check(this, out, mvfa.readFloat64("zero_seg_map_f64").data);
  });

  it("zero-shot image scores on the det head (Σ taps of mean patch p₁) = zero_det_score", function () {
    const out = [0, 1, 2].map((i) => TAPS.reduce((s, tap) => s + textLevel(tokens("det", tap, i), T()).image, 0));
    check(this, out, mvfa.readFloat64("zero_det_score_f64").data);
  });

  it("memory distances of test_0 at tap 2 against seg_mem_tap2 (CLS included) = few_seg_dist_test0[tap 2]", function () {
    const mem = mvfa.readFloat64("seg_mem_tap2_f64").data; // [2 images × 50 tokens, 32]
    const bank = buildMemoryBank([mem.subarray(0, TOKENS * DIM), mem.subarray(TOKENS * DIM)], DIM, true);
    assert.strictEqual(bank.count, 100);
    check(
      this,
      memoryDistances(tokens("seg", 2, 0), bank),
      mvfa.readFloat64("few_seg_dist_test0_f64").data.subarray(0, G * G),
    );
  });

  it("memory map of test_0 = Σ taps of the upsampled reference distances = few_seg_map[0]", function () {
    const dist = mvfa.readFloat64("few_seg_dist_test0_f64").data;
    const acc = new Float64Array(S * S);
    TAPS.forEach((_, t) =>
      sumInto(
        acc,
        memoryLevelMap({ grid: Float64Array.from(dist.subarray(t * G * G, (t + 1) * G * G)), g: G, image: 0 }, S),
      ),
    );
    check(this, acc, mvfa.readFloat64("few_seg_map_f64").data.subarray(0, S * S));
  });

  it("includeCls controls the bank size (100 vs 98 tokens); dropping CLS can only raise distances", () => {
    const mem = mvfa.readFloat64("seg_mem_tap2_f64").data;
    const parts = [mem.subarray(0, TOKENS * DIM), mem.subarray(TOKENS * DIM)];
    const withCls = memoryDistances(tokens("seg", 2, 0), buildMemoryBank(parts, DIM, true));
    const noCls = memoryDistances(tokens("seg", 2, 0), buildMemoryBank(parts, DIM, false));
    assert.strictEqual(buildMemoryBank(parts, DIM, false).count, 98);
    for (let p = 0; p < withCls.length; p++) assert.ok(noCls[p] >= withCls[p] - 1e-12);
  });

  it("memory image score = mean of the upsampled map; a token in the bank has distance 0", () => {
    const t = tokens("seg", 4, 1);
    const bank = buildMemoryBank([t.data], DIM, false);
    const level = memoryLevel(t, bank, S);
    // The bank is stored as float32, so "0" is up to float32 rounding of the unit vectors.
    for (const v of level.grid) assert.ok(Math.abs(v) < 1e-6);
    assert.ok(Math.abs(level.image) < 1e-6);
    // Leaving the only image out leaves nothing to compare with.
    assert.throws(() => memoryLevel(t, bank, S, 0), /no tokens outside image 0/);
    const two = buildMemoryBank([t.data, tokens("seg", 4, 2).data], DIM, false);
    const loo = memoryLevel(t, two, S, 0);
    assert.ok(loo.image > 1e-3);
  });

  it("upsampling with align_corners=True keeps the corners and interpolates linearly", () => {
    // 2×2 → 3×3: the centre is the mean of the four corners; edges the mean of their two ends.
    const up = upsampleAlignCorners([0, 2, 4, 6], 2, 3);
    assert.deepStrictEqual([...up], [0, 1, 2, 2, 3, 4, 4, 5, 6]);
    // 7 → 56: output 55 lands exactly on input 6; output 1 at 6/55 of the first cell.
    const ramp = Array.from({ length: 49 }, (_, i) => i % 7);
    const big = upsampleAlignCorners(ramp, 7, 56);
    assert.strictEqual(big[55], 6);
    assert.ok(Math.abs(big[1] - 6 / 55) < 1e-15);
    assert.throws(() => upsampleAlignCorners([1, 2, 3], 2, 4), /2×2 grid/);
  });
});
