// MediCLIP's synthesis tasks behind one call (methods.md §4.5): per training sample one task is drawn with p = 0.25
// each — CutPaste, GaussIntensityChange, Source deformation, Identity (the normal image, all-zero label) — and applied
// through the common up-to-two-anomalies loop. Returns the synthetic image, the binary anomaly mask and the label map
// the loss sees (CutPaste: FlippedGaussianLabeller; the others: the binary mask).
import { Rng } from "../../util/random/rng";
import { CutPasteBlend, cutPasteAnomaly, flippedGaussianLabel } from "./cutPaste";
import { gaussIntensityAnomaly } from "./gaussIntensity";
import { cloneImage, GrayImage, truncateUint8 } from "./grayImage";
import { applyAnomalies } from "./placement";
import { sourceDeformationAnomaly } from "./sourceDeformation";

export const SYNTH_TASKS = ["cutpaste", "gauss-intensity", "source-deformation", "identity"] as const;
export type SynthTaskName = (typeof SYNTH_TASKS)[number];

export interface SynthOptions {
  /** A fixed task, or undefined to draw one (p = 0.25 each, as the reference). */
  task?: SynthTaskName;
  /** CutPaste's source images (the k support normals; the image itself may be among them). Default: the image. */
  sources?: readonly GrayImage[];
  /** "replace" (the code, default) or "poisson" (the paper). */
  cutPasteBlend?: CutPasteBlend;
  /**
   * "uint8": as MediCLIP's train path, whose image is a uint8 array — CutPaste and Source deformation resample into
   * it (scipy rounds to 0..255 integers), CutPaste's label sees the uint8 difference (wrapping modulo 256), and the
   * finished image is truncated to uint8 (`image.astype(np.uint8)`; Gauss intensity works in floats until then).
   * "float" (default): float64 throughout, no rounding (corpus alteration and earlier results).
   */
  pixels?: "uint8" | "float";
}

export interface SynthSample {
  image: GrayImage;
  /** 1 where an anomaly was placed. */
  mask: Uint8Array;
  /** What the loss trains towards, in [0, 1]. */
  label: Float64Array;
  task: SynthTaskName;
  /** Anomalies placed (0 for identity, else 1 or 2). */
  anomalies: number;
}

export function drawTask(rng: Rng): SynthTaskName {
  return SYNTH_TASKS[Math.min(3, Math.floor(rng.next() * 4))];
}

export function isSynthTask(v: unknown): v is SynthTaskName {
  return typeof v === "string" && (SYNTH_TASKS as readonly string[]).includes(v);
}

/** One synthetic training sample from a normal image (which is left unchanged). */
export function synthesize(normal: GrayImage, rng: Rng, o: SynthOptions = {}): SynthSample {
  const task = o.task ?? drawTask(rng);
  const image = cloneImage(normal);
  const n = normal.height * normal.width;
  if (task === "identity") {
    if (o.pixels === "uint8") truncateUint8(image);
    return { image, mask: new Uint8Array(n), label: new Float64Array(n), task, anomalies: 0 };
  }
  const sources = o.sources && o.sources.length ? o.sources : [normal];
  const uint8 = o.pixels === "uint8";
  const one =
    task === "cutpaste" ? (img: GrayImage, r: Rng) => cutPasteAnomaly(img, r, sources, o.cutPasteBlend ?? "replace", uint8)
      : task === "gauss-intensity" ? gaussIntensityAnomaly
        : (img: GrayImage, r: Rng) => sourceDeformationAnomaly(img, r, uint8);
  const { mask, count } = applyAnomalies(image, rng, one);
  const label = task === "cutpaste" ? flippedGaussianLabel(image, normal, mask, undefined, uint8) : Float64Array.from(mask);
  if (uint8) truncateUint8(image);
  return { image, mask, label, task, anomalies: count };
}
