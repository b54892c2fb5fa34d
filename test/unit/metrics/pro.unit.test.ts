import * as assert from "assert";
import { connectedComponents } from "../../../kernel/metrics/connectedComponents";
import { ProImage, proAuc } from "../../../kernel/metrics/proAccumulator";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";
import { distinctDescending } from "./bruteForce";

/** Union-find labelling, a different algorithm from the flood fill under test; regions numbered by first pixel. */
function unionFindLabels(mask: Uint8Array, width: number, height: number, connectivity: 4 | 8): Int32Array {
  const parent = Int32Array.from({ length: mask.length }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const offsets =
    connectivity === 4
      ? [
          [1, 0],
          [0, 1],
        ]
      : [
          [1, 0],
          [0, 1],
          [1, 1],
          [-1, 1],
        ];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      for (const [dx, dy] of offsets) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx >= 0 && nx < width && ny < height && mask[ny * width + nx])
          parent[find(ny * width + nx)] = find(y * width + x);
      }
    }
  }
  const numberOfRoot = new Map<number, number>();
  return Int32Array.from(mask, (m, i) => {
    if (!m) return 0;
    const root = find(i);
    if (!numberOfRoot.has(root)) numberOfRoot.set(root, numberOfRoot.size + 1);
    return numberOfRoot.get(root) as number;
  });
}

/** MVTec's AU-PRO from the definition: PRO and FPR recomputed per threshold, area by clipping each segment. */
function bruteAuPro(images: ProImage[], connectivity: 4 | 8, limit: number): number {
  const all: number[] = [];
  const regions: Array<{ scores: number[] }> = [];
  const normals: number[] = [];
  for (const image of images) {
    const labels = unionFindLabels(Uint8Array.from(image.mask), image.width, image.height, connectivity);
    const byRegion = new Map<number, number[]>();
    labels.forEach((label, i) => {
      all.push(image.scores[i]);
      if (label === 0) normals.push(image.scores[i]);
      else byRegion.set(label, [...(byRegion.get(label) ?? []), image.scores[i]]);
    });
    for (const scores of byRegion.values()) regions.push({ scores });
  }
  const xs = [0];
  const ys = [0];
  for (const t of distinctDescending(all)) {
    xs.push(normals.filter((s) => s >= t).length / normals.length);
    ys.push(
      regions.reduce((sum, r) => sum + r.scores.filter((s) => s >= t).length / r.scores.length, 0) / regions.length,
    );
  }
  xs.push(1);
  ys.push(1);
  let area = 0;
  for (let i = 1; i < xs.length; i++) {
    if (xs[i - 1] >= limit) break;
    const x1 = Math.min(xs[i], limit);
    const y1 = xs[i] === xs[i - 1] ? ys[i] : ys[i - 1] + ((ys[i] - ys[i - 1]) * (x1 - xs[i - 1])) / (xs[i] - xs[i - 1]);
    area += ((x1 - xs[i - 1]) * (ys[i - 1] + y1)) / 2;
  }
  return area / limit;
}

/** Random blobby masks (a few rectangles, some touching only at corners) and scores with ties, higher inside. */
function randomImages(random: SeededRandom, count: number, width: number, height: number): ProImage[] {
  return Array.from({ length: count }, () => {
    const mask = new Uint8Array(width * height);
    const blobs = random.nextInt(4);
    for (let b = 0; b < blobs; b++) {
      const x0 = random.nextInt(width);
      const y0 = random.nextInt(height);
      const w = 1 + random.nextInt(5);
      const h = 1 + random.nextInt(5);
      for (let y = y0; y < Math.min(height, y0 + h); y++)
        for (let x = x0; x < Math.min(width, x0 + w); x++) mask[y * width + x] = 1;
    }
    const scores = Float32Array.from(mask, (m) => Math.round((random.nextFloat() + 0.6 * m) * 12) / 12);
    return { scores, mask, width, height };
  });
}

describe("metrics: connected components", () => {
  it("diagonal neighbours join under 8-connectivity only", () => {
    const mask = Uint8Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    assert.strictEqual(connectedComponents(mask, 3, 3, 8).count, 1);
    const four = connectedComponents(mask, 3, 3, 4);
    assert.deepStrictEqual([four.count, four.sizes], [3, [1, 1, 1]]);
  });

  it("matches a union-find labelling on random masks, both connectivities", () => {
    const random = new SeededRandom(6);
    for (let rep = 0; rep < 30; rep++) {
      const width = 1 + random.nextInt(30);
      const height = 1 + random.nextInt(30);
      const mask = Uint8Array.from({ length: width * height }, () => (random.nextFloat() < 0.45 ? 1 : 0));
      for (const connectivity of [4, 8] as const) {
        const ours = connectedComponents(mask, width, height, connectivity);
        assert.deepStrictEqual(ours.labels, unionFindLabels(mask, width, height, connectivity));
        assert.strictEqual(
          ours.sizes.reduce((a, b) => a + b, 0),
          mask.reduce((a, b) => a + b, 0),
        );
      }
    }
  });

  it("refuses a size mismatch", () => {
    assert.throws(() => connectedComponents(new Uint8Array(5), 2, 2), /width x height/);
  });
});

describe("metrics: AU-PRO", () => {
  const random = new SeededRandom(8);

  it("equals the brute-force definition (random masks, tied scores, 4- and 8-connectivity, several limits)", () => {
    for (let rep = 0; rep < 6; rep++) {
      const images = randomImages(random, 4, 9 + rep, 7);
      if (!images.some((image) => image.mask.some((m) => m))) images[0].mask[3] = 1;
      for (const connectivity of [4, 8] as const) {
        for (const fprLimit of [0.3, 0.05, 1]) {
          const ours = proAuc(images, { connectivity, fprLimit }).auPro;
          assert.ok(
            Math.abs(ours - bruteAuPro(images, connectivity, fprLimit)) < 1e-12,
            `rep ${rep} ${connectivity} ${fprLimit}`,
          );
        }
      }
    }
  });

  it("is 1 for a perfect map and follows the diagonal for a constant map", () => {
    const mask = Uint8Array.of(0, 1, 1, 0, 0, 0, 0, 0, 1);
    const perfect = proAuc([{ scores: Float32Array.from(mask, (m) => m * 0.9), mask, width: 3, height: 3 }]);
    assert.strictEqual(perfect.auPro, 1);
    assert.strictEqual(perfect.regions, 2);
    const constantImage = { scores: new Float32Array(9).fill(0.5), mask, width: 3, height: 3 };
    const constant = proAuc([constantImage]);
    assert.ok(Math.abs(constant.auPro - bruteAuPro([constantImage], 8, 0.3)) < 1e-15);
    // The one threshold takes the curve from (0, 0) straight to (1, 1): area 0.3^2 / 2, divided by 0.3.
    assert.ok(Math.abs(constant.auPro - (0.3 * 0.3) / 2 / 0.3) < 1e-15);
  });

  it("weights regions equally, not pixels: missing a small region costs as much as missing a large one", () => {
    const width = 10;
    const mask = new Uint8Array(30);
    mask.fill(1, 0, 9); // large region, row 0
    mask[29] = 1; // single-pixel region, row 2 (no contact with row 0)
    const scores = Float32Array.from(mask, (m, i) => (m && i < 9 ? 1 : 0)); // detects only the large one
    const result = proAuc([{ scores, mask, width, height: 3 }]);
    assert.strictEqual(result.regions, 2);
    // At the first threshold FPR is 0 and PRO is 1/2; it stays 1/2 until all normals are flagged.
    assert.ok(Math.abs(result.pro[1] - 0.5) < 1e-15, String(result.pro[1]));
    assert.ok(Math.abs(result.auPro - bruteAuPro([{ scores, mask, width, height: 3 }], 8, 0.3)) < 1e-12);
  });

  it("refuses NaN scores, soft masks and data without regions", () => {
    const mask = Uint8Array.of(0, 1);
    assert.throws(
      () => proAuc([{ scores: Float32Array.of(0, NaN), mask, width: 2, height: 1 }]),
      /pixel 1: score is NaN/,
    );
    assert.throws(
      () => proAuc([{ scores: Float32Array.of(0, 1), mask: Float32Array.of(0, 0.5), width: 2, height: 1 }]),
      /binarise/,
    );
    assert.throws(
      () => proAuc([{ scores: Float32Array.of(0, 1), mask: new Uint8Array(2), width: 2, height: 1 }]),
      /at least one anomalous region/,
    );
    assert.throws(
      () => proAuc([{ scores: Float64Array.of(0, 1) as unknown as Float32Array, mask, width: 2, height: 1 }]),
      /Float32Array/,
    );
  });
});
