// What every synthesis task shares (MediCLIP BaseTask.apply, methods.md §4.5): a patch placed with its top-left
// corner uniform in [0, S − patch] per axis (integers, inclusive), and the up-to-two-anomalies loop.
import type { Rng } from "../../util/random/rng";
import type { GrayImage } from "./grayImage";
import type { PatchMask } from "./perlinMask";

export interface PlacedAnomaly {
  r0: number;
  c0: number;
  /** Patch-sized mask of the pixels that make up this anomaly. */
  mask: PatchMask;
}

export function randomCorner(rng: Rng, img: GrayImage, patch: { height: number; width: number }): { r0: number; c0: number } {
  return { r0: rng.int(0, img.height - patch.height), c0: rng.int(0, img.width - patch.width) };
}

/**
 * Applies `one` (make a patch mask, place it, change the image in place) up to twice, stopping after each anomaly
 * with probability 0.5; returns the union of the anomaly masks over the whole image and how many were made.
 */
export function applyAnomalies(img: GrayImage, rng: Rng, one: (img: GrayImage, rng: Rng) => PlacedAnomaly): { mask: Uint8Array; count: number } {
  const mask = new Uint8Array(img.height * img.width);
  let count = 0;
  for (let i = 0; i < 2; i++) {
    const a = one(img, rng);
    for (let r = 0; r < a.mask.height; r++) {
      for (let c = 0; c < a.mask.width; c++) if (a.mask.data[r * a.mask.width + c]) mask[(a.r0 + r) * img.width + a.c0 + c] = 1;
    }
    count++;
    if (rng.chance(0.5)) break;
  }
  return { mask, count };
}
