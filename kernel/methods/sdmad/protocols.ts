/**
 * The three multi-anomaly evaluation protocols (ours; methods.md §6.2, docs/sd-mad.md), on the test images' category
 * logits z = [z₁..z_K]:
 *   P1 normal vs any anomaly: image AUROC (and AP) of max_c σ(z_c), positives = images with any category.
 *   P2 per category one-vs-rest: AUROC of z_c, positives = images of category c, negatives = every other image
 *      (normals included); macro mean over the categories that have positives and negatives.
 *   P3 multi-class over {normal, c₁..c_K}: prediction argmax over [0, z₁..z_K] (normal when every z_c < 0), accuracy
 *      and macro-F1 over all K + 1 classes (images with exactly one or no category; multi-label images are counted
 *      in `multiLabelImages` and left out), plus mAP = mean over categories of the one-vs-rest AP of z_c (all images;
 *      the P3 figure for multi-label data).
 */
import { aurocExact } from "../../metrics/auroc";
import { averagePrecision } from "../../metrics/averagePrecision";
import { accuracy, confusionMatrix, perClassF1 } from "../../metrics/multiclass";
import { anomalyScore, predictedClass } from "./scores";

export interface ProtocolImage {
  /** 1-based category ids of the image (empty = normal). */
  categories: number[];
  z: number[];
}

export interface MultiAnomalyProtocols {
  p1: { auroc: number; averagePrecision: number; positives: number; negatives: number };
  p2: { perCategory: Record<string, { auroc: number; positives: number; negatives: number }>; macroAuroc: number };
  p3: {
    accuracy: number;
    macroF1: number;
    perClassF1: Record<string, number>;
    /** Rows = truth, columns = prediction, in `classes` order. */
    confusion: { classes: string[]; matrix: number[][] };
    images: number;
    multiLabelImages: number;
    meanAveragePrecision: number;
  };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function multiAnomalyProtocols(
  images: readonly ProtocolImage[],
  categories: readonly string[],
): MultiAnomalyProtocols {
  const K = categories.length;
  const anomalous = images.map((im) => (im.categories.length > 0 ? 1 : 0));
  const score = images.map((im) => anomalyScore(im.z));
  const positives = anomalous.reduce<number>((a, b) => a + b, 0);
  const p1 = {
    auroc: aurocExact(score, anomalous),
    averagePrecision: averagePrecision(score, anomalous),
    positives,
    negatives: images.length - positives,
  };

  const perCategory: MultiAnomalyProtocols["p2"]["perCategory"] = {};
  const aps: number[] = [];
  categories.forEach((name, i) => {
    const y = images.map((im) => (im.categories.includes(i + 1) ? 1 : 0));
    const zc = images.map((im) => im.z[i]);
    const pos = y.reduce<number>((a, b) => a + b, 0);
    const defined = pos > 0 && pos < images.length;
    perCategory[name] = { auroc: defined ? aurocExact(zc, y) : NaN, positives: pos, negatives: images.length - pos };
    if (pos > 0) aps.push(averagePrecision(zc, y));
  });
  const p2 = {
    perCategory,
    macroAuroc: mean(
      Object.values(perCategory)
        .map((c) => c.auroc)
        .filter(Number.isFinite),
    ),
  };

  const single = images.filter((im) => im.categories.length <= 1);
  const truth = single.map((im) => im.categories[0] ?? 0);
  const predicted = single.map((im) => predictedClass(im.z));
  const classes = ["normal", ...categories];
  const f1 = single.length ? perClassF1(truth, predicted, K + 1) : classes.map(() => NaN);
  const p3 = {
    accuracy: single.length ? accuracy(truth, predicted, K + 1) : NaN,
    macroF1: mean(f1),
    perClassF1: Object.fromEntries(classes.map((c, i) => [c, f1[i]])),
    confusion: { classes, matrix: single.length ? confusionMatrix(truth, predicted, K + 1) : [] },
    images: single.length,
    multiLabelImages: images.length - single.length,
    meanAveragePrecision: mean(aps),
  };
  return { p1, p2, p3 };
}
