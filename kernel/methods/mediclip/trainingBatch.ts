// MediCLIP's training samples: every epoch each support normal gets a freshly drawn synthesis task (methods.md §4.4),
// so the images change every step and their taps cannot be cached. Each draw is seeded by (seed, epoch, image), so a
// resumed run sees the same synthetic images as an uninterrupted one.
import { Rng } from "../../util/random/rng";
import { grayToModelInput } from "../../data/synth/sampleImage";
import { SynthOptions, synthesize, SynthTaskName } from "../../data/synth/tasks";
import type { GrayImage } from "../../data/synth/grayImage";
import type { CutPasteBlend } from "../../data/synth/cutPaste";

export interface SynthesisSettings {
  /** Tasks drawn from with equal probability (default: all four, p = 0.25 each, as the reference). */
  tasks: readonly SynthTaskName[];
  cutPasteBlend: CutPasteBlend;
}

export interface SyntheticSample {
  /** [3, S, S] normalised model input. */
  pixels: Float32Array;
  /** [S, S] label map in [0, 1]. */
  label: Float32Array;
  task: SynthTaskName;
}

export function synthesisRng(seed: number, epoch: number, image: number): Rng {
  return new Rng(seed).fork(700_000 + epoch).fork(image);
}

export function syntheticSample(
  normals: readonly GrayImage[],
  index: number,
  rng: Rng,
  s: SynthesisSettings,
  normalize: boolean,
): SyntheticSample {
  const task: SynthTaskName = s.tasks[rng.int(0, s.tasks.length - 1)];
  const o: SynthOptions = { task, sources: normals, cutPasteBlend: s.cutPasteBlend, pixels: "uint8" };
  const out = synthesize(normals[index], rng, o);
  return { pixels: grayToModelInput(out.image, normalize), label: Float32Array.from(out.label), task };
}
