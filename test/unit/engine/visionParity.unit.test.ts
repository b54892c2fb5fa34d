// Parity of the vision graph with the reference implementation's tensors (fixture README tolerances:
// |a − b| ≤ 1e-5 + 1e-4·max|b|, float32 graph vs the _f64 reference where one exists).
import * as assert from "assert";
import { buildVisionGraph, VisionGraphOptions } from "../../../kernel/engine/clip/vision";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession, Fetched } from "../../../kernel/engine/runtime/session";
import type { Activation } from "../../../kernel/engine/weights/clipConfig";
import { loadTinyClip, readRef } from "./clipLoad";
import { compare, fmt } from "./helpers";

const IMAGES = 3; // references cover test_0..2 = the first three preprocessed images

describe("engine/clip: vision encoder parity with the reference (tiny CLIP)", () => {
  const model = loadTinyClip();
  const pre = readRef("pre.safetensors");
  const backbone = readRef("backbone.safetensors");
  const pixels = (name: string) => pre.readFloat32(name).data.subarray(0, IMAGES * 3 * 56 * 56);

  async function run(
    act: Activation,
    pixelsName: string,
    extra: Partial<VisionGraphOptions> = {},
  ): Promise<Record<string, Fetched>> {
    const g = buildVisionGraph(model.vision, model.config.vision!, { activation: act, taps: [2, 4, 6, 8], ...extra });
    const s = await createSession(encodeModel(g.graph), { intraOpThreads: 1 });
    try {
      return await s.run({ pixels: { data: pixels(pixelsName), dims: [IMAGES, 3, 56, 56] } });
    } finally {
      await s.release();
    }
  }

  const cases: [Activation, string, string, boolean][] = [
    ["gelu", "pixels_mvfa", "gelu_mvfa", true],
    ["quick_gelu", "pixels_mvfa", "quickgelu_mvfa", false],
    ["quick_gelu", "pixels_mediclip", "quickgelu_mediclip", false],
  ];
  for (const [act, px, suffix, hasF64] of cases) {
    describe(`${act} on ${px}`, () => {
      let out: Record<string, Fetched>;
      before(async () => (out = await run(act, px, { embed: true, lnPre: true })));
      const outputs = ["tap2", "tap4", "tap6", "tap8", "pooled"];
      for (const o of outputs) {
        const ref = `${o}_${suffix}${hasF64 ? "_f64" : ""}`;
        it(`${o} vs ${ref}`, function () {
          const expected = backbone.readFloat64(ref);
          assert.deepStrictEqual(out[o].dims, expected.shape);
          const d = compare(out[o].data as Float32Array, expected.data);
          this.test!.title += ` — ${fmt(d)}`;
          assert.ok(d.ok, fmt(d));
        });
      }
      if (act === "gelu") {
        for (const [o, ref] of [
          ["embed", "embed_gelu_mvfa"],
          ["ln_pre", "ln_pre_gelu_mvfa"],
        ]) {
          it(`${o} vs ${ref}`, function () {
            const d = compare(out[o].data as Float32Array, backbone.readFloat64(ref).data);
            this.test!.title += ` — ${fmt(d)}`;
            assert.ok(d.ok, fmt(d));
          });
        }
      }
    });
  }

  it("the GELU and QuickGELU references differ beyond tolerance, so each parity test pins the activation", () => {
    const gelu = backbone.readFloat64("tap8_gelu_mvfa").data;
    const quick = backbone.readFloat64("tap8_quickgelu_mvfa").data;
    assert.ok(!compare(quick, gelu).ok, "fixture activations differ beyond tolerance");
  });

  it("afterBlock hook: called per block; its output feeds the next block while taps keep the raw block output", async () => {
    const seen: number[] = [];
    const out = await run("gelu", "pixels_mvfa", {
      afterBlock: (i, x, b, info) => {
        seen.push(i);
        assert.deepStrictEqual(info, { tokens: 50, width: 64 });
        return i === 3 ? b.mul(x, b.scalar(0, "zero")) : x; // after block 4, zero the residual stream
      },
    });
    assert.deepStrictEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.ok(
      compare(out.tap4.data as Float32Array, backbone.readFloat64("tap4_gelu_mvfa_f64").data).ok,
      "tap4 is taken before the hook",
    );
    assert.ok(
      !compare(out.tap6.data as Float32Array, backbone.readFloat64("tap6_gelu_mvfa_f64").data).ok,
      "block 5 saw the hook's output",
    );
    // Block 5 received zeros for every token, so all 50 tokens of tap6 are identical.
    const t6 = out.tap6.data as Float32Array;
    for (let tok = 1; tok < 50; tok++) for (let c = 0; c < 64; c++) assert.strictEqual(t6[tok * 64 + c], t6[c]);
  });

  it("a truncated trunk (blocks: 4) reproduces tap4 and has no pooled output", async () => {
    const g = buildVisionGraph(model.vision, model.config.vision!, { blocks: 4, taps: [4] });
    assert.deepStrictEqual(
      g.outputs.map((o) => o.name),
      ["tap4"],
    );
    const s = await createSession(encodeModel(g.graph), { intraOpThreads: 1 });
    const r = await s.run({ pixels: { data: pixels("pixels_mvfa"), dims: [IMAGES, 3, 56, 56] } });
    assert.ok(compare(r.tap4.data as Float32Array, backbone.readFloat64("tap4_gelu_mvfa_f64").data).ok);
    assert.throws(
      () => buildVisionGraph(model.vision, model.config.vision!, { blocks: 4, taps: [6] }),
      /tap 6 is outside blocks 1..4/,
    );
  });

  it("other input sizes: 64 px → 8×8 grid (65 tokens) with a resized position table; 60 px drops the last 4 px", async () => {
    const g64 = buildVisionGraph(model.vision, model.config.vision!, { imageSize: 64, taps: [8] });
    assert.deepStrictEqual([g64.grid, g64.tokens], [8, 65]);
    const g60 = buildVisionGraph(model.vision, model.config.vision!, { imageSize: 60, taps: [8] });
    assert.deepStrictEqual([g60.grid, g60.tokens], [7, 50]);
    const s = await createSession(encodeModel(g64.graph), { intraOpThreads: 1 });
    const r = await s.run({ pixels: { data: new Float32Array(2 * 3 * 64 * 64).fill(0.5), dims: [2, 3, 64, 64] } });
    assert.deepStrictEqual(r.tap8.dims, [2, 65, 64]);
    assert.deepStrictEqual(r.pooled.dims, [2, 32]);
    // 60 px: the conv never sees pixels 56..59, so they cannot change the output.
    const s60 = await createSession(encodeModel(g60.graph), { intraOpThreads: 1 });
    const img = new Float32Array(3 * 60 * 60).map((_, i) => ((i * 7919) % 101) / 101);
    const a = await s60.run({ pixels: { data: img, dims: [1, 3, 60, 60] } });
    const img2 = img.slice();
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 60; y++) for (let x = 56; x < 60; x++) img2[(c * 60 + y) * 60 + x] = 9;
    const b = await s60.run({ pixels: { data: img2, dims: [1, 3, 60, 60] } });
    assert.deepStrictEqual([...(a.pooled.data as Float32Array)], [...(b.pooled.data as Float32Array)]);
  });
});
