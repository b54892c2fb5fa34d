/**
 * Synthetic anomalies with exact masks (data.md §3.1): a tumour-like mass with mass effect and an optional
 * necrotic core, or 2–6 small periventricular foci (MS/metastasis-like). Both are FLAIR-hyperintense and the
 * mask is the whole hyperintense region (BraTS "whole tumour").
 */
import { Rng } from "../../util/random/rng";
import { blur, distanceInside, fractalNoise, Grid, grid, keepLargestComponent, sample } from "./grid";

export type AnomalyCategory = "mass" | "small_lesions";

export interface LesionResult {
  readonly image: Grid;
  readonly mask: Uint8Array;
  readonly params: Record<string, unknown>;
  readonly areaPx: number;
}

const r2 = (v: number) => Number(v.toFixed(2));

/** Rescales noise to unit standard deviation, so the 0.45 boundary weight means the same for every lattice size. */
function unitStd(g: Grid): Grid {
  let sum = 0;
  let sq = 0;
  for (const v of g.data) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / g.data.length;
  const sd = Math.sqrt(Math.max(1e-12, sq / g.data.length - mean * mean));
  for (let i = 0; i < g.data.length; i++) g.data[i] = (g.data[i] - mean) / sd;
  return g;
}

/** Radial "Source" deformation: within Rm the content at radius Rm·(r/Rm)^k moves to r, pushing tissue outward. */
function massEffect(img: Grid, brain: Uint8Array, cx: number, cy: number, rm: number, k: number): { img: Grid; brain: Uint8Array } {
  const { width: w, height: h } = img;
  const out = grid(w, h);
  const brainF: Grid = { width: w, height: h, data: Float32Array.from(brain) };
  const outBrain = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const dx = x - cx;
      const dy = y - cy;
      const r = Math.hypot(dx, dy);
      if (r >= rm || r === 0) {
        out.data[i] = img.data[i];
        outBrain[i] = brain[i];
        continue;
      }
      const f = Math.pow(r / rm, k) * (rm / r);
      out.data[i] = sample(img, cx + dx * f, cy + dy * f);
      outBrain[i] = sample(brainF, cx + dx * f, cy + dy * f) > 0.5 ? 1 : 0;
    }
  }
  return { img: out, brain: outBrain };
}

/** Blends `target` values into `img` with weight `alpha` (0..1) per pixel, inside the brain only. */
function blendInto(img: Grid, brain: Uint8Array, alpha: Grid, target: (i: number) => number): void {
  for (let i = 0; i < img.data.length; i++) {
    const a = Math.min(1, alpha.data[i]);
    if (a > 0 && brain[i]) img.data[i] = img.data[i] * (1 - a) + target(i) * a;
  }
}

export function addMass(flair: Grid, brain: Uint8Array, rng: Rng): LesionResult | undefined {
  const { width: w, height: h } = flair;
  const depth = distanceInside(w, h, (i) => brain[i] === 1);
  const centres: number[] = [];
  for (let i = 0; i < depth.length; i++) if (depth[i] > 12) centres.push(i);
  if (centres.length === 0) return undefined;
  const c = centres[rng.int(0, centres.length - 1)];
  const cx = c % w;
  const cy = (c - cx) / w;
  const R = r2(rng.uniform(6, Math.min(30, depth[c] + 6)));
  const k = r2(rng.uniform(1.2, 2));
  const warped = massEffect(flair, brain, cx, cy, 2.2 * R, k);
  const shapeNoise = unitStd(fractalNoise(w, h, Math.max(2, Math.round(w / (2 * R))), 4, rng));
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (warped.brain[i] && Math.hypot(x - cx, y - cy) / R + 0.45 * shapeNoise.data[i] < 1) mask[i] = 1;
    }
  }
  const area = keepLargestComponent(mask, w, h);
  if (area < 30) return undefined;
  const level = r2(rng.uniform(0.85, 1.05));
  const edgeSigma = r2(rng.uniform(1, 2.5));
  const texture = fractalNoise(w, h, 24, 2, rng);
  const alpha = blur({ width: w, height: h, data: Float32Array.from(mask) }, edgeSigma);
  const img = warped.img;
  blendInto(img, warped.brain, alpha, (i) => level * (1 + 0.12 * texture.data[i]));
  let necrotic: { level: number; radius: number } | undefined;
  if (R > 14 && rng.chance(0.4)) {
    const coreLevel = r2(rng.uniform(0.15, 0.35));
    const coreR = r2(R * rng.uniform(0.35, 0.55));
    const core = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (mask[i] && Math.hypot(x - cx, y - cy) / coreR + 0.3 * shapeNoise.data[i] < 1) core[i] = 1;
      }
    }
    blendInto(img, warped.brain, blur({ width: w, height: h, data: Float32Array.from(core) }, 1.2), () => coreLevel);
    necrotic = { level: coreLevel, radius: coreR };
  }
  return {
    image: img,
    mask,
    areaPx: area,
    params: { category: "mass", centre: [cx, cy], radiusPx: R, massEffectK: k, massEffectRadiusPx: r2(2.2 * R), intensity: level, edgeSigmaPx: edgeSigma, necroticCore: necrotic ?? null },
  };
}

export function addSmallLesions(flair: Grid, brain: Uint8Array, t1: Grid, rng: Rng): LesionResult | undefined {
  const { width: w, height: h } = flair;
  const depth = distanceInside(w, h, (i) => brain[i] === 1);
  // Ventricles: dark (CSF) voxels deep inside the brain (sulcal CSF lies near the surface). Foci prefer white
  // matter within 12 px of them, as periventricular MS lesions do.
  const toVentricle = distanceInside(w, h, (i) => !(brain[i] && t1.data[i] < 45 && depth[i] > 10));
  const near: number[] = [];
  const anyWm: number[] = [];
  for (let i = 0; i < brain.length; i++) {
    if (brain[i] !== 1 || t1.data[i] < 95 || depth[i] <= 6) continue;
    anyWm.push(i);
    if (toVentricle[i] <= 12) near.push(i);
  }
  const pool = near.length >= 20 ? near : anyWm;
  if (pool.length === 0) return undefined;
  const count = rng.int(2, 6);
  const mask = new Uint8Array(w * h);
  const foci: Record<string, number>[] = [];
  for (let f = 0; f < count; f++) {
    const c = pool[rng.int(0, pool.length - 1)];
    const cx = c % w;
    const cy = (c - cx) / w;
    const R = r2(rng.uniform(2, 5));
    const ratio = r2(rng.uniform(1.2, 1.8));
    const angle = r2(rng.uniform(0, Math.PI));
    const ca = Math.cos(angle);
    const sa = Math.sin(angle);
    for (let y = Math.max(0, Math.floor(cy - 2 * R)); y <= Math.min(h - 1, cy + 2 * R); y++) {
      for (let x = Math.max(0, Math.floor(cx - 2 * R)); x <= Math.min(w - 1, cx + 2 * R); x++) {
        const u = ((x - cx) * ca + (y - cy) * sa) / (R * ratio);
        const v = (-(x - cx) * sa + (y - cy) * ca) / R;
        if (u * u + v * v <= 1 && brain[y * w + x]) mask[y * w + x] = 1;
      }
    }
    foci.push({ x: cx, y: cy, radiusPx: R, elongation: ratio, angleRad: angle });
  }
  let area = 0;
  for (const m of mask) area += m;
  if (area < 10) return undefined;
  const level = r2(rng.uniform(0.8, 1.0));
  const img: Grid = { ...flair, data: flair.data.slice() };
  blendInto(img, brain, blur({ width: w, height: h, data: Float32Array.from(mask) }, 0.8), () => level);
  // Re-assert full intensity inside the mask: the soft edge must not leave masked pixels at background level.
  for (let i = 0; i < mask.length; i++) if (mask[i]) img.data[i] = Math.max(img.data[i], 0.9 * level);
  return { image: img, mask, areaPx: area, params: { category: "small_lesions", foci, intensity: level } };
}
