// The training set of MVFA and MadCLIP: the k normal + k abnormal support images, each in the reference's augmented
// versions (MVFA 11, MadCLIP 16), with masks warped alongside (zeros for normals) and labels 0/1.
import { augmentSupport, AugmentMethod, JITTER_MODES, JitterMode } from "../data/augment";
import { sampleImageTensor, sampleMaskTensor } from "../data/sampleTensors";
import type { MethodContext } from "./method";

export interface TrainingImage {
  /** Preprocessed [3, S, S]. */
  pixels: Float32Array;
  /** [S, S], not binarised (the losses threshold at 0.5, as the references). */
  mask: Float32Array;
  label: 0 | 1;
  /** Index of the support image it came from, within its class (normal n or abnormal n). */
  source: number;
  version: string;
}

export interface TrainingSet {
  normal: TrainingImage[];
  abnormal: TrainingImage[];
  /** Versions per support image. */
  versions: number;
  /** MadCLIP's colour jitter mode (options.jitter); undefined for MVFA, which has none. */
  jitter?: JitterMode;
}

/** options.jitter of MadCLIP: "reference" (default: one draw per class batch, as its code) or "per-image". */
export function jitterMode(options: Record<string, unknown>): JitterMode {
  const v = options.jitter ?? "reference";
  if (!(JITTER_MODES as readonly unknown[]).includes(v))
    throw new Error(
      `madclip: option jitter must be "reference" (one brightness/contrast draw per class batch, contrast about each column's mean, as MadCLIP's utils.py) or "per-image" (one draw per image, per-channel mean), not ${JSON.stringify(v)}`,
    );
  return v as JitterMode;
}

/** Needs k ≥ 1 normal and k ≥ 1 abnormal support images (MVFA's and MadCLIP's k-shot protocol). */
export function buildTrainingSet(
  ctx: MethodContext,
  method: AugmentMethod,
  augment: boolean,
  seed: number,
): TrainingSet {
  const support = ctx.support;
  if (!support || support.normal.length === 0 || support.abnormal.length === 0) {
    throw new Error(
      `${method} trains on k normal + k abnormal support images: set shots ≥ 1 with the "mvfa" support protocol (abnormal validation images needed)`,
    );
  }
  const size = ctx.imageSize;
  const jitter = method === "madclip" ? jitterMode(ctx.options) : undefined;
  const expand = (samples: typeof support.normal, label: 0 | 1, withMasks: boolean, salt: number): TrainingImage[] => {
    const images = samples.map((s) => sampleImageTensor(s, { size, ...ctx.preprocess }));
    const masks = samples.map((s) => (withMasks && s.maskPath ? sampleMaskTensor(s, size) : undefined));
    // One augment call per class, as the reference (separate seeds, so the normals' jitter never depends on the
    // abnormals).
    const aug = augmentSupport(images, masks, method, seed * 2 + salt, jitter);
    const out: TrainingImage[] = [];
    aug.images.forEach((t, i) => {
      if (!augment && aug.versions[i] !== "original") return;
      out.push({ pixels: t.data, mask: aug.masks[i].data, label, source: aug.sources[i], version: aug.versions[i] });
    });
    return out;
  };
  const normal = expand(support.normal, 0, false, 0);
  const abnormal = expand(support.abnormal, 1, true, 1);
  return { normal, abnormal, versions: normal.length / support.normal.length, jitter };
}

/** True when every abnormal support image has a mask: the seg head (focal + dice) can be trained. */
export function supportHasMasks(ctx: MethodContext): boolean {
  return !!ctx.support && ctx.support.abnormal.length > 0 && ctx.support.abnormal.every((s) => !!s.maskPath);
}
