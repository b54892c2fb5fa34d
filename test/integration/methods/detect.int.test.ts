// Detect and exports on the bundled demo set with the tiny CLIP: a saved MVFA result (adapter copy beside it)
// scores its own test images exactly as its evaluation did; the detect CLI and %detect give the same numbers;
// outputs re-read equal; a result that cannot be used says which file and what to do.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KernelClient } from "../../../kernel/client/kernelClient";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import * as medad from "../../../kernel/api";
import { readMask } from "../../../kernel/imaging/readImage";
import { DETECT_CSV_COLUMNS } from "../../../kernel/api/detectExport";
import type { FewshotResult } from "../../../kernel/methods/result";
import { encodeDicom } from "../../helpers/dicomEncode";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { encodeNifti } from "../../helpers/niftiEncode";
import { run } from "../kernelHarness";

const ROOT = path.join(__dirname, "..", "..", "..", "..");

function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split("\n")
    .map((l) => l.split(","));
}

describe("detect: new images with a saved run's adapter and calibration (demo-brainmri, tiny CLIP)", function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-detect-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  let result: FewshotResult;
  const saved = path.join(dir, "saved", "mvfa.json");
  const files = () => result.scores.map((s) => path.join(result.dataset.root, s.file));

  before(async () => {
    result = await medad.fewshotInProcess({
      dataset: demoDatasetPath(),
      method: "mvfa",
      shots: 2,
      seed: 1,
      model: tinyClipModel,
      maxTestImages: 10,
      featureCache: path.join(dir, "features"),
      options: { epochs: 2, checkpoint: path.join(dir, "mvfa.ckpt.safetensors") },
    });
    medad.saveResult(result, saved);
  });

  it("calibrates thresholds on the support normals, never below their chosen quantile", () => {
    const t = result.thresholds!;
    assert.ok(t.image && t.pixel, JSON.stringify(t));
    assert.strictEqual(t.calibrationScores.length, 2);
    assert.strictEqual(t.image.value, Math.max(...t.calibrationScores), "2 normals at q 0.95: the highest");
    const d = t.test.image!;
    assert.strictEqual(d.tp + d.fp + d.tn + d.fn, result.scores.length);
    assert.strictEqual(d.tp + d.fp, result.scores.filter((s) => s.score > t.image!.value).length);
  });

  it("a saved MVFA result scores its own test images exactly as its evaluation did", async () => {
    const out = path.join(dir, "out");
    const d = await medad.detect(files(), saved, { show: false, out });
    assert.strictEqual(d.images.length, result.scores.length);
    const worst = Math.max(...d.images.map((im, i) => Math.abs(im.score - result.scores[i].score)));
    assert.ok(worst <= 1e-6 * Math.max(1, Math.abs(result.scores[0].score)), `max |Δscore| ${worst}`);
    d.images.forEach((im) => assert.strictEqual(im.anomalous, im.score > result.thresholds!.image!.value));
    // detections.csv and the mask PNGs read back equal to the returned value.
    const rows = parseCsv(fs.readFileSync(d.outputs!.csv, "utf8"));
    assert.deepStrictEqual(rows[0], DETECT_CSV_COLUMNS);
    rows.slice(1).forEach((row, i) => {
      assert.strictEqual(Number(row[1]), d.images[i].score);
      assert.strictEqual(row[2], String(d.images[i].anomalous));
    });
    d.images.forEach((im, i) => {
      const m = readMask(d.outputs!.masks[i]);
      assert.strictEqual(m.width, im.width);
      const fraction = m.data.reduce((s, v) => s + v, 0) / m.data.length;
      assert.ok(Math.abs(fraction - im.maskFraction!) < 0.02, `${im.name}: ${fraction} vs ${im.maskFraction}`);
      assert.ok(fs.statSync(d.outputs!.overlays[i]).size > 0);
    });
  });

  it("the CLI gives the same scores from the saved file", () => {
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, "bin", "medad.js"), "detect", "--result", saved, files()[0], "--out", path.join(dir, "cli")],
      { encoding: "utf8", env: { ...process.env, MEDAD_FEATURE_CACHE: path.join(dir, "features") } },
    );
    assert.strictEqual(r.status, 0, r.stderr);
    const rows = parseCsv(fs.readFileSync(path.join(dir, "cli", "detections.csv"), "utf8"));
    assert.strictEqual(Number(rows[1][1]), result.scores[0].score);
  });

  it("exports: scores.csv and predicted masks read back equal", () => {
    const e = medad.exportResult(result, path.join(dir, "export"));
    const rows = parseCsv(fs.readFileSync(e.csv, "utf8"));
    rows.slice(1).forEach((row, i) => {
      assert.strictEqual(row[0], result.scores[i].file);
      assert.strictEqual(Number(row[2]), result.scores[i].score);
      assert.strictEqual(row[3], String(result.scores[i].score > result.thresholds!.image!.value));
    });
    assert.strictEqual(e.masks.length, result.scores.length);
    assert.ok(e.masks[0].includes(`${path.sep}anomaly_mask${path.sep}`), e.masks[0]);
    assert.match(fs.readFileSync(e.report.html, "utf8"), /Decisions at thresholds calibrated on normal images only/);
  });

  it("16-bit DICOM and NIfTI: each image records its window (tags, cal_min/cal_max, percentile, given), in the CSV too", async () => {
    const ramp = Array.from({ length: 48 * 48 }, (_, i) => (i * 7) % 4000);
    const dcm = (name: string, window?: { center: number; width: number }) => {
      const file = path.join(dir, "win", name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, encodeDicom({ rows: 48, columns: 48, bitsAllocated: 16, pixels: ramp, window }));
      return file;
    };
    const tagged = dcm("tagged.dcm", { center: 1000, width: 800 });
    const plain = dcm("plain.dcm");
    const nii = path.join(dir, "win", "vol.nii");
    fs.writeFileSync(nii, encodeNifti({ dims: [48, 48, 1], datatype: 4, values: ramp, cal: { min: 0, max: 2000 } }));
    const d = await medad.detect([tagged, plain, nii], saved, { show: false, out: path.join(dir, "win-out") });
    assert.deepStrictEqual(
      d.images.map((im) => im.window),
      [
        { center: 1000, width: 800, source: "dicom-tags" },
        { ...d.images[1].window!, source: "percentile" },
        { center: 1000, width: 2000, source: "nifti-cal" },
      ],
    );
    const rows = parseCsv(fs.readFileSync(d.outputs!.csv, "utf8"));
    const col = (name: string) => rows[0].indexOf(name);
    assert.deepStrictEqual(
      rows.slice(1).map((r) => [r[col("window_center")], r[col("window_width")], r[col("window_source")]]),
      d.images.map((im) => [String(im.window!.center), String(im.window!.width), im.window!.source]),
    );
    // The window reaches the model: the file's own window and the same window given score alike, another does not.
    const same = await medad.detect(tagged, saved, { show: false, window: { center: 1000, width: 800 } });
    assert.deepStrictEqual(same.images[0].window, { center: 1000, width: 800, source: "given" });
    assert.strictEqual(same.images[0].score, d.images[0].score);
    const other = await medad.detect(tagged, saved, { show: false, window: { center: 3000, width: 500 } });
    assert.notStrictEqual(other.images[0].score, d.images[0].score);
  });

  it("an adapter trained at another commit still detects; one trained with other settings is refused", async () => {
    // Same-length edits of the checkpoint's recorded identity (JSON inside the safetensors header).
    const patched = (name: string, from: RegExp, to: (m: string) => string) => {
      const file = path.join(dir, name);
      const text = fs.readFileSync(result.settings.checkpoint as string).toString("latin1");
      assert.match(text, from);
      fs.writeFileSync(file, Buffer.from(text.replace(from, to), "latin1"));
      return { ...result, settings: { ...result.settings, checkpoint: file } } as FewshotResult;
    };
    const oldCode = patched("old-code.safetensors", /(\\"code\\":\\")([^\\]+)/, (m) =>
      m.replace(/[^"\\:]+$/, (c) => "f".repeat(c.length)),
    );
    const d = await medad.detect(files()[0], oldCode, { show: false });
    assert.strictEqual(d.images[0].score, result.scores[0].score);
    const otherSeed = patched(
      "other-seed.safetensors",
      /\\"seed\\":\d+(?=,\\"lr\\")/,
      (m) => m.slice(0, -1) + ((Number(m.slice(-1)) + 1) % 10),
    );
    await assert.rejects(
      medad.detect(files()[0], otherSeed, { show: false }),
      /was trained with other settings than the result records \(seed: .*restore the result's own adapter file/,
    );
  });

  it("refuses results it cannot reproduce, naming the file and the fix", async () => {
    const noAdapter = { ...result, settings: { ...result.settings, checkpoint: null } } as FewshotResult;
    await assert.rejects(
      medad.detect(files()[0], noAdapter, { show: false }),
      /kept no adapter checkpoint; run it again with `checkpoint: FILE`/,
    );
    const otherModel = JSON.parse(JSON.stringify(result)) as FewshotResult;
    otherModel.model.hash.value = "0".repeat(64);
    const file = path.join(dir, "other.json");
    fs.writeFileSync(file, JSON.stringify(otherModel));
    await assert.rejects(
      medad.detect(files()[0], file, { show: false }),
      (err: Error) => err.message.startsWith(file) && /is not the one the result was made with/.test(err.message),
    );
    const old = { ...result, request: undefined } as FewshotResult;
    await assert.rejects(medad.detect(files()[0], old, { show: false }), /made before results recorded/);
  });

  it("%detect binds a typed detectResult in the kernel", async () => {
    const kernel = new KernelClient({ cwd: dir, env: { MEDAD_FEATURE_CACHE: path.join(dir, "features") } });
    try {
      const r = await run(kernel, `%detect "${saved}" "${files()[1]}" --as found`);
      assert.strictEqual(r.status, "ok", JSON.stringify(r.errors));
      const score = await run(kernel, "found.images[0].score");
      assert.strictEqual(Number(score.text.trim()), result.scores[1].score);
    } finally {
      await kernel.shutdown();
    }
  });
});
