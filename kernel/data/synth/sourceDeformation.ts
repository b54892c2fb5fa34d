// MediCLIP's Source deformation task (RadialDeformationTask → SourceDeformationTask, methods.md §4.5): a sheared and
// rotated rectangle or ellipse (props 0.2–0.6, per-axis size (0.03 + Gamma(2, 0.1))·S) whose content is pushed
// outward from a random interior centre c: each interior pixel p samples c + u·d^f/D^(f−1) (u, d = direction and
// distance from c, D = distance from c to the shape edge along u, f = 2^U(0.5, 2)), resampled with scipy's order-3
// map_coordinates (mode "nearest"). Pixels on the patch border and outside the shape are untouched. Label = the shape.
import type { Rng } from "../../util/random/rng";
import { cropImage, GrayImage, scipyUint8 } from "./grayImage";
import { patchBounds, type PatchMask } from "./perlinMask";
import { randomCorner, type PlacedAnomaly } from "./placement";
import { splineAt, splineCoefficients } from "./spline";

export const SOURCE_DEFORMATION_PROPS = [0.2, 0.6] as const;

export interface DeformShape {
  kind: "rectangle" | "ellipse";
  /** Half sizes along the shape's own axes (rows, columns). */
  half: [number, number];
  /** Inverse of the shear + rotation (+ fit scaling): patch offsets from the centre → shape coordinates. */
  inverse: [number, number, number, number];
  mask: PatchMask;
}

const gamma2 = (rng: Rng, scale: number) => -scale * (Math.log(1 - rng.next()) + Math.log(1 - rng.next()));

function inShape(kind: DeformShape["kind"], half: [number, number], a: number, b: number): boolean {
  return kind === "rectangle" ? Math.abs(a) <= half[0] && Math.abs(b) <= half[1] : (a / half[0]) ** 2 + (b / half[1]) ** 2 <= 1;
}

export function deformShape(rng: Rng, size: number): DeformShape {
  const { lo, hi } = patchBounds(size, ...SOURCE_DEFORMATION_PROPS);
  const kind = rng.chance(0.5) ? "rectangle" : "ellipse";
  const side = () => Math.floor(Math.min(hi, Math.max(lo, (0.03 + gamma2(rng, 0.1)) * size)));
  const dims: [number, number] = [side(), side()];
  const half: [number, number] = [dims[0] / 2, dims[1] / 2];
  const shear = [1, 0.2 * rng.normal(), 0.2 * rng.normal(), 1];
  const t = rng.uniform(-Math.PI / 2, Math.PI / 2);
  const rot = [Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)];
  let T = [rot[0] * shear[0] + rot[1] * shear[2], rot[0] * shear[1] + rot[1] * shear[3], rot[2] * shear[0] + rot[3] * shear[2], rot[2] * shear[1] + rot[3] * shear[3]];
  const corners = [[-half[0], -half[1]], [half[0], -half[1]], [-half[0], half[1]], [half[0], half[1]]];
  const extent = (m: number[]) => [0, 1].map((k) => {
    const v = corners.map(([a, b]) => m[2 * k] * a + m[2 * k + 1] * b);
    return Math.max(...v) - Math.min(...v);
  });
  const e0 = extent(T);
  const fit = Math.min(1, ...e0.map((e) => hi / Math.max(1e-9, e)));
  T = T.map((v) => v * fit);
  const e = extent(T);
  const height = Math.max(1, Math.ceil(e[0]));
  const width = Math.max(1, Math.ceil(e[1]));
  const det = T[0] * T[3] - T[1] * T[2];
  const inverse: DeformShape["inverse"] = [T[3] / det, -T[1] / det, -T[2] / det, T[0] / det];
  const data = new Uint8Array(height * width);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const y = r - (height - 1) / 2;
      const x = c - (width - 1) / 2;
      if (inShape(kind, half, inverse[0] * y + inverse[1] * x, inverse[2] * y + inverse[3] * x)) data[r * width + c] = 1;
    }
  }
  return { kind, half, inverse, mask: { height, width, data } };
}

/** Distance from patch offset `c` (relative to the patch centre) to the shape's edge along unit direction `u`. */
export function edgeDistance(s: DeformShape, c: [number, number], u: [number, number]): number {
  const inv = s.inverse;
  const a = [inv[0] * c[0] + inv[1] * c[1], inv[2] * c[0] + inv[3] * c[1]];
  const w = [inv[0] * u[0] + inv[1] * u[1], inv[2] * u[0] + inv[3] * u[1]];
  if (s.kind === "rectangle") {
    let t = Infinity;
    for (let k = 0; k < 2; k++) if (Math.abs(w[k]) > 1e-12) t = Math.min(t, (Math.sign(w[k]) * s.half[k] - a[k]) / w[k]);
    return t;
  }
  const A = (w[0] / s.half[0]) ** 2 + (w[1] / s.half[1]) ** 2;
  const B = 2 * ((a[0] * w[0]) / s.half[0] ** 2 + (a[1] * w[1]) / s.half[1] ** 2);
  const C = (a[0] / s.half[0]) ** 2 + (a[1] / s.half[1]) ** 2 - 1;
  return (-B + Math.sqrt(Math.max(0, B * B - 4 * A * C))) / (2 * A);
}

/** `uint8`: map_coordinates on the reference's uint8 image stores rounded 0..255 integers (scipyUint8). */
export function sourceDeformationAnomaly(img: GrayImage, rng: Rng, uint8 = false): PlacedAnomaly {
  const shape = deformShape(rng, img.height);
  const { mask } = shape;
  const { r0, c0 } = randomCorner(rng, img, mask);
  const inside: number[] = [];
  for (let k = 0; k < mask.data.length; k++) if (mask.data[k]) inside.push(k);
  if (inside.length === 0) return { r0, c0, mask };
  const centre = inside[rng.int(0, inside.length - 1)];
  const cr = Math.floor(centre / mask.width);
  const cc = centre % mask.width;
  const f = Math.pow(2, rng.uniform(0.5, 2));
  const patch = cropImage(img, r0, c0, mask.height, mask.width);
  const spline = splineCoefficients(patch, "nearest");
  const mid: [number, number] = [(mask.height - 1) / 2, (mask.width - 1) / 2];
  for (const k of inside) {
    const r = Math.floor(k / mask.width);
    const c = k % mask.width;
    if (r === 0 || c === 0 || r === mask.height - 1 || c === mask.width - 1 || k === centre) continue;
    const dy = r - cr;
    const dx = c - cc;
    const d = Math.hypot(dy, dx);
    const u: [number, number] = [dy / d, dx / d];
    const D = Math.max(d, edgeDistance(shape, [cr - mid[0], cc - mid[1]], u));
    const pulled = Math.pow(d, f) / Math.pow(D, f - 1);
    const v = splineAt(spline, cr + u[0] * pulled, cc + u[1] * pulled);
    img.data[(r0 + r) * img.width + c0 + c] = uint8 ? scipyUint8(v) : v;
  }
  return { r0, c0, mask };
}
