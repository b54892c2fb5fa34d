// Reference behaviours of the trained methods that short runs can show. MVFA on image-level data (the det head)
// steps only the det adapters, as the reference train_few.py does for CLASS_INDEX < 0: the seg adapters stay at their
// seeded initial weights (read back from the training checkpoint) while the det adapters move; options.trainAdapters =
// "all" steps both (1 epoch, originals only). MadCLIP's fixed prompts are its fix mode (7 + 7 states).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import * as medad from "../../../kernel/api";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import { mvfaParamName } from "../../../kernel/methods/mvfa/adapters";
import { initParams } from "../../../kernel/methods/training";
import { coopParamName, initCoopContexts } from "../../../kernel/methods/madclip/coop";
import { tinyClipModel } from "../../helpers/fixturePaths";

// The tiny fixture: vision width 64, projection 32, 4 tapped levels.
const WIDTH = 64;
const PROJ = 32;
const LEVELS = 4;
const SEED = 7;

function declaredParams(): { name: string; shape: [number, number] }[] {
  const out: { name: string; shape: [number, number] }[] = [];
  for (const head of ["seg", "det"] as const)
    for (let l = 0; l < LEVELS; l++)
      out.push(
        { name: mvfaParamName(head, l, "fc1"), shape: [PROJ, WIDTH] },
        { name: mvfaParamName(head, l, "fc2"), shape: [WIDTH, PROJ] },
      );
  return out;
}

describe("methods: MVFA adapter training on image-level data (trainAdapters)", function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-mvfa-adapters-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const init = initParams(declaredParams(), SEED);

  const trainAndRead = async (options: Record<string, unknown>) => {
    const checkpoint = path.join(dir, `${JSON.stringify(options).replace(/\W/g, "")}.safetensors`);
    const result = await medad.fewshotInProcess({
      dataset: demoDatasetPath(),
      method: "mvfa",
      shots: 1,
      seed: 0,
      model: tinyClipModel,
      maxTestImages: 4,
      featureCache: path.join(dir, "features"),
      options: { epochs: 1, augment: false, trainSeed: SEED, head: "det", checkpoint, ...options },
    });
    const f = SafetensorsFile.open(checkpoint);
    try {
      const changed = (head: "seg" | "det") =>
        declaredParams()
          .filter((p) => p.name.startsWith(`${head}_`))
          .filter((p) => {
            const saved = f.readFloat32(`param/${p.name}`).data;
            return saved.some((v, i) => v !== init[p.name].data[i]);
          }).length;
      return { result, seg: changed("seg"), det: changed("det") };
    } finally {
      f.close();
    }
  };

  it("default (reference): det adapters trained, seg adapters exactly at their initial weights", async () => {
    const r = await trainAndRead({});
    assert.strictEqual(r.seg, 0, "a seg adapter weight moved");
    assert.ok(r.det >= 4, `only ${r.det} det adapter tensors moved`);
    assert.strictEqual(r.result.settings.trainAdapters, "reference");
    assert.match(String(r.result.settings.trainedAdapters), /det adapters only/);
  });

  it('trainAdapters: "all" also steps the seg adapters', async () => {
    const r = await trainAndRead({ trainAdapters: "all" });
    assert.ok(r.seg >= 3, `only ${r.seg} seg adapter tensors moved`);
    assert.ok(r.det >= 4);
    assert.strictEqual(r.result.settings.trainAdapters, "all");
  });

  it("refuses an unknown value, naming the option and its values", async () => {
    await assert.rejects(
      trainAndRead({ trainAdapters: "seg" }),
      /options\.trainAdapters must be one of reference \| all, got "seg"/,
    );
  });
});

describe("methods: MadCLIP's fixed prompts are its fix mode (7 normal / 7 abnormal states)", function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-madclip-fix-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prompts: "fixed" encodes 245 + 245 sentences', async () => {
    const r = await medad.fewshotInProcess({
      dataset: demoDatasetPath(),
      method: "madclip",
      shots: 1,
      seed: 0,
      model: tinyClipModel,
      maxTestImages: 2,
      featureCache: path.join(dir, "features"),
      options: { epochs: 0, prompts: "fixed" },
    });
    assert.match(String(r.settings.prompts), /245 normal \/ 245 abnormal/);
    assert.strictEqual(r.settings.jitter, "reference");
    assert.match(String(r.settings.augment), /colour jitter reference/);
  });
});

describe('methods: ccb-tsc with the paper\'s prompt mix (MVFA options.prompts = "ccb-tsc")', function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-ccbtsc-prompts-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("trains the learnable contexts with the adapters and records the mix", async () => {
    const checkpoint = path.join(dir, "ccbtsc.safetensors");
    const r = await medad.fewshotInProcess({
      dataset: demoDatasetPath(),
      method: "ccb-tsc",
      shots: 1,
      seed: 0,
      model: tinyClipModel,
      maxTestImages: 4,
      featureCache: path.join(dir, "features"),
      options: { epochs: 1, augment: false, trainSeed: SEED, prompts: "ccb-tsc", checkpoint },
    });
    assert.match(String(r.settings.prompts), /abnormal = manual \+ learnable, normal = learnable only/);
    assert.ok(r.plugins, "CCB/TSC plug-ins recorded");
    const textWidth = JSON.parse(fs.readFileSync(path.join(tinyClipModel, "config.json"), "utf8")).text_config
      .hidden_size as number;
    const init = initCoopContexts(21, textWidth, SEED);
    const f = SafetensorsFile.open(checkpoint);
    try {
      for (const cls of ["normal", "abnormal"] as const) {
        const saved = f.readFloat32(`param/${coopParamName(cls)}`).data;
        assert.ok(
          saved.some((v, i) => v !== init[coopParamName(cls)].data[i]),
          `${cls} contexts did not train`,
        );
      }
    } finally {
      f.close();
    }
  });
});
