import * as assert from "assert";
import { float32OfKey, isNaNBits, keyOfFloat32, keyOfFloat32Bits } from "../../../kernel/metrics/float32Key";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";
import { SPECIAL_VALUES } from "./randomData";

describe("metrics: float32 -> uint32 key", () => {
  const random = new SeededRandom(1);
  const bits = new Uint32Array(1);
  const asFloat = new Float32Array(bits.buffer);
  /** Random float32 values from random bit patterns (every exponent, subnormals included), NaN skipped. */
  function randomFloats(n: number): number[] {
    const out: number[] = SPECIAL_VALUES.map(Math.fround);
    while (out.length < n) {
      bits[0] = random.nextUint32();
      if (!isNaNBits(bits[0])) out.push(asFloat[0]);
    }
    return out;
  }

  it("orders keys exactly like the float values, ties included", () => {
    const values = randomFloats(3000);
    for (let i = 0; i < values.length; i++) {
      const j = random.nextInt(values.length);
      const a = values[i];
      const b = random.nextFloat() < 0.2 ? a : values[j];
      assert.strictEqual(Math.sign(keyOfFloat32(a) - keyOfFloat32(b)), a < b ? -1 : a > b ? 1 : 0, `${a} vs ${b}`);
    }
  });

  it("sorting by key equals sorting by value", () => {
    const values = randomFloats(5000);
    const byValue = [...values].sort((a, b) => a - b);
    const byKey = [...values].sort((a, b) => keyOfFloat32(a) - keyOfFloat32(b));
    assert.deepStrictEqual(
      byKey.map((v) => (v === 0 ? 0 : v)),
      byValue.map((v) => (v === 0 ? 0 : v)),
    );
  });

  it("round-trips every non-NaN value and folds -0 into +0", () => {
    for (const v of randomFloats(5000)) {
      const back = float32OfKey(keyOfFloat32(v));
      assert.ok(back === v && (v !== 0 || Object.is(back, 0)), `${v} -> ${back}`);
    }
    assert.strictEqual(keyOfFloat32(-0), keyOfFloat32(0));
    assert.strictEqual(keyOfFloat32Bits(0x80000000), keyOfFloat32Bits(0));
  });

  it("puts -Infinity lowest and +Infinity highest", () => {
    const keys = randomFloats(2000).map(keyOfFloat32);
    assert.strictEqual(Math.min(...keys), keyOfFloat32(-Infinity));
    assert.strictEqual(Math.max(...keys), keyOfFloat32(Infinity));
  });

  it("recognises NaN bit patterns, quiet and signalling, both signs", () => {
    for (const b of [0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff])
      assert.ok(isNaNBits(b), b.toString(16));
    for (const b of [0x7f800000, 0xff800000, 0, 0x80000000, 0x3f800000]) assert.ok(!isNaNBits(b), b.toString(16));
  });
});
