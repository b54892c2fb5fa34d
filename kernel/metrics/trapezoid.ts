/**
 * Area under a piecewise-linear curve (x non-decreasing) from x[0] up to xMax, with the curve linearly interpolated
 * at xMax when xMax falls between two points: the integration MVTec AD's evaluation uses for the PRO curve.
 */
export function trapezoidUpTo(x: ArrayLike<number>, y: ArrayLike<number>, xMax: number): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) {
    if (x[i] <= xMax) {
      area += 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1]);
      continue;
    }
    if (x[i - 1] < xMax) {
      const yAtMax = y[i - 1] + ((y[i] - y[i - 1]) * (xMax - x[i - 1])) / (x[i] - x[i - 1]);
      area += 0.5 * (yAtMax + y[i - 1]) * (xMax - x[i - 1]);
    }
    break;
  }
  return area;
}
