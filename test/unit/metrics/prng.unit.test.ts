import * as assert from "assert";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";

describe("metrics: seeded PRNG", () => {
  it("repeats a sequence for the same seed and differs for another", () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const sa = Array.from({ length: 100 }, () => a.nextUint32());
    assert.deepStrictEqual(
      sa,
      Array.from({ length: 100 }, () => b.nextUint32()),
    );
    assert.notDeepStrictEqual(
      sa,
      Array.from({ length: 100 }, () => c.nextUint32()),
    );
  });

  it("is roughly uniform (mean, and every bucket of nextInt hit evenly)", () => {
    const random = new SeededRandom(7);
    const n = 200000;
    const buckets = new Array(10).fill(0);
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const u = random.nextFloat();
      assert.ok(u >= 0 && u < 1);
      mean += u / n;
      buckets[random.nextInt(10)]++;
    }
    assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
    for (const count of buckets) assert.ok(Math.abs(count - n / 10) < 5 * Math.sqrt(n / 10), `bucket ${count}`);
  });

  it("refuses a non-integer seed", () => {
    assert.throws(() => new SeededRandom(0.5), /integer/);
  });
});
