/**
 * Colormaps shared by the PNG drawer (kernel) and the renderers (canvas), so both show the same colours.
 * Each returns [r, g, b] in 0..255 for t in [0, 1] (clamped).
 */
import type { ColormapName } from "./viz";

export type Rgb = [number, number, number];

function clamp01(t: number): number {
  return t < 0 ? 0 : t > 1 ? 1 : Number.isNaN(t) ? 0 : t;
}

/** MATLAB's jet as matplotlib defines it: piecewise-linear ramps of red, green and blue. */
export function jet(t: number): Rgb {
  const x = clamp01(t);
  const ramp = (centre: number) => clamp01(1.5 - Math.abs(4 * x - centre));
  return [Math.round(255 * ramp(3)), Math.round(255 * ramp(2)), Math.round(255 * ramp(1))];
}

// viridis at 9 evenly spaced stops (#440154 #472d7b #3b528b #2c728e #21918c #28ae80 #5ec962 #addc30 #fde725, the
// usual 9-colour viridis), interpolated linearly in between: close to the 256-entry table, plenty for an overlay and
// 9 numbers instead of 768.
const VIRIDIS: Rgb[] = [
  [0x44, 0x01, 0x54],
  [0x47, 0x2d, 0x7b],
  [0x3b, 0x52, 0x8b],
  [0x2c, 0x72, 0x8e],
  [0x21, 0x91, 0x8c],
  [0x28, 0xae, 0x80],
  [0x5e, 0xc9, 0x62],
  [0xad, 0xdc, 0x30],
  [0xfd, 0xe7, 0x25],
];

export function viridis(t: number): Rgb {
  const x = clamp01(t) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as Rgb;
}

export function colormap(name: ColormapName): (t: number) => Rgb {
  return name === "viridis" ? viridis : jet;
}

/** A 256-entry lookup table, flat RGB, for per-pixel loops. */
export function colormapTable(name: ColormapName): Uint8Array {
  const map = colormap(name);
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) table.set(map(i / 255), i * 3);
  return table;
}

/** Categorical colours (Tableau 10) for methods and t-SNE groups, readable on light and dark themes. */
export const CATEGORY_COLORS: Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];

export function categoryColor(index: number): Rgb {
  return CATEGORY_COLORS[index % CATEGORY_COLORS.length];
}

export function rgbCss([r, g, b]: Rgb): string {
  return `rgb(${r},${g},${b})`;
}
