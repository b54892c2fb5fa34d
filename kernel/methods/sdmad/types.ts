// What an SD-MAD-inspired run adds to its FewshotResult (`multiAnomaly`): the categories, the signs it used and
// selected, the uncertain-sample fallback, the three protocols and every test image's decision.
import type { MultiAnomalyProtocols } from "./protocols";

export interface SignRecord {
  /** "normal" or the anomaly category. */
  group: string;
  sign: string;
  prompt: string;
  /** AUROC of the sign score on the support images (its category vs the rest); null for normal signs. */
  supportAuroc: number | null;
  selected: boolean;
}

export interface MultiAnomalyPrediction {
  file: string;
  /** The true categories ("normal" when none), joined with "+". */
  truth: string;
  predicted: string;
  /** Category logits z₁..z_K in `categories` order. */
  logits: number[];
  /** Scored with all signs because its decision entropy was above the support threshold. */
  uncertain: boolean;
}

export interface MultiAnomalyResult extends MultiAnomalyProtocols {
  categories: string[];
  signSource: string;
  modality: string;
  signs: SignRecord[];
  selectedSigns: Record<string, string[]>;
  selection: "support AUROC ≥ max(0.5, median), at least 2 per category" | "off (all signs)";
  uncertain: { fallback: boolean; percentile: number; threshold: number | null; testImages: number };
  /** The three protocols on the support originals (the training images): training fit, not generalisation. */
  supportFit: MultiAnomalyProtocols;
  predictions: MultiAnomalyPrediction[];
}
