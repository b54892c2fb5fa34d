/**
 * Neumaier-compensated summation: AP sums one term per distinct threshold, up to millions for pixel-level data; plain
 * summation would drift by ~n*eps, compensation keeps the error near one rounding, so results do not depend on n.
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): void {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.compensation += this.sum - t + x;
    else this.compensation += x - t + this.sum;
    this.sum = t;
  }

  value(): number {
    return this.sum + this.compensation;
  }
}
