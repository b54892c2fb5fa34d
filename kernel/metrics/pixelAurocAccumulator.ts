import { aurocFromHistogram } from "./auroc";
import { averagePrecisionFromHistogram } from "./averagePrecision";
import { F1Max, f1MaxFromHistogram } from "./f1Max";
import { float32OfKey } from "./float32Key";
import { KeyCountTable, KeyCountTableState } from "./keyCountTable";
import { ScoreHistogram } from "./scoreHistogram";

export type PixelMask = Uint8Array | Float32Array;

export interface PixelMetrics {
  auroc: number;
  averagePrecision: number;
  f1Max: F1Max;
  positives: number;
  negatives: number;
}

/** Plain data (structured-clone safe): what a worker posts back to be merged with fromState + merge. */
export interface PixelAurocState {
  negatives: KeyCountTableState;
  positives: KeyCountTableState;
  negativeCount: number;
  positiveCount: number;
  images: number;
}

const SIGN_BIT = 0x80000000;
const ABS_MASK = 0x7fffffff;
const EXPONENT_MASK = 0x7f800000;

/**
 * Pixel-level AUROC / AP / F1-max over any number of images, exact and streaming: each add() counts the images' float32
 * scores per bit pattern (see float32Key.ts and keyCountTable.ts), then discards them. Memory depends on how many
 * distinct scores occur, not on how many pixels are seen, and equal floats always share a count, so ties are exact.
 * Results equal sklearn's roc_auc_score / average_precision_score on the concatenated pixels (float32 upcast to
 * float64). Two accumulators fed by different workers can be merged.
 *
 * Masks: Uint8Array is anomalous wherever non-zero (0/1 and 0/255 masks both work); Float32Array must hold exactly 0
 * or 1 (binarise soft masks first, e.g. mask > 0.5, as the reference pipelines do). NaN scores are refused.
 */
export class PixelAurocAccumulator implements ScoreHistogram {
  private negativeKeys = new KeyCountTable();
  private positiveKeys = new KeyCountTable();
  private positiveCount = 0;
  private negativeCount = 0;
  private images = 0;

  get positives(): number {
    return this.positiveCount;
  }

  get negatives(): number {
    return this.negativeCount;
  }

  /** Counts one image (or any chunk of pixels). scores and mask pair element by element. */
  add(scores: Float32Array, mask: PixelMask): void {
    const where = `image ${this.images}`;
    if (!(scores instanceof Float32Array)) {
      throw new Error(
        `${where}: pixel scores must be a Float32Array (ties are defined on float32 values); convert with Float32Array.from().`,
      );
    }
    if (scores.length !== mask.length) {
      throw new Error(
        `${where}: ${scores.length} scores but ${mask.length} mask pixels; the map and mask must have the same size.`,
      );
    }
    const bits = new Uint32Array(scores.buffer, scores.byteOffset, scores.length);
    // Validate before counting so a refused chunk leaves the accumulator unchanged.
    this.checkChunk(bits, mask, where);
    let positives = 0;
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i];
      // Inline float32Key.keyOfFloat32Bits: this loop runs once per pixel.
      const key = b & SIGN_BIT ? (b === SIGN_BIT ? SIGN_BIT : ~b >>> 0) : (b | SIGN_BIT) >>> 0;
      if (mask[i] !== 0) {
        this.positiveKeys.add(key);
        positives++;
      } else {
        this.negativeKeys.add(key);
      }
    }
    this.positiveCount += positives;
    this.negativeCount += bits.length - positives;
    this.images++;
  }

  /** Adds everything other has counted (other is unchanged), e.g. to combine workers' partial results. */
  merge(other: PixelAurocAccumulator): void {
    if (other === this) throw new Error("An accumulator cannot be merged into itself.");
    this.negativeKeys.merge(other.negativeKeys);
    this.positiveKeys.merge(other.positiveKeys);
    this.positiveCount += other.positiveCount;
    this.negativeCount += other.negativeCount;
    this.images += other.images;
  }

  toState(): PixelAurocState {
    return {
      negatives: this.negativeKeys.toState(),
      positives: this.positiveKeys.toState(),
      negativeCount: this.negativeCount,
      positiveCount: this.positiveCount,
      images: this.images,
    };
  }

  static fromState(state: PixelAurocState): PixelAurocAccumulator {
    const accumulator = new PixelAurocAccumulator();
    accumulator.negativeKeys = KeyCountTable.fromState(state.negatives);
    accumulator.positiveKeys = KeyCountTable.fromState(state.positives);
    accumulator.negativeCount = state.negativeCount;
    accumulator.positiveCount = state.positiveCount;
    accumulator.images = state.images;
    return accumulator;
  }

  auroc(): number {
    return aurocFromHistogram(this);
  }

  result(): PixelMetrics {
    return {
      auroc: aurocFromHistogram(this),
      averagePrecision: averagePrecisionFromHistogram(this),
      f1Max: f1MaxFromHistogram(this),
      positives: this.positiveCount,
      negatives: this.negativeCount,
    };
  }

  /** Memory held by the count tables, in bytes (typed arrays; the two 65 536-entry JS bucket arrays, ~0.5 MB, excluded). */
  approximateBytes(): number {
    return this.negativeKeys.approximateBytes() + this.positiveKeys.approximateBytes();
  }

  forEachDescending(visit: (score: number, negatives: number, positives: number) => void): void {
    const negSlots = new Uint16Array(65536);
    const negCounts = new Float64Array(65536);
    const posSlots = new Uint16Array(65536);
    const posCounts = new Float64Array(65536);
    for (let high = 65535; high >= 0; high--) {
      const hasNeg = this.negativeKeys.hasBucket(high);
      const hasPos = this.positiveKeys.hasBucket(high);
      if (!hasNeg && !hasPos) continue;
      let i = hasNeg ? this.negativeKeys.readBucket(high, negSlots, negCounts) - 1 : -1;
      let j = hasPos ? this.positiveKeys.readBucket(high, posSlots, posCounts) - 1 : -1;
      // Merge the two ascending slot lists from their ends, i.e. by descending key.
      while (i >= 0 || j >= 0) {
        const slot = i < 0 ? posSlots[j] : j < 0 ? negSlots[i] : Math.max(negSlots[i], posSlots[j]);
        const negatives = i >= 0 && negSlots[i] === slot ? negCounts[i--] : 0;
        const positives = j >= 0 && posSlots[j] === slot ? posCounts[j--] : 0;
        visit(float32OfKey(high * 65536 + slot), negatives, positives);
      }
    }
  }

  private checkChunk(bits: Uint32Array, mask: PixelMask, where: string): void {
    for (let i = 0; i < bits.length; i++) {
      if ((bits[i] & ABS_MASK) > EXPONENT_MASK) {
        throw new Error(
          `${where}, pixel ${i}: score is NaN; metrics refuse NaN scores because they have no rank. Fix the map (e.g. a 0/0 in normalisation).`,
        );
      }
    }
    if (mask instanceof Float32Array) {
      for (let i = 0; i < mask.length; i++) {
        if (mask[i] !== 0 && mask[i] !== 1) {
          throw new Error(
            `${where}, pixel ${i}: mask value ${mask[i]} is not 0 or 1; binarise the mask first (e.g. mask > 0.5).`,
          );
        }
      }
    }
  }
}
