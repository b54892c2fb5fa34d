/**
 * Augmented square copies of a base picture: a crop window (size, centre), a rotation and flips, sampled bilinearly
 * with supersampling when the window is much larger than the output, then an intensity jitter. Values stay in [0, 1].
 */
import type { Rng } from "../../util/random/rng";
import type { CropStyle } from "./sources";
import type { BaseImage } from "./types";

export interface Square {
  size: number;
  channels: 1 | 3;
  data: Float32Array;
}

interface Window {
  cx: number;
  cy: number;
  side: number;
  angle: number;
  flipX: boolean;
  flipY: boolean;
  clamp: boolean;
}

function drawWindow(img: BaseImage, style: CropStyle, rng: Rng): Window {
  const big = Math.max(img.width, img.height);
  const small = Math.min(img.width, img.height);
  const deg = Math.PI / 180;
  const centred = (side: number, jitter: number, angle: number, clamp = false): Window => ({
    cx: img.width / 2 + rng.uniform(-jitter, jitter) * side,
    cy: img.height / 2 + rng.uniform(-jitter, jitter) * side,
    side, angle, flipX: rng.chance(0.5), flipY: false, clamp,
  });
  if (style === "photo") {
    const side = small * rng.uniform(0.55, 1);
    const w = centred(side, 0, rng.uniform(-10, 10) * deg, true);
    return { ...w, cx: rng.uniform(side / 2, img.width - side / 2), cy: rng.uniform(side / 2, img.height - side / 2) };
  }
  if (style === "glyph") return centred(big * rng.uniform(0.95, 1.15), 0.04, rng.uniform(-8, 8) * deg);
  if (style === "whole" || (style === "mixed" && rng.chance(0.6))) {
    return centred(big * rng.uniform(0.8, 1.05), 0.06, rng.uniform(-12, 12) * deg);
  }
  const side = small * (style === "mixed" ? rng.uniform(0.3, 0.6) : rng.uniform(0.3, 0.75));
  const half = side / 2;
  return {
    cx: rng.uniform(half, img.width - half), cy: rng.uniform(half, img.height - half), side,
    angle: style === "mixed" ? rng.uniform(-20, 20) * deg : rng.uniform(0, 360) * deg,
    flipX: rng.chance(0.5), flipY: style === "patch" && rng.chance(0.5), clamp: true,
  };
}

function sample(img: BaseImage, x: number, y: number, ch: number, clamp: boolean): number {
  const w = img.width;
  const h = img.height;
  let fx = x - 0.5;
  let fy = y - 0.5;
  if (clamp) {
    fx = Math.min(w - 1, Math.max(0, fx));
    fy = Math.min(h - 1, Math.max(0, fy));
  } else if (fx < -1 || fy < -1 || fx > w || fy > h) return 0;
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const ax = fx - x0;
  const ay = fy - y0;
  const at = (xx: number, yy: number) =>
    xx < 0 || yy < 0 || xx >= w || yy >= h ? 0 : img.data[(yy * w + xx) * img.channels + ch];
  const top = at(x0, y0) * (1 - ax) + at(x0 + 1, y0) * ax;
  const bottom = at(x0, y0 + 1) * (1 - ax) + at(x0 + 1, y0 + 1) * ax;
  return top * (1 - ay) + bottom * ay;
}

export function augmentedCopy(img: BaseImage, style: CropStyle, size: number, rng: Rng): Square {
  const win = drawWindow(img, style, rng);
  const ss = Math.max(1, Math.min(4, Math.ceil(win.side / size / 1.5)));
  const cos = Math.cos(win.angle);
  const sin = Math.sin(win.angle);
  const ch = img.channels;
  const out = new Float32Array(size * size * ch);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      for (let k = 0; k < ch; k++) {
        let acc = 0;
        for (let sy = 0; sy < ss; sy++) {
          for (let sx = 0; sx < ss; sx++) {
            let u = (c + (sx + 0.5) / ss) / size - 0.5;
            let v = (r + (sy + 0.5) / ss) / size - 0.5;
            if (win.flipX) u = -u;
            if (win.flipY) v = -v;
            const x = win.cx + win.side * (cos * u - sin * v);
            const y = win.cy + win.side * (sin * u + cos * v);
            acc += sample(img, x, y, k, win.clamp);
          }
        }
        out[(r * size + c) * ch + k] = acc / (ss * ss);
      }
    }
  }
  jitterIntensity(out, ch, rng);
  return { size, channels: ch, data: out };
}

/** Gamma and contrast for grey copies; gamma and a per-channel gain for colour (a mild stain/white-balance shift). */
function jitterIntensity(a: Float32Array, ch: 1 | 3, rng: Rng): void {
  const gamma = rng.uniform(0.8, 1.25);
  const gains = ch === 1 ? [rng.uniform(0.9, 1.1)] : [0, 1, 2].map(() => rng.uniform(0.92, 1.08));
  for (let i = 0; i < a.length; i++) a[i] = Math.min(1, Math.max(0, Math.pow(a[i], gamma) * gains[i % ch]));
}
