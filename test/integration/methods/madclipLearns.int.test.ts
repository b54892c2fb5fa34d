// MadCLIP learns on the bundled demo set with the tiny random CLIP: at the paper's 60 epochs (learnable CoOp prompts,
// shots 2, batch 16, 16 test images, honest protocol) the trained adapters beat the untrained ones (epochs 0) on pixel
// AUROC on each of 3 seeds and by ≥ 0.15 on the mean. Image AUROC is deliberately not asserted: at 2 shots it does not
// improve (the map's max follows brain extent, not the lesions); it does at the reference's 16 shots, whose 3-seed
// runs take minutes per seed and live in `npm run bench:trained` (measurements and analysis: docs/methods-evidence.md).
// The mechanics of training (loss, determinism, resume, stop) are checked in trained.int.test.ts on short runs.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import * as medad from "../../../kernel/api";
import { tinyClipModel } from "../../helpers/fixturePaths";

const SEEDS = [0, 1, 2];
const EPOCHS = 60;
const MAX_TEST = 16;

describe("methods: MadCLIP at the paper's 60 epochs beats its untrained adapters on pixel AUROC (demo-brainmri, tiny CLIP, 3 seeds)", function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-madclip-learns-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const pixel = { untrained: [] as number[], trained: [] as number[] };

  before(async () => {
    for (const seed of SEEDS) {
      for (const epochs of [0, EPOCHS]) {
        const r = await medad.fewshotInProcess({
          dataset: demoDatasetPath(),
          method: "madclip",
          shots: 2,
          seed,
          model: tinyClipModel,
          maxTestImages: MAX_TEST,
          featureCache: path.join(dir, "features"),
          options: { epochs },
        });
        assert.strictEqual(r.settings.epochs, epochs);
        assert.match(r.settings.prompts as string, /^learnable CoOp/);
        assert.strictEqual(r.normalisation.transductive, false);
        (epochs === 0 ? pixel.untrained : pixel.trained).push(r.metrics.pixel!.auroc);
      }
    }
  });

  it("pixel AUROC: trained > untrained on every seed, mean gain ≥ 0.15", function () {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const detail = JSON.stringify(pixel);
    this.test!.title += ` — untrained ${pixel.untrained.map((x) => x.toFixed(3)).join("/")}, trained ${pixel.trained.map((x) => x.toFixed(3)).join("/")}`;
    SEEDS.forEach((s, i) => assert.ok(pixel.trained[i] > pixel.untrained[i], `seed ${s}: ${detail}`));
    // Measured (seeds 0/1/2): mean 0.547 → 0.863 (+0.32), every seed ≥ +0.29; half of the mean gain is required.
    assert.ok(mean(pixel.trained) - mean(pixel.untrained) >= 0.15, detail);
  });
});
