/**
 * Sum of products of non-negative integers, exact at any size. AUROC's pair count reaches P*N, which for pixel-level
 * evaluation (10^7 positives x 10^8 negatives) passes 2^53, where doubles stop counting exactly. Products and partial
 * sums stay in a double while they are exact and spill into a BigInt otherwise, so the common case costs no BigInt work.
 */
export class ExactIntegerSum {
  private small = 0;
  private big = 0n;

  /** Adds a*b; a and b must be non-negative integers below 2^53. */
  addProduct(a: number, b: number): void {
    const product = a * b;
    if (product > Number.MAX_SAFE_INTEGER) {
      // The double product may be rounded: redo it in BigInt.
      this.big += BigInt(a) * BigInt(b);
      return;
    }
    if (this.small > Number.MAX_SAFE_INTEGER - product) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
    this.small += product;
  }

  /** The exact total. */
  value(): bigint {
    return this.big + BigInt(this.small);
  }
}

/** a / b for exact BigInt integers, correctly rounded enough for metrics (relative error about 2^-52). */
export function ratioToNumber(numerator: bigint, denominator: bigint): number {
  return Number(numerator) / Number(denominator);
}
