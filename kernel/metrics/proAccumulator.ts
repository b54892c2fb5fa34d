import { CompensatedSum } from "./compensatedSum";
import { Connectivity, connectedComponents } from "./connectedComponents";
import { keyOfFloat32Bits, float32OfKey, isNaNBits } from "./float32Key";
import { KeyCountTable } from "./keyCountTable";
import { PixelMask } from "./pixelAurocAccumulator";
import { trapezoidUpTo } from "./trapezoid";

export interface ProOptions {
  /** Region neighbourhood; 8 (default) as MVTec AD's evaluation. */
  connectivity?: Connectivity;
  /** Integrate the PRO curve up to this false-positive rate (default 0.3, as MVTec AD). */
  fprLimit?: number;
}

export interface ProResult {
  /** Area under the PRO curve up to fprLimit, divided by fprLimit (1 = perfect). */
  auPro: number;
  fprLimit: number;
  /** Curve points, from (0, 0) by decreasing threshold, up to the first point beyond fprLimit (enough to redraw the area). */
  fpr: Float64Array;
  pro: Float64Array;
  /** Threshold of each curve point (+Infinity for the initial (0, 0)). */
  thresholds: Float64Array;
  regions: number;
}

/** Positives are stored as key * 2^21 + region index: one Float64Array sorts them by key natively. */
const REGION_BITS = 2 ** 21;

/**
 * Per-region overlap (PRO) as in MVTec AD's evaluation: at each threshold (distinct score, descending) the FPR over all
 * normal pixels and the mean, over every ground-truth region of every image, of the fraction of that region detected;
 * the area under PRO(FPR) up to fprLimit (linear interpolation at the limit) is normalised by fprLimit.
 * Streaming: normal pixels are only counted per float32 key (as in PixelAurocAccumulator); anomalous pixels, a few
 * percent of a test set, are kept as (key, region) pairs because each carries its region's weight 1/size.
 */
export class ProAccumulator {
  private readonly connectivity: Connectivity;
  private readonly fprLimit: number;
  private readonly negatives = new KeyCountTable();
  private negativeCount = 0;
  private positives = new Float64Array(1024);
  private positiveCount = 0;
  private regionSizes: number[] = [];
  private images = 0;

  constructor(options: ProOptions = {}) {
    this.connectivity = options.connectivity ?? 8;
    this.fprLimit = options.fprLimit ?? 0.3;
    if (!(this.fprLimit > 0 && this.fprLimit <= 1))
      throw new Error(`fprLimit must be in (0, 1], got ${this.fprLimit}.`);
  }

  /** One image: its score map and binary mask, both width x height in row-major order. */
  add(scores: Float32Array, mask: PixelMask, width: number, height: number): void {
    const where = `PRO image ${this.images}`;
    if (!(scores instanceof Float32Array)) {
      throw new Error(
        `${where}: score maps must be a Float32Array (ties are defined on float32 values); convert with Float32Array.from().`,
      );
    }
    if (scores.length !== mask.length)
      throw new Error(`${where}: ${scores.length} scores but ${mask.length} mask pixels.`);
    const bits = new Uint32Array(scores.buffer, scores.byteOffset, scores.length);
    for (let i = 0; i < bits.length; i++) {
      if (isNaNBits(bits[i])) throw new Error(`${where}, pixel ${i}: score is NaN; metrics refuse NaN scores.`);
      if (mask instanceof Float32Array && mask[i] !== 0 && mask[i] !== 1) {
        throw new Error(
          `${where}, pixel ${i}: mask value ${mask[i]} is not 0 or 1; binarise the mask first (e.g. mask > 0.5).`,
        );
      }
    }
    const components = connectedComponents(mask, width, height, this.connectivity);
    const firstRegion = this.regionSizes.length;
    if (firstRegion + components.count > REGION_BITS)
      throw new Error(`${where}: more than ${REGION_BITS} regions in total are not supported.`);
    this.regionSizes.push(...components.sizes);
    for (let i = 0; i < bits.length; i++) {
      const key = keyOfFloat32Bits(bits[i]);
      const region = components.labels[i];
      if (region === 0) {
        this.negatives.add(key);
        this.negativeCount++;
      } else {
        this.pushPositive(key * REGION_BITS + firstRegion + region - 1);
      }
    }
    this.images++;
  }

  result(): ProResult {
    const regions = this.regionSizes.length;
    if (regions === 0) throw new Error("PRO needs at least one anomalous region in the ground-truth masks.");
    if (this.negativeCount === 0) throw new Error("PRO needs normal pixels: every pixel is anomalous.");
    const positives = this.positives.slice(0, this.positiveCount).sort();
    const fpr = [0];
    const pro = [0];
    const thresholds = [Infinity];
    const slots = new Uint16Array(65536);
    const counts = new Float64Array(65536);
    let falsePositives = 0;
    // Compensated: a region of k pixels adds k terms 1/k, which plain summation does not bring back to exactly 1.
    const overlap = new CompensatedSum();
    let p = positives.length - 1;
    let pastLimit = false;
    for (let high = 65535; high >= 0 && !pastLimit; high--) {
      let n = this.negatives.hasBucket(high) ? this.negatives.readBucket(high, slots, counts) - 1 : -1;
      const bucketStart = high * 65536;
      while (!pastLimit) {
        const posKey = p >= 0 ? Math.floor(positives[p] / REGION_BITS) : -1;
        const negKey = n >= 0 ? bucketStart + slots[n] : -1;
        const key = Math.max(posKey, negKey);
        if (key < bucketStart) break;
        if (negKey === key) falsePositives += counts[n--];
        while (p >= 0 && Math.floor(positives[p] / REGION_BITS) === key) {
          overlap.add(1 / this.regionSizes[positives[p] % REGION_BITS]);
          p--;
        }
        const x = Math.min(falsePositives / this.negativeCount, 1);
        fpr.push(x);
        pro.push(Math.min(overlap.value() / regions, 1));
        thresholds.push(float32OfKey(key));
        pastLimit = x > this.fprLimit;
      }
    }
    if (!pastLimit) {
      // MVTec closes the curve at (1, 1); the lowest threshold already reaches FPR 1, so this matters only for fprLimit = 1.
      fpr.push(1);
      pro.push(1);
      thresholds.push(-Infinity);
    }
    return {
      auPro: trapezoidUpTo(fpr, pro, this.fprLimit) / this.fprLimit,
      fprLimit: this.fprLimit,
      fpr: Float64Array.from(fpr),
      pro: Float64Array.from(pro),
      thresholds: Float64Array.from(thresholds),
      regions,
    };
  }

  private pushPositive(packed: number): void {
    if (this.positiveCount === this.positives.length) {
      const grown = new Float64Array(2 * this.positives.length);
      grown.set(this.positives);
      this.positives = grown;
    }
    this.positives[this.positiveCount++] = packed;
  }
}

export interface ProImage {
  scores: Float32Array;
  mask: PixelMask;
  width: number;
  height: number;
}

/** AU-PRO of in-memory images (see ProAccumulator). */
export function proAuc(images: Iterable<ProImage>, options: ProOptions = {}): ProResult {
  const accumulator = new ProAccumulator(options);
  for (const image of images) accumulator.add(image.scores, image.mask, image.width, image.height);
  return accumulator.result();
}
