// Parity of the text graph (ids or input embeddings; causal mask or none) with the reference tensors.
import * as assert from "assert";
import { buildTextGraph, eotIndices, TextGraphOptions, tokenEmbeddings } from "../../../kernel/engine/clip/text";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession, Feed } from "../../../kernel/engine/runtime/session";
import { loadTinyClip, readRef } from "./clipLoad";
import { compare, fmt } from "./helpers";

const CTX = 77;

describe("engine/clip: text encoder parity with the reference (tiny CLIP)", () => {
  const model = loadTinyClip();
  const text = readRef("text.safetensors");
  const nomask = readRef("text_nomask.safetensors");
  const ids = text.readInt64("token_ids").data; // [3, 77]
  const row = (r: number) => ids.subarray(r * CTX, (r + 1) * CTX);

  async function run(opts: TextGraphOptions, feeds: Record<string, Feed>): Promise<Float32Array> {
    const g = buildTextGraph(model.text, model.config.text!, opts);
    const s = await createSession(encodeModel(g.graph), { intraOpThreads: 1 });
    try {
      return (await s.run(feeds))[g.output].data as Float32Array;
    } finally {
      await s.release();
    }
  }

  function ctxEmbeddings(): { embeds: Float32Array; eot: BigInt64Array } {
    const embeds = tokenEmbeddings(model.text, row(2));
    const ctxVectors = nomask.readFloat32("ctx_vectors").data; // [8, 16] replaces the 8 "X" tokens at positions 1..8
    embeds.set(ctxVectors, 1 * 16);
    return { embeds, eot: eotIndices(row(2), CTX) };
  }

  function check(self: Mocha.Context, actual: Float32Array, ref: Float64Array) {
    const d = compare(actual, ref);
    self.test!.title += ` — ${fmt(d)}`;
    assert.ok(d.ok, fmt(d));
  }

  for (const act of ["gelu", "quick_gelu"] as const) {
    const sfx = act === "gelu" ? "_f64" : "_quickgelu";
    it(`causal, ${act}: prompts 0–1 from ids vs text_embed_causal${sfx}`, async function () {
      const out = await run({ activation: act }, { input_ids: { data: ids.subarray(0, 2 * CTX), dims: [2, CTX] } });
      check(this, out, text.readFloat64(`text_embed_causal${sfx}`).data);
    });
    it(`no mask, ${act}: prompt 2 from ids vs text_embed_nomask${sfx}`, async function () {
      const out = await run({ activation: act, causalMask: false }, { input_ids: { data: row(2), dims: [1, CTX] } });
      check(this, out, nomask.readFloat64(`text_embed_nomask${sfx}`).data);
    });
    it(`no mask, ${act}: prompt 2 with ctx_vectors as input embeddings vs text_embed_nomask_ctx${sfx}`, async function () {
      const { embeds, eot } = ctxEmbeddings();
      const out = await run(
        { activation: act, causalMask: false, input: "embeddings" },
        { input_embeds: { data: embeds, dims: [1, CTX, 16] }, eot_index: { data: eot, dims: [1] } },
      );
      check(this, out, nomask.readFloat64(`text_embed_nomask_ctx${sfx}`).data);
    });
  }

  it("EOT index = argmax id position; the mask matters (masked ≠ unmasked for the same prompt)", async () => {
    assert.deepStrictEqual(
      [...eotIndices(ids, CTX)].map(Number),
      [0, 1, 2].map((r) => [...row(r)].indexOf(49407n)),
    );
    const feeds = { input_ids: { data: row(2), dims: [1, CTX] } };
    const masked = await run({}, feeds);
    const unmasked = await run({ causalMask: false }, feeds);
    assert.ok(!compare(masked, unmasked).ok);
  });

  it("afterBlock hook runs after each text block and its output feeds the next block", async () => {
    const seen: number[] = [];
    const feeds = { input_ids: { data: ids.subarray(0, 2 * CTX), dims: [2, CTX] } };
    const hooked = await run(
      {
        afterBlock: (i, x, b, info) => (
          seen.push(i),
          assert.deepStrictEqual(info, { tokens: CTX, width: 16 }),
          i === 1 ? b.mul(x, b.scalar(0.5)) : x
        ),
      },
      feeds,
    );
    assert.deepStrictEqual(seen, [0, 1, 2, 3]);
    assert.ok(!compare(hooked, text.readFloat64("text_embed_causal_f64").data).ok);
  });

  it("input embeddings equal to the token embeddings reproduce the ids path exactly", async () => {
    const feeds = { input_ids: { data: ids.subarray(0, 2 * CTX), dims: [2, CTX] } };
    const fromIds = await run({}, feeds);
    const fromEmb = await run(
      { input: "embeddings" },
      {
        input_embeds: { data: tokenEmbeddings(model.text, ids.subarray(0, 2 * CTX)), dims: [2, CTX, 16] },
        eot_index: { data: eotIndices(ids.subarray(0, 2 * CTX), CTX), dims: [2] },
      },
    );
    assert.deepStrictEqual([...fromEmb], [...fromIds]);
    assert.throws(() => tokenEmbeddings(model.text, [49408]), /outside the vocabulary/);
  });
});
