// MVFA's prompt ensemble: word lists, object words, and T for "Brain" against the fixture's T_mvfa_brain.
import * as assert from "assert";
import { ClipModel, ClipTextEncoder } from "../../../kernel/engine/clip/model";
import { ensemblePrompts, objectWordFor, promptEnsemble } from "../../../kernel/methods/text/promptEnsemble";
import { MADCLIP_FIXED_STATES } from "../../../kernel/methods/madclip/fixedPrompts";
import { ClipTokenizer } from "../../../kernel/tokenizer";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { readRef } from "../engine/clipLoad";
import { compare, fmt } from "../engine/helpers";

describe("methods/text: MVFA prompt ensemble", () => {
  it("7 normal and 5 abnormal states × 35 templates, state-major", () => {
    const { normal, abnormal } = ensemblePrompts("Brain");
    assert.strictEqual(normal.length, 245);
    assert.strictEqual(abnormal.length, 175);
    assert.strictEqual(normal[0], "a bad photo of a Brain.");
    assert.strictEqual(normal[35], "a bad photo of a flawless Brain.");
    assert.strictEqual(normal[244], "this is one Brain without damage in the scene.");
    assert.strictEqual(abnormal[0], "a bad photo of a damaged Brain.");
    assert.strictEqual(abnormal[174], "this is one Brain with damage in the scene.");
    assert.strictEqual(new Set([...normal, ...abnormal]).size, 420);
  });

  it("MadCLIP's fix mode: 7 normal and 7 abnormal states × 35 templates (utils.encode_text_with_prompt_ensemble_equall)", () => {
    const { normal, abnormal } = ensemblePrompts("Brain", MADCLIP_FIXED_STATES);
    assert.strictEqual(normal.length, 245);
    assert.strictEqual(abnormal.length, 245);
    assert.deepStrictEqual(normal, ensemblePrompts("Brain").normal);
    assert.deepStrictEqual(abnormal.slice(0, 175), ensemblePrompts("Brain").abnormal);
    // The reference's " disease {}" keeps its leading space; the tokenizer's whitespace cleaning removes it.
    assert.strictEqual(abnormal[175], "a bad photo of a  disease Brain.");
    assert.strictEqual(abnormal[244], "this is one abnormal Brain in the scene.");
    const tok = ClipTokenizer.fromDirectory(tinyClipModel);
    assert.deepStrictEqual(tok.tokenize([abnormal[175]]), tok.tokenize(["a bad photo of a disease brain."]));
  });

  it("object words follow MVFA's REAL_NAME; other classes use their own name", () => {
    assert.strictEqual(objectWordFor("Brain_AD"), "Brain");
    assert.strictEqual(objectWordFor("Chest"), "Chest X-ray film");
    assert.strictEqual(objectWordFor("Retina_OCT2017_AD"), "retinal OCT");
    assert.strictEqual(objectWordFor("histopathology"), "histopathological image");
    assert.strictEqual(objectWordFor("metal_nut"), "metal nut");
    assert.strictEqual(ensemblePrompts("a$&b").normal[0], "a bad photo of a a$&b.");
  });

  it("T for 'Brain' matches T_mvfa_brain (rtol 1e-4)", async function () {
    const model = ClipModel.load(tinyClipModel);
    const encoder = await ClipTextEncoder.create(model, { input: "ids" }, { intraOpThreads: 1 });
    const phases: string[] = [];
    try {
      const T = await promptEnsemble(encoder, ClipTokenizer.fromDirectory(tinyClipModel), "Brain", {
        batch: 100,
        onProgress: (d, t, p) => phases.push(`${d}/${t} ${p}`),
      });
      assert.deepStrictEqual(T.dims, [32, 2]);
      const ref = readRef("text.safetensors");
      const d = compare(T.data, ref.readFloat64("T_mvfa_brain_f64").data);
      ref.close();
      this.test!.title += ` — ${fmt(d)}`;
      assert.ok(d.ok, fmt(d));
      assert.deepStrictEqual(phases, ["1/5 text", "2/5 text", "3/5 text", "4/5 text", "5/5 text"]);
      // A different object word gives a different matrix (the test would notice a word that is ignored).
      const other = await promptEnsemble(encoder, ClipTokenizer.fromDirectory(tinyClipModel), "Liver", { batch: 420 });
      assert.ok(!compare(other.data, T.data).ok);
    } finally {
      await encoder.release();
      model.close();
    }
  });

  it("an aborted signal stops before the first batch", async () => {
    const model = ClipModel.load(tinyClipModel);
    const encoder = await ClipTextEncoder.create(model, { input: "ids" }, { intraOpThreads: 1 });
    try {
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(
        promptEnsemble(encoder, ClipTokenizer.fromDirectory(tinyClipModel), "Brain", { signal: ac.signal }),
        { name: "AbortError" },
      );
    } finally {
      await encoder.release();
      model.close();
    }
  });
});
