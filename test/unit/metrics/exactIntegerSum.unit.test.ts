import * as assert from "assert";
import { ExactIntegerSum } from "../../../kernel/metrics/exactIntegerSum";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";

describe("metrics: exact integer sum of products", () => {
  it("equals a BigInt sum for products far beyond 2^53", () => {
    const random = new SeededRandom(2);
    const sum = new ExactIntegerSum();
    let reference = 0n;
    for (let i = 0; i < 20000; i++) {
      // Mix tiny and huge factors so both the double path and the BigInt spill are exercised.
      const a = random.nextFloat() < 0.5 ? random.nextInt(1000) : random.nextInt(2 ** 40);
      const b = random.nextFloat() < 0.5 ? random.nextInt(1000) : random.nextInt(2 ** 30);
      sum.addProduct(a, b);
      reference += BigInt(a) * BigInt(b);
    }
    assert.strictEqual(sum.value(), reference);
    assert.ok(reference > 2n ** 60n, "the test must actually pass 2^53");
  });

  it("stays exact when many small products accumulate across 2^53", () => {
    const sum = new ExactIntegerSum();
    const a = 2 ** 26 + 1;
    for (let i = 0; i < 3000; i++) sum.addProduct(a, a);
    assert.strictEqual(sum.value(), 3000n * BigInt(a) * BigInt(a));
  });
});
