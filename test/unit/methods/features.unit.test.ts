// The feature extractor against the reference backbone tensors: raw taps = tap{n}; the projected taps' CLS row at
// the last block = the pooled embedding ln_post(CLS)·proj, which checks the in-graph ln_post + projection.
import * as assert from "assert";
import { ClipModel } from "../../../kernel/engine/clip/model";
import { createFeatureExtractor, FeatureSpace, ImageTokens } from "../../../kernel/methods/features";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { readRef } from "../engine/clipLoad";
import { compare, fmt } from "../engine/helpers";

const PER = 3 * 56 * 56;

describe("methods/features: frozen feature extraction vs the reference backbone (tiny CLIP)", () => {
  async function extract(
    space: FeatureSpace,
    taps: number[],
  ): Promise<{ tokens: ImageTokens[]; dim: number; phases: string[] }> {
    const pre = readRef("pre.safetensors");
    const pixels = pre.readFloat32("pixels_mvfa").data.slice(0, 3 * PER); // test_0..2
    pre.close();
    const model = ClipModel.load(tinyClipModel);
    const fx = await createFeatureExtractor(model, {
      imageSize: 56,
      taps,
      space,
      activation: "gelu",
      preprocess: { filter: "bicubic", normalize: false },
      intraOpThreads: 1,
    });
    const tokens: ImageTokens[] = [];
    const phases: string[] = [];
    try {
      await fx.run(
        [0, 1, 2].map((i) => () => pixels.slice(i * PER, (i + 1) * PER)),
        {
          batch: 2,
          phase: "test",
          onProgress: (d, t, p) => phases.push(`${p} ${d}/${t}`),
          each: (i, t) => void (tokens[i] = t),
        },
      );
      return { tokens, dim: fx.dim, phases };
    } finally {
      await fx.release();
      model.close();
    }
  }

  it("raw taps 2/4/6/8 = tap{n}_gelu_mvfa (batches of 2: 2 + 1 images)", async function () {
    const { tokens, dim, phases } = await extract("raw", [2, 4, 6, 8]);
    assert.strictEqual(dim, 64);
    assert.deepStrictEqual(phases, ["test 1/2", "test 2/2"]);
    const bb = readRef("backbone.safetensors");
    const notes: string[] = [];
    try {
      [2, 4, 6, 8].forEach((tap, ti) => {
        const d = compare(
          tokens.flatMap((t) => [...t[ti]]),
          bb.readFloat64(`tap${tap}_gelu_mvfa_f64`).data,
        );
        notes.push(`tap${tap} ${fmt(d)}`);
        assert.ok(d.ok, `tap${tap}: ${fmt(d)}`);
      });
    } finally {
      bb.close();
    }
    this.test!.title += ` — ${notes[3]}`;
  });

  it("projected last tap: CLS row = pooled_gelu_mvfa (ln_post + proj in the graph)", async function () {
    const { tokens, dim } = await extract("projected", [8]);
    assert.strictEqual(dim, 32);
    assert.strictEqual(tokens[0][0].length, 50 * 32);
    const bb = readRef("backbone.safetensors");
    try {
      const d = compare(
        tokens.flatMap((t) => [...t[0].subarray(0, 32)]),
        bb.readFloat64("pooled_gelu_mvfa_f64").data,
      );
      this.test!.title += ` — ${fmt(d)}`;
      assert.ok(d.ok, fmt(d));
    } finally {
      bb.close();
    }
  });

  it("refuses taps outside the trunk and an empty tap list", async () => {
    const model = ClipModel.load(tinyClipModel);
    try {
      const base = {
        imageSize: 56,
        space: "raw" as const,
        preprocess: { filter: "bicubic" as const, normalize: false },
      };
      await assert.rejects(createFeatureExtractor(model, { ...base, taps: [9] }), /tap 9 is outside blocks 1\.\.8/);
      await assert.rejects(createFeatureExtractor(model, { ...base, taps: [] }), /at least one tap/);
    } finally {
      model.close();
    }
  });
});
