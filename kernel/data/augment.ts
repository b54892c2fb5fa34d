/**
 * Support-set augmentation as the references do it, on [C, H, W] float tensors in [0, 1]:
 * - MVFA (11 versions): original; rotations −π/8, −π/16, π/16, π/8; translations (±0.1, ±0.1) in normalised grid
 *   units; hflip; vflip. Rotations/translations are torch's affine_grid + grid_sample (bilinear, reflection
 *   padding, align_corners=False), reproduced here.
 * - MadCLIP (16): MVFA's 10 warps plus 4 centre zooms (crop side/{1.1, 1.15, 1.2, 1.3}, bilinear back) and one
 *   colour jitter (brightness and contrast ×U(0.8, 1.2), seeded here; MadCLIP draws unseeded). Jitter "reference"
 *   (default) as MadCLIP's utils.color_jittering on a class batch [k, 3, H, W]: one brightness and one contrast draw
 *   for the whole batch, brightness unclamped, contrast about the mean over channels and rows of each image column
 *   (`x.mean(dim=[1, 2])` of the 4-D batch), then clamp to [0, 1]. "per-image": ours before — one draw per image,
 *   brightness clipped at 1, contrast about each channel's mean, clamp.
 * Masks get the same geometric warp (bilinear, so edges become fractional; the references re-binarise > 0.5 in the
 * loss) and are left unchanged by the colour jitter.
 */
import { ChwTensor } from "../imaging/raster";
import { Rng } from "../util/random/rng";

type Theta = readonly [readonly [number, number, number], readonly [number, number, number]];

/** torch's reflect_coordinates for align_corners=False (reflect about −0.5 and size − 0.5), then clip. */
function reflect(x: number, size: number): number {
  const min = -0.5;
  const span = size;
  let v = Math.abs(x - min);
  const flips = Math.floor(v / span);
  const extra = v - flips * span;
  v = flips % 2 === 0 ? extra + min : span - extra + min;
  return Math.min(size - 1, Math.max(0, v));
}

/** F.grid_sample(x, F.affine_grid(theta, x.size()), mode="bilinear", padding_mode="reflection"). */
export function affineWarp(t: ChwTensor, theta: Theta): ChwTensor {
  const [c, h, w] = t.dims;
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < h; i++) {
    const y = (2 * i + 1) / h - 1;
    for (let j = 0; j < w; j++) {
      const x = (2 * j + 1) / w - 1;
      const gx = theta[0][0] * x + theta[0][1] * y + theta[0][2];
      const gy = theta[1][0] * x + theta[1][1] * y + theta[1][2];
      const ix = reflect(((gx + 1) * w - 1) / 2, w);
      const iy = reflect(((gy + 1) * h - 1) / 2, h);
      const x0 = Math.floor(ix);
      const y0 = Math.floor(iy);
      const fx = ix - x0;
      const fy = iy - y0;
      const x1 = Math.min(x0 + 1, w - 1); // weight fx is 0 whenever x0 + 1 would be out of range
      const y1 = Math.min(y0 + 1, h - 1);
      for (let ch = 0; ch < c; ch++) {
        const p = t.data.subarray(ch * h * w, (ch + 1) * h * w);
        out[ch * h * w + i * w + j] =
          (p[y0 * w + x0] * (1 - fx) + p[y0 * w + x1] * fx) * (1 - fy) + (p[y1 * w + x0] * (1 - fx) + p[y1 * w + x1] * fx) * fy;
      }
    }
  }
  return { dims: t.dims, data: out };
}

export function rotate(t: ChwTensor, angle: number): ChwTensor {
  return affineWarp(t, [[Math.cos(angle), -Math.sin(angle), 0], [Math.sin(angle), Math.cos(angle), 0]]);
}

export function translate(t: ChwTensor, a: number, b: number): ChwTensor {
  return affineWarp(t, [[1, 0, a], [0, 1, b]]);
}

export function flip(t: ChwTensor, axis: "horizontal" | "vertical"): ChwTensor {
  const [c, h, w] = t.dims;
  const out = new Float32Array(t.data.length);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const si = axis === "vertical" ? h - 1 - i : i;
        const sj = axis === "horizontal" ? w - 1 - j : j;
        out[ch * h * w + i * w + j] = t.data[ch * h * w + si * w + sj];
      }
    }
  }
  return { dims: t.dims, data: out };
}

/** F.interpolate(mode="bilinear", align_corners=False) of a crop [top, left, ch, cw] back to h × w. */
function cropResize(t: ChwTensor, top: number, left: number, ch: number, cw: number): ChwTensor {
  const [c, h, w] = t.dims;
  const out = new Float32Array(t.data.length);
  const src = (d: number, inSize: number, outSize: number) => Math.max(0, ((d + 0.5) * inSize) / outSize - 0.5);
  for (let i = 0; i < h; i++) {
    const sy = src(i, ch, h);
    const y0 = Math.min(Math.floor(sy), ch - 1);
    const y1 = Math.min(y0 + 1, ch - 1);
    const fy = sy - y0;
    for (let j = 0; j < w; j++) {
      const sx = src(j, cw, w);
      const x0 = Math.min(Math.floor(sx), cw - 1);
      const x1 = Math.min(x0 + 1, cw - 1);
      const fx = sx - x0;
      for (let k = 0; k < c; k++) {
        const at = (yy: number, xx: number) => t.data[k * h * w + (top + yy) * w + left + xx];
        out[k * h * w + i * w + j] = (at(y0, x0) * (1 - fx) + at(y0, x1) * fx) * (1 - fy) + (at(y1, x0) * (1 - fx) + at(y1, x1) * fx) * fy;
      }
    }
  }
  return { dims: t.dims, data: out };
}

/** Centre crop of side int(side/factor) at offset (side − crop) // 2 (MadCLIP's zoom_img floors an odd margin), resized
 * back to the full size. */
export function centreZoom(t: ChwTensor, factor: number): ChwTensor {
  const [, h, w] = t.dims;
  const ch = Math.floor(h / factor);
  const cw = Math.floor(w / factor);
  return cropResize(t, Math.floor((h - ch) / 2), Math.floor((w - cw) / 2), ch, cw);
}

/** Brightness ×b then contrast ×c about each channel's mean, clamped to [0, 1]. */
export function colourJitter(t: ChwTensor, brightness: number, contrast: number): ChwTensor {
  const [c, h, w] = t.dims;
  const n = h * w;
  const out = new Float32Array(t.data.length);
  for (let k = 0; k < c; k++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += Math.min(1, t.data[k * n + i] * brightness);
    mean /= n;
    for (let i = 0; i < n; i++) {
      const b = Math.min(1, t.data[k * n + i] * brightness);
      out[k * n + i] = Math.min(1, Math.max(0, mean + (b - mean) * contrast));
    }
  }
  return { dims: t.dims, data: out };
}

/**
 * MadCLIP's color_jittering applied to one image of the batch: x·b, then (x − m)·c + m with m the mean over the
 * channels and rows of each column (x.mean(dim=[1, 2]) of a [B, C, H, W] batch), then clamp to [0, 1].
 */
export function referenceColourJitter(t: ChwTensor, brightness: number, contrast: number): ChwTensor {
  const [c, h, w] = t.dims;
  const out = new Float32Array(t.data.length);
  for (let j = 0; j < w; j++) {
    let mean = 0;
    for (let k = 0; k < c; k++) for (let i = 0; i < h; i++) mean += t.data[k * h * w + i * w + j] * brightness;
    mean /= c * h;
    for (let k = 0; k < c; k++) {
      for (let i = 0; i < h; i++) {
        const at = k * h * w + i * w + j;
        out[at] = Math.min(1, Math.max(0, (t.data[at] * brightness - mean) * contrast + mean));
      }
    }
  }
  return { dims: t.dims, data: out };
}

export type AugmentMethod = "mvfa" | "madclip";

/** MadCLIP's colour jitter: "reference" (its code, default) or "per-image" (ours before, kept as an option). */
export const JITTER_MODES = ["reference", "per-image"] as const;
export type JitterMode = (typeof JITTER_MODES)[number];

interface Version {
  name: string;
  geometric: boolean;
  apply: (t: ChwTensor, jitter: { b: number; c: number }) => ChwTensor;
}

function versions(method: AugmentMethod, jitter: JitterMode = "reference"): Version[] {
  const g = (name: string, f: (t: ChwTensor) => ChwTensor): Version => ({ name, geometric: true, apply: (t) => f(t) });
  const list: Version[] = [g("original", (t) => t)];
  for (const a of [-Math.PI / 8, -Math.PI / 16, Math.PI / 16, Math.PI / 8]) list.push(g(`rotate(${a.toFixed(4)})`, (t) => rotate(t, a)));
  for (const [a, b] of [[0.1, 0.1], [-0.1, 0.1], [-0.1, -0.1], [0.1, -0.1]]) list.push(g(`translate(${a},${b})`, (t) => translate(t, a, b)));
  if (method === "madclip") {
    for (const f of [1.1, 1.15, 1.2, 1.3]) list.push(g(`zoom(${f})`, (t) => centreZoom(t, f)));
    const jit = jitter === "reference" ? referenceColourJitter : colourJitter;
    list.push({ name: "colour-jitter", geometric: false, apply: (t, j) => jit(t, j.b, j.c) });
  }
  list.push(g("hflip", (t) => flip(t, "horizontal")), g("vflip", (t) => flip(t, "vertical")));
  return list;
}

export function augmentationNames(method: AugmentMethod): string[] {
  return versions(method).map((v) => v.name);
}

export interface AugmentedSet {
  images: ChwTensor[];
  /** One per image: the warped mask, or zeros for images without a mask. */
  masks: ChwTensor[];
  /** Which version each entry is. */
  versions: string[];
  /** Index into the input list each entry came from. */
  sources: number[];
}

/**
 * Augments a support set, ordered version-major as the references' torch.cat does: [all originals, all rotated
 * −π/8, …]. `seed` drives MadCLIP's colour jitter: one draw for the whole call (`jitter` "reference": the call is
 * one class batch, as the reference augments normals and abnormals in two calls) or one per image ("per-image").
 */
export function augmentSupport(images: readonly ChwTensor[], masks: readonly (ChwTensor | undefined)[], method: AugmentMethod, seed = 0, jitter: JitterMode = "reference"): AugmentedSet {
  if (masks.length !== images.length) throw new Error(`augmentSupport: ${images.length} images but ${masks.length} mask entries`);
  if (!(JITTER_MODES as readonly string[]).includes(jitter)) throw new Error(`augmentSupport: jitter must be ${JITTER_MODES.map((m) => `"${m}"`).join(" or ")}, not ${JSON.stringify(jitter)}`);
  const rng = new Rng(seed);
  const once = { b: rng.uniform(0.8, 1.2), c: rng.uniform(0.8, 1.2) };
  const jitters = jitter === "reference" ? images.map(() => once) : images.map((_, i) => (i === 0 ? once : { b: rng.uniform(0.8, 1.2), c: rng.uniform(0.8, 1.2) }));
  const out: AugmentedSet = { images: [], masks: [], versions: [], sources: [] };
  for (const v of versions(method, jitter)) {
    images.forEach((img, i) => {
      const [, h, w] = img.dims;
      const mask = masks[i] ?? { dims: [1, h, w] as const, data: new Float32Array(h * w) };
      out.images.push(v.apply(img, jitters[i]));
      out.masks.push(v.geometric && masks[i] ? v.apply(mask, jitters[i]) : mask);
      out.versions.push(v.name);
      out.sources.push(i);
    });
  }
  return out;
}
