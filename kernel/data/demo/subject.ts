/**
 * Pseudo-subjects: one healthy brain (Colin27) made into several "patients" by a per-subject affine + elastic
 * deformation, a pseudo-FLAIR contrast with jittered control points, a bias field and a gamma (data.md §3.1).
 */
import { Rng } from "../../util/random/rng";
import { blur, fractalNoise, Grid, grid, sample } from "./grid";

/** T1 value (ch2bet uint8) -> FLAIR-like 0..1: CSF dark, GM brighter than WM (tissue peaks measured in data.md). */
export const FLAIR_LUT: readonly (readonly [number, number])[] = [
  [0, 0], [20, 0.06], [45, 0.22], [85, 0.62], [112, 0.48], [140, 0.52], [255, 0.6],
];

export interface SubjectParams {
  readonly id: number;
  readonly rotationDeg: number;
  readonly scale: number;
  readonly shift: readonly [number, number];
  readonly elasticAmplitudePx: number;
  readonly gamma: number;
  readonly biasAmplitude: number;
  /** The LUT's output values after ±5 % jitter. */
  readonly lut: readonly (readonly [number, number])[];
}

export interface Subject {
  readonly params: SubjectParams;
  /** Per-pixel displacement (pixels) added to the source coordinate. */
  readonly dx: Grid;
  readonly dy: Grid;
  /** Multiplicative bias field, around 1. */
  readonly bias: Grid;
}

export const CANVAS = 240;

function round(v: number, digits = 4): number {
  return Number(v.toFixed(digits));
}

export function makeSubject(id: number, rng: Rng): Subject {
  const lut = FLAIR_LUT.map(([x, y], i) => [x, i === 0 ? 0 : round(y * rng.uniform(0.95, 1.05))] as const);
  const params: SubjectParams = {
    id,
    rotationDeg: round(rng.uniform(-10, 10), 3),
    scale: round(rng.uniform(0.9, 1.1)),
    shift: [round(rng.uniform(-8, 8), 3), round(rng.uniform(-8, 8), 3)],
    elasticAmplitudePx: round(rng.uniform(2, 5), 3),
    gamma: round(rng.uniform(0.85, 1.15)),
    biasAmplitude: 0.15,
    lut,
  };
  // Elastic field: Gaussian-filtered white noise (sigma 12 px), rescaled so its largest displacement is the amplitude.
  const field = () => {
    const g = grid(CANVAS, CANVAS);
    for (let i = 0; i < g.data.length; i++) g.data[i] = rng.normal();
    return blur(g, 12);
  };
  const dx = field();
  const dy = field();
  let maxLen = 1e-9;
  for (let i = 0; i < dx.data.length; i++) maxLen = Math.max(maxLen, Math.hypot(dx.data[i], dy.data[i]));
  for (let i = 0; i < dx.data.length; i++) {
    dx.data[i] *= params.elasticAmplitudePx / maxLen;
    dy.data[i] *= params.elasticAmplitudePx / maxLen;
  }
  // Bias: low-frequency fractal noise mapped to 1 ± amplitude.
  const bias = fractalNoise(CANVAS, CANVAS, 2, 3, rng);
  let maxAbs = 1e-9;
  for (const v of bias.data) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (let i = 0; i < bias.data.length; i++) bias.data[i] = 1 + (params.biasAmplitude * bias.data[i]) / maxAbs;
  return { params, dx, dy, bias };
}

export function applyLut(v: number, lut: SubjectParams["lut"]): number {
  for (let i = 1; i < lut.length; i++) {
    if (v <= lut[i][0]) {
      const [x0, y0] = lut[i - 1];
      const [x1, y1] = lut[i];
      return y0 + ((v - x0) / (x1 - x0)) * (y1 - y0);
    }
  }
  return lut[lut.length - 1][1];
}

/** A slice placed on the 240² canvas after the subject's deformation: raw T1 values and the brain mask (0/1). */
export interface WarpedSlice {
  readonly t1: Grid;
  readonly brain: Uint8Array;
}

/**
 * Warps a source slice (any size, centred on the canvas) by the subject's deformation. Inverse mapping: each
 * canvas pixel reads the source at A⁻¹(p − c − shift) + c + elastic(p).
 */
export function warpSlice(src: Grid, subject: Subject): WarpedSlice {
  const { rotationDeg, scale, shift } = subject.params;
  const c = (CANVAS - 1) / 2;
  const ox = (src.width - 1) / 2;
  const oy = (src.height - 1) / 2;
  const a = (-rotationDeg * Math.PI) / 180;
  const cos = Math.cos(a) / scale;
  const sin = Math.sin(a) / scale;
  const t1 = grid(CANVAS, CANVAS);
  const brain = new Uint8Array(CANVAS * CANVAS);
  for (let y = 0; y < CANVAS; y++) {
    for (let x = 0; x < CANVAS; x++) {
      const i = y * CANVAS + x;
      const px = x - c - shift[0];
      const py = y - c - shift[1];
      const sx = cos * px - sin * py + ox + subject.dx.data[i];
      const sy = sin * px + cos * py + oy + subject.dy.data[i];
      const v = sample(src, sx, sy, 0);
      t1.data[i] = v;
      // The skull-stripped volume is 0 outside the brain; a small threshold ignores interpolation fringes.
      brain[i] = v > 8 ? 1 : 0;
    }
  }
  return { t1, brain };
}

/** Pseudo-FLAIR in 0..~1 with the subject's LUT, bias field and gamma; 0 outside the brain. */
export function toFlair(w: WarpedSlice, subject: Subject): Grid {
  const out = grid(CANVAS, CANVAS);
  for (let i = 0; i < out.data.length; i++) {
    if (!w.brain[i]) continue;
    const v = applyLut(w.t1.data[i], subject.params.lut) * subject.bias.data[i];
    out.data[i] = Math.pow(Math.max(0, v), subject.params.gamma);
  }
  return out;
}
