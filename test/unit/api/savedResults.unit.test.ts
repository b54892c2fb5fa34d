import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  describeSave,
  loadedAdapters,
  loadResult,
  saveResult,
  SAVED_RESULT_FORMAT,
  SavedResultError,
} from "../../../kernel/api/savedResults";
import { summariseRuns, type CompareResult } from "../../../kernel/api/compare";
import { fakeResult } from "../../helpers/fakeResult";
import { tempDir } from "../../helpers/tempTree";

describe("saveResult / loadResult", function () {
  this.timeout(20000); // the fake result reads the demo dataset
  let dir: string;
  beforeEach(() => (dir = tempDir("medad-saved-")));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("round-trips a FewshotResult exactly, NaN, Infinity, -0 and undefined fields included", () => {
    const result = fakeResult();
    (result.metrics as Record<string, unknown>).pixelSkipped = undefined;
    const file = path.join(dir, "sub", "run.json");
    const report = saveResult(result, file);
    assert.strictEqual(report.file, file);
    assert.deepStrictEqual(report.adapters, []);
    const loaded = loadResult(file);
    assert.deepStrictEqual(loaded, result);
    assert.ok(Number.isNaN((loaded as typeof result).metrics.pixel!.auroc));
    assert.ok(Object.is((loaded as typeof result).timings.phases.evaluate, -0));
    assert.ok("pixelSkipped" in (loaded as typeof result).metrics);
    const onDisk = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.strictEqual(onDisk.format, SAVED_RESULT_FORMAT);
    assert.strictEqual(onDisk.version, 1);
    assert.strictEqual(onDisk.kind, "fewshot");
    // Atomic write: no temp file is left beside it.
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ["run.json"]);
  });

  it("round-trips a CompareResult", () => {
    const runs = [fakeResult({ seed: 0 }), fakeResult({ seed: 1, method: "zero-shot", label: "zero-shot CLIP" })];
    const result: CompareResult = { cells: summariseRuns(runs, ["patchcore", "zero-shot"], [1]), runs };
    const file = path.join(dir, "grid.json");
    saveResult(result, file);
    assert.deepStrictEqual(loadResult(file), result);
  });

  it("copies a trained run's checkpoint byte for byte and checks it on load", () => {
    const ckpt = path.join(dir, "train", "mvfa.ckpt.safetensors");
    fs.mkdirSync(path.dirname(ckpt));
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));
    fs.writeFileSync(ckpt, bytes);
    const result = fakeResult({ method: "mvfa" });
    result.settings = { epochs: 1, checkpoint: ckpt };
    const file = path.join(dir, "saved", "mvfa.json");
    const report = saveResult(result, file);
    assert.strictEqual(report.adapters.length, 1);
    assert.strictEqual(report.adapters[0].file, "mvfa.adapter.safetensors");
    const copy = path.join(dir, "saved", "mvfa.adapter.safetensors");
    assert.ok(fs.readFileSync(copy).equals(bytes));
    assert.match(
      describeSave(report),
      /adapter of run 0: mvfa\.adapter\.safetensors \(1000 bytes, sha256 [0-9a-f]{16}…\)/,
    );
    const loaded = loadResult(file);
    assert.deepStrictEqual(loaded, result);
    assert.deepStrictEqual(
      loadedAdapters(loaded).map((a) => a.file),
      [copy],
    );

    const flipped = Buffer.from(bytes);
    flipped[10] ^= 1;
    fs.writeFileSync(copy, flipped);
    assert.throws(
      () => loadResult(file),
      (e: SavedResultError) =>
        e.file === file && /mvfa\.adapter\.safetensors does not match the SHA-256/.test(e.message),
    );
    fs.rmSync(copy);
    assert.throws(() => loadResult(file), /names the adapter .*mvfa\.adapter\.safetensors, which is missing/);
  });

  it("saves without the adapter, and says so, when the checkpoint is gone", () => {
    const result = fakeResult({ method: "mvfa" });
    result.settings = { checkpoint: path.join(dir, "gone.safetensors") };
    const report = saveResult(result, path.join(dir, "r.json"));
    assert.deepStrictEqual(report.adapters, []);
    assert.match(report.warnings[0], /gone\.safetensors no longer exists/);
  });

  it("names the file and the fix for corrupt, foreign and newer files", () => {
    const file = path.join(dir, "r.json");
    saveResult(fakeResult(), file);
    const good = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, good.slice(0, good.length / 2));
    assert.throws(
      () => loadResult(file),
      (e: Error) => e.message.startsWith(file) && /is corrupt: not valid JSON/.test(e.message),
    );
    fs.writeFileSync(file, JSON.stringify({ hello: 1 }));
    assert.throws(() => loadResult(file), /is not a saved MedAD result .*format is undefined/);
    fs.writeFileSync(file, good.replace('"version":1', '"version":2'));
    assert.throws(
      () => loadResult(file),
      /has version 2; this MedAD Lab reads version 1 \(update MedAD Lab to read it\)/,
    );
    fs.writeFileSync(file, good.replace('"schema":"medad.fewshot-result/1"', '"schema":"other"'));
    assert.throws(() => loadResult(file), /is corrupt: its result is not a fewshot result/);
    assert.throws(() => loadResult(path.join(dir, "none.json")), /none\.json: cannot be read \(ENOENT\)/);
  });

  it("refuses values that are not results", () => {
    assert.throws(
      () => saveResult({ a: 1 } as never, path.join(dir, "x.json")),
      /expected a FewshotResult or CompareResult .* got an object with keys a/,
    );
    assert.throws(
      () => saveResult([fakeResult()] as never, path.join(dir, "x.json")),
      /got a list of results; save each one/,
    );
    assert.ok(!fs.existsSync(path.join(dir, "x.json")));
  });
});
