/**
 * Window/level: which intensity range of a 16-bit (or float) image becomes black..white on screen and in the model's
 * 8-bit input. One rule for every path (DICOM decode, NIfTI slices, %dataset thumbnails, detect):
 *   1. a window the user gives (`--window CENTER,WIDTH`),
 *   2. else the file's own: DICOM WindowCenter/WindowWidth (0028,1050/1051; the first of several values),
 *      NIfTI cal_min/cal_max (when cal_max > cal_min),
 *   3. else a robust range of the data: its 0.5th..99.5th percentile (NIfTI: of the non-zero voxels).
 * The window actually used travels with its source, so results can say how each image was displayed.
 */

export interface Window {
  center: number;
  width: number;
}

export type WindowSource = "given" | "dicom-tags" | "nifti-cal" | "percentile";

export interface AppliedWindow extends Window {
  source: WindowSource;
}

/** The percentiles of the fallback window. */
export const PERCENTILE_WINDOW: readonly [number, number] = [0.005, 0.995];

const SOURCE_TEXT: Record<WindowSource, string> = {
  given: "given",
  "dicom-tags": "DICOM WindowCenter/WindowWidth",
  "nifti-cal": "NIfTI cal_min/cal_max",
  percentile: "p0.5–p99.5 of the data",
};

export function windowFromRange(low: number, high: number): Window {
  return { center: (low + high) / 2, width: high > low ? high - low : 1 };
}

export function windowRange(w: Window): { low: number; high: number } {
  return { low: w.center - w.width / 2, high: w.center + w.width / 2 };
}

/** The 0.5th..99.5th percentile window of the values (nearest rank on a sorted copy); `ignoreZero` skips background. */
export function percentileWindow(values: ArrayLike<number>, o: { ignoreZero?: boolean } = {}): Window {
  const all = Float64Array.from(values as ArrayLike<number>);
  const v = (o.ignoreZero ? all.filter((x) => x !== 0) : all).sort();
  if (v.length === 0) return windowFromRange(0, 1);
  const at = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.round(p * (v.length - 1))))];
  const low = at(PERCENTILE_WINDOW[0]);
  const high = at(PERCENTILE_WINDOW[1]);
  return windowFromRange(low, high > low ? high : low + 1);
}

/** The window to use: the given one, else the file's, else the data's percentile range (computed only if needed). */
export function chooseWindow(
  given: Window | undefined,
  own: (Window & { source: WindowSource }) | undefined,
  fallback: () => Window,
): AppliedWindow {
  if (given) return { center: given.center, width: given.width, source: "given" };
  if (own) return { center: own.center, width: own.width, source: own.source };
  return { ...fallback(), source: "percentile" };
}

/** DICOM PS3.3 C.11.2.1.2.1 linear VOI function to 0..255 (the function viewers apply to integer DICOM data). */
export function applyWindow(value: number, win: Window): number {
  const c = win.center - 0.5;
  const w = Math.max(1, win.width - 1);
  if (value <= c - w / 2) return 0;
  if (value > c + w / 2) return 255;
  return ((value - c) / w + 0.5) * 255;
}

/** Linear map of center ± width/2 to 0..255, clipped (DICOM's LINEAR_EXACT; for float data such as NIfTI). */
export function applyWindowExact(value: number, win: Window): number {
  const { low } = windowRange(win);
  return Math.max(0, Math.min(255, ((value - low) / win.width) * 255));
}

/** Parses `CENTER,WIDTH` (WIDTH > 0); the error says what was wrong, callers add where. */
export function parseWindow(text: string): Window {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) throw new Error(`'${text}' is not a window; give CENTER,WIDTH, e.g. 40,400`);
  const width = Number(m[2]);
  if (!(width > 0)) throw new Error(`window width must be > 0 (got '${text}'); give CENTER,WIDTH, e.g. 40,400`);
  return { center: Number(m[1]), width };
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, "");
}

/** "C 40, W 400 (DICOM WindowCenter/WindowWidth)" */
export function describeWindow(w: AppliedWindow): string {
  return `C ${num(w.center)}, W ${num(w.width)} (${SOURCE_TEXT[w.source]})`;
}
