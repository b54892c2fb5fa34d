/**
 * "Nice" axis ticks (1, 2, 2.5 or 5 times a power of ten) covering [min, max] with about `count` intervals, and
 * their labels with just enough decimals to tell them apart.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  // Multiply instead of accumulating so 0.1 + 0.2 drift does not leak into labels.
  for (let k = first; k <= last; k++) ticks.push(k * step || 0); // || 0 turns -0 into 0
  return ticks;
}

export function tickLabel(value: number, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(value) || 1;
  const decimals = Math.max(
    0,
    Math.min(
      6,
      -Math.floor(Math.log10(step) + 1e-9) +
        (String(step / Math.pow(10, Math.floor(Math.log10(step)))).includes(".") ? 1 : 0),
    ),
  );
  const text = value.toFixed(decimals);
  return text === "-0" || /^-0\.0*$/.test(text) ? text.slice(1) : text;
}
