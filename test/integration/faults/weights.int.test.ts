// Fault suite, model weights: garbage, truncated, oversized-header and NaN safetensors, and a folder without
// weights, each through the CLI: the message names the file (and tensor) and the fix, with no JavaScript stack.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import { tinyClipImages, tinyClipModel } from "../../helpers/fixturePaths";
import { medad, STACK_FRAME } from "./faultHelpers";
import { coveredBy, observed } from "./faultTable";

describe("faults: model weights", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-faults-weights-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const image = path.join(tinyClipImages, fs.readdirSync(tinyClipImages).find((f) => /\.png$/i.test(f))!);

  /** A copy of the tiny model whose model.safetensors is `weights` (undefined: no weights file). */
  const modelWith = (name: string, weights?: Buffer) => {
    const m = path.join(dir, name);
    fs.mkdirSync(m);
    for (const f of fs.readdirSync(tinyClipModel))
      if (f !== "model.safetensors") fs.copyFileSync(path.join(tinyClipModel, f), path.join(m, f));
    if (weights) fs.writeFileSync(path.join(m, "model.safetensors"), weights);
    return m;
  };
  const features = (model: string) =>
    medad(["features", "--model", model, "--out", path.join(dir, `${path.basename(model)}.feats.safetensors`), image]);
  const original = fs.readFileSync(path.join(tinyClipModel, "model.safetensors"));

  const cases: { name: string; weights?: () => Buffer; expect: RegExp }[] = [
    { name: "no weights file", expect: /no safetensors weights found .*medad models pull/ },
    {
      name: "garbage",
      weights: () => Buffer.from("this is not a safetensors file at all"),
      expect: /not a safetensors file/,
    },
    { name: "truncated", weights: () => original.subarray(0, original.length >> 1), expect: /model\.safetensors/ },
    {
      name: "oversized header",
      weights: () => {
        const b = Buffer.from(original);
        b.writeBigUInt64LE(1n << 40n, 0);
        return b;
      },
      expect: /header length \d+ is implausible/,
    },
    {
      name: "NaN in a tensor",
      weights: () => {
        const st = SafetensorsFile.open(path.join(tinyClipModel, "model.safetensors"));
        const t = st.info("vision_model.embeddings.class_embedding");
        st.close();
        const b = Buffer.from(original);
        b.writeFloatLE(NaN, t.begin);
        b.writeFloatLE(Infinity, t.begin + 4);
        return b;
      },
      expect: /vision_model\.embeddings\.class_embedding: 2 of \d+ values are NaN or infinite.*Download it again/,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: the message names the file and the fix, without a stack`, () => {
      const model = modelWith(c.name.replace(/\W+/g, "-"), c.weights?.());
      const r = features(model);
      assert.strictEqual(r.code, 1, r.stderr);
      assert.match(r.stderr, c.expect);
      assert.ok(r.stderr.includes(model), `names ${model}: ${r.stderr}`);
      assert.match(r.stderr, /medad models pull/, "says how to get good weights");
      assert.doesNotMatch(r.stderr, STACK_FRAME);
      observed("weights", c.name, "refused at load naming file (and tensor), no stack", r.stderr.trim());
    });
  }

  it("MEDAD_DEBUG=1 adds the stack of an expected error", () => {
    const model = path.join(dir, "no-weights-file");
    const r = medad(["features", "--model", model, "--out", path.join(dir, "x.safetensors"), image], {
      env: { MEDAD_DEBUG: "1" },
    });
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, STACK_FRAME);
    observed(
      "cli",
      "stack after expected errors",
      "message only; stack with MEDAD_DEBUG=1",
      "no frames in the weight cases above; frames printed with MEDAD_DEBUG=1",
    );
  });

  it("the safetensors reader's own cases are still tested", () => {
    coveredBy(
      "weights",
      "short / truncated / not safetensors (reader)",
      "names the file",
      "test/unit/engine/safetensors.unit.test.ts",
      "names the file for files that are too short, truncated or not safetensors",
    );
  });
});
