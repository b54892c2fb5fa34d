import * as assert from "assert";
import { evaluate } from "../../../kernel/methods/evaluate";
import type { LevelScores } from "../../../kernel/methods/branches";
import type { ScoredSet } from "../../../kernel/methods/result";
import { decodeMap, encodeMap, poolMap, RESULT_MAP_SIDE } from "../../../kernel/methods/resultMaps";

describe("result maps", () => {
  it("box-averages a map onto a coarser grid", () => {
    const map = Float32Array.from({ length: 16 }, (_, i) => i); // 4×4, rows 0..3
    assert.deepStrictEqual(Array.from(poolMap(map, 4, 2)), [
      (0 + 1 + 4 + 5) / 4,
      (2 + 3 + 6 + 7) / 4,
      (8 + 9 + 12 + 13) / 4,
      (10 + 11 + 14 + 15) / 4,
    ]);
    assert.deepStrictEqual(Array.from(poolMap(map, 4, 8)), Array.from(map));
    // 5 → 2: cells take rows/columns {0,1,2} and {3,4}.
    const five = new Float32Array(25).fill(1);
    five[24] = 26;
    assert.deepStrictEqual(Array.from(poolMap(five, 5, 2)), [1, 1, 1, (3 + 26) / 4]);
  });

  it("stores float32 values exactly and refuses non-square data", () => {
    const map = Float32Array.from([0.1, -2.5, NaN, 3e-8]);
    const back = decodeMap(encodeMap(map), "a.png");
    assert.strictEqual(back.side, 2);
    assert.deepStrictEqual(Array.from(back.data), Array.from(map));
    assert.throws(
      () => decodeMap(Buffer.alloc(12).toString("base64"), "b.png"),
      /result map of b\.png is not a square float32 map \(12 bytes\)/,
    );
  });

  it("evaluate keeps each image's fused map, pooled to at most 16²", () => {
    const size = 32;
    const image = (file: string, label: 0 | 1, peak: number) => ({
      file,
      label,
      mask: () => {
        const m = new Float32Array(size * size);
        if (label) m[0] = 1;
        return m;
      },
      branches: [
        {
          name: "b",
          image: peak,
          levels: [{ image: peak } as unknown as LevelScores],
          render: () => Float64Array.from({ length: size * size }, (_, p) => (p === 0 ? peak : 0)),
        },
      ],
    });
    const set: ScoredSet = { mapSize: size, taps: [1], images: [image("n.png", 0, 0.2), image("a.png", 1, 0.9)] };
    const ev = evaluate(set, { protocol: "honest", imageScore: "map-max" });
    for (const [i, s] of ev.scores.entries()) {
      const m = decodeMap(s.map!, s.file);
      assert.strictEqual(m.side, RESULT_MAP_SIDE);
      // The 2×2 box holding pixel 0 averages the peak with three zeros.
      assert.ok(Math.abs(m.data[0] - [0.2, 0.9][i] / 4) < 1e-7);
      assert.strictEqual(m.data[1], 0);
    }
  });
});
