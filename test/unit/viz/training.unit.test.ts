// display.training: a trained run's per-epoch record (result.selection.perEpoch) as curves — the payload takes every
// epoch's loss and AUROC from the result, the PNG draws the image-AUROC curve where the data puts it, and the text
// table marks the reported epoch. A result without a per-epoch record is refused with the reason.
import * as assert from "assert";
import { PNG } from "pngjs";
import { trainingBundleOf } from "../../../kernel/api/vizBundles";
import type { FewshotResult } from "../../../kernel/methods/result";
import type { SelectionRecord } from "../../../kernel/methods/selection/record";
import { categoryColor, type Rgb } from "../../../kernel/protocol/colormap";
import { trainingCurves } from "../../../kernel/api/fromFewshot";
import { TRAINING_LAYOUT } from "../../../kernel/viz/png/trainingPng";

const perEpoch = [
  { epoch: 1, loss: 2.0, imageAuroc: 0.55, criterion: 0.55 },
  { epoch: 2, loss: 1.5, imageAuroc: 0.8, criterion: 0.8 },
  { epoch: 3, loss: 1.2, imageAuroc: 0.7, criterion: 0.7 },
];
const selection: SelectionRecord = {
  policy: "validation",
  transductive: false,
  chosenEpoch: 2,
  epochs: 3,
  resumedFromEpoch: 0,
  criterion: "image AUROC",
  evaluatedOn: { split: "valid", images: 10, normal: 5, abnormal: 5 },
  perEpoch,
  note: "",
};
const result = {
  method: "mvfa",
  dataset: { name: "demo", category: "brain" },
  selection,
} as unknown as FewshotResult;

describe("display.training (per-epoch curves)", () => {
  it("takes loss and AUROC of every epoch and the reported epoch from the result", () => {
    const c = trainingCurves(result);
    assert.deepStrictEqual(c.epochs, [1, 2, 3]);
    assert.deepStrictEqual(c.loss, [2, 1.5, 1.2]);
    assert.deepStrictEqual(c.imageAuroc, [0.55, 0.8, 0.7]);
    assert.deepStrictEqual(c.pixelAuroc, [null, null, null]);
    assert.strictEqual(c.chosenEpoch, 2);
    assert.strictEqual(c.evaluatedOn, "valid");
  });

  it("draws the image AUROC points where the data puts them, and lists the epochs as text", () => {
    const b = trainingBundleOf(result);
    const img = PNG.sync.read(Buffer.from(b["image/png"] as string, "base64"));
    const at = (x: number, y: number): Rgb => {
      const i = (Math.round(y) * img.width + Math.round(x)) * 4;
      return [img.data[i], img.data[i + 1], img.data[i + 2]];
    };
    const { left, plotWidth, auroc, height } = TRAINING_LAYOUT;
    const px = (e: number) => left + ((e - 1) / 2) * plotWidth;
    const py = (v: number) => auroc + height - v * height;
    const blue = categoryColor(0);
    const near = (a: Rgb) => a.every((v, k) => Math.abs(v - blue[k]) <= 40);
    for (const e of perEpoch) assert.ok(near(at(px(e.epoch), py(e.imageAuroc))), `epoch ${e.epoch} point`);
    assert.ok(!near(at(px(1), py(0.2))), "nothing drawn where there is no data");
    const text = b["text/plain"] as string;
    assert.match(text, /2\s+1\.5000\s+0\.8000\s+—\s+<- reported/);
    assert.match(text, /held-out valid/);
  });

  it("refuses a result without a per-epoch record, naming where it comes from", () => {
    const untrained = { ...result, method: "patchcore", selection: undefined } as unknown as FewshotResult;
    assert.throws(() => trainingBundleOf(untrained), /patchcore.*no per-epoch record.*trained methods/);
  });
});
