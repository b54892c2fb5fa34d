/**
 * Monotone map from float32 bit patterns to uint32 keys: a < b as floats <=> key(a) < key(b), and equal floats get
 * equal keys. Counting per key therefore ranks scores exactly, ties included, without comparing floats.
 * Positive floats have the sign bit clear, and their bit patterns already sort like the values: setting the top bit
 * puts them above all negatives. Negative floats sort backwards, so all their bits are flipped.
 * -0 is folded into +0 (NumPy and sklearn treat them as one score); NaN is refused by the caller.
 */

const SIGN_BIT = 0x80000000;
const EXPONENT_MASK = 0x7f800000;
const ABS_MASK = 0x7fffffff;

/** Key of a float32 given by its bit pattern (uint32). The caller has already rejected NaN. */
export function keyOfFloat32Bits(bits: number): number {
  if (bits === SIGN_BIT) return SIGN_BIT; // -0 -> key of +0
  return bits & SIGN_BIT ? ~bits >>> 0 : (bits | SIGN_BIT) >>> 0;
}

/** Inverse of keyOfFloat32Bits: the bit pattern of the float32 with this key. */
export function float32BitsOfKey(key: number): number {
  return key & SIGN_BIT ? (key & ABS_MASK) >>> 0 : ~key >>> 0;
}

/** True when the bit pattern is a NaN (all exponent bits set, non-zero mantissa). */
export function isNaNBits(bits: number): boolean {
  return (bits & ABS_MASK) > EXPONENT_MASK;
}

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/** The float32 value (as a number) whose key is given. */
export function float32OfKey(key: number): number {
  scratchBits[0] = float32BitsOfKey(key);
  return scratchFloat[0];
}

/** The key of a number rounded to float32 (for tests and thresholds). */
export function keyOfFloat32(value: number): number {
  scratchFloat[0] = value;
  return keyOfFloat32Bits(scratchBits[0]);
}
