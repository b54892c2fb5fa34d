// Epoch selection: the selector scores after each epoch, keeps the FIRST best epoch's parameters and puts them
// back at the end; `last` needs no hook; held-out validation images never include support images.
import * as assert from "assert";
import type { Dataset, Sample } from "../../../../kernel/data/types";
import type { NamedTensor } from "../../../../kernel/engine/train/checkpoint";
import type { MethodContext } from "../../../../kernel/methods/method";
import type { ScoredSet } from "../../../../kernel/methods/result";
import { EpochSelector } from "../../../../kernel/methods/selection/epochSelector";
import { checkValidation, heldOutValidation, parseSelection } from "../../../../kernel/methods/selection/policy";
import { chosenPhrase, selectionLabel } from "../../../../kernel/methods/selection/record";

const sample = (name: string, label: "normal" | "abnormal", split: "valid" | "test" = "test"): Sample => ({
  path: `/ds/${split}/${name}`,
  label,
  split,
  category: "Brain",
});
const TEST = [sample("n0", "normal"), sample("n1", "normal"), sample("a0", "abnormal"), sample("a1", "abnormal")];

/** Image scores = w·(0, 1, 2, 3) + (3, 2, 1, 0)·(1 − w): AUROC 1 when w = 1, 0 when w = 0, 0.5 when w = 0.5. */
function scoredBy(w: number, samples: Sample[]): ScoredSet {
  const lv = (image: number) => ({ grid: new Float64Array(1), g: 1, image });
  return {
    mapSize: 2,
    taps: [1],
    images: samples.map((s, i) => {
      const image = w * i + (1 - w) * (samples.length - 1 - i);
      return {
        file: s.path,
        label: s.label === "abnormal" ? 1 : 0,
        branches: [{ name: "text", image, levels: [lv(image)], render: () => new Float64Array(4) }],
      };
    }),
  };
}

function ctxWith(policy: "last" | "validation" | "test-best", validation: Sample[] = []): MethodContext {
  return { test: TEST, selection: { policy, validation } } as unknown as MethodContext;
}

describe("methods/selection: epoch selection", () => {
  it("test-best keeps the first best epoch, restores its parameters and marks the record transductive", async () => {
    const params: Record<string, NamedTensor> = { w: { shape: [1], data: new Float32Array([0]) } };
    const sel = new EpochSelector(ctxWith("test-best"), params, {
      score: async (samples) => scoredBy(params.w.data[0], samples),
      imageScore: "branches",
    });
    const trajectory = [0.5, 1, 1, 0];
    for (const [i, w] of trajectory.entries()) {
      params.w.data[0] = w; // what an optimiser step would have done
      await sel.afterEpoch!(i + 1, 10 - i);
    }
    const r = sel.finish({ epochLosses: [10, 9, 8, 7], resumedFromEpoch: 0 }, 4);
    assert.strictEqual(r.chosenEpoch, 2, "the first epoch reaching the best value");
    assert.strictEqual(params.w.data[0], 1, "the chosen epoch's parameters are back in place");
    assert.deepStrictEqual(
      r.perEpoch.map((e) => e.imageAuroc),
      [0.5, 1, 1, 0],
    );
    assert.strictEqual(r.transductive, true);
    assert.deepStrictEqual(r.evaluatedOn, { split: "test", images: 4, normal: 2, abnormal: 2 });
    assert.match(chosenPhrase(r), /epoch 2 chosen on the TEST set, transductive/);
    assert.match(selectionLabel(r), /TRANSDUCTIVE/);
  });

  it("validation scores only the held-out images; last has no hook and reports the final epoch", async () => {
    const valid = [sample("vn", "normal", "valid"), sample("va", "abnormal", "valid")];
    const seen: string[][] = [];
    const params: Record<string, NamedTensor> = { w: { shape: [1], data: new Float32Array([1]) } };
    const sel = new EpochSelector(ctxWith("validation", valid), params, {
      score: async (samples) => (seen.push(samples.map((s) => s.path)), scoredBy(1, samples)),
      imageScore: "branches",
    });
    await sel.afterEpoch!(1, 1);
    assert.deepStrictEqual(seen, [valid.map((s) => s.path)]);
    const r = sel.finish({ epochLosses: [1], resumedFromEpoch: 0 }, 1);
    assert.strictEqual(r.transductive, false);
    assert.strictEqual(r.evaluatedOn.split, "valid");

    const last = new EpochSelector(ctxWith("last"), params, {
      score: async () => assert.fail("last must not score"),
      imageScore: "branches",
    });
    assert.strictEqual(last.afterEpoch, undefined);
    const lr = last.finish({ epochLosses: [3, 2], resumedFromEpoch: 1 }, 3);
    assert.deepStrictEqual(lr.perEpoch, [
      { epoch: 2, loss: 3 },
      { epoch: 3, loss: 2 },
    ]);
    assert.strictEqual(lr.chosenEpoch, 3);
  });

  it("held-out validation = labelled valid images of the class minus the support set", () => {
    const v = ["n0", "n1", "n2"].map((n) => sample(n, "normal", "valid"));
    const a = ["a0", "a1"].map((n) => sample(n, "abnormal", "valid"));
    const other = { ...sample("x", "normal", "valid"), category: "Liver" };
    const ds = { root: "/ds", samples: [...v, ...a, other, ...TEST] } as unknown as Dataset;
    const support = { normal: [v[0]], abnormal: [a[1]], record: {} } as never;
    const held = heldOutValidation(ds, "Brain", support);
    assert.deepStrictEqual(
      held.map((s) => s.path),
      ["/ds/valid/a0", "/ds/valid/n1", "/ds/valid/n2"],
    );
    assert.throws(() => checkValidation(ds, "Brain", held.slice(1)), /found 2 normal and 0 abnormal.*selection: last/);
    assert.strictEqual(parseSelection(undefined), "last");
    assert.throws(() => parseSelection("best"), /one of last, validation, test-best/);
  });
});
