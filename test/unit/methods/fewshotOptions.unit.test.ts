import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  checkFewshotOptions,
  imageSizeFor,
  optionDefault,
  optionsOn,
  RUN_OPTIONS,
} from "../../../kernel/methods/fewshotOptions";
import { withRunOptionsDoc } from "../../../kernel/methods/runOptionsDoc";
import { resolveSupportList } from "../../../kernel/methods/supportList";
import { loadDataset } from "../../../kernel/data/loadDataset";
import { fewshotMagic } from "../../../kernel/magics/ml/fewshot";
import { compareMagic } from "../../../kernel/magics/ml/compare";
import { parseKeyValueBody } from "../../../kernel/magics/keyValueBody";
import { RUN_OPTION_FLAGS, runOptionsFromFlags } from "../../../kernel/cli/runOptionFlags";
import { fewshot } from "../../../kernel/methods/runFewshot";
import { mvfaTree, rmTree, tempDir } from "../../helpers/tempTree";

const repo = path.resolve(__dirname, "../../../..");
const demo = path.join(repo, "data/demo-brainmri");

/** Does a surface accept this text (or value) for shots? */
const cellTakes = (raw: string) => {
  try {
    parseKeyValueBody(`method: mvfa\nmodel: m\nshots: ${raw}`, fewshotMagic.bodySchema!, 1);
    return true;
  } catch {
    return false;
  }
};
const cliTakes = (raw: string) => {
  try {
    runOptionsFromFlags(
      new Map([
        ["dataset", "d"],
        ["method", "mvfa"],
        ["model", "m"],
        ["shots", raw],
      ]),
    );
    return true;
  } catch {
    return false;
  }
};
const apiTakes = (value: number) => {
  try {
    checkFewshotOptions({ dataset: "d", method: "mvfa", model: "m", shots: value });
    return true;
  } catch {
    return false;
  }
};

describe("run options: one table for cell, CLI, API and %%compare", () => {
  it("docs/magics.md carries the current generated table (node scripts/run-options-doc.mjs --write)", () => {
    const file = path.join(repo, "docs/magics.md");
    const text = fs.readFileSync(file, "utf8");
    assert.strictEqual(text, withRunOptionsDoc(text, file), "stale: run node scripts/run-options-doc.mjs --write");
  });

  it("derives the %%fewshot keys, %%compare's shared keys and the CLI flags from the table", () => {
    assert.deepStrictEqual(
      Object.keys(fewshotMagic.bodySchema!),
      optionsOn("cell").map((o) => o.key),
    );
    const compareKeys = Object.keys(compareMagic.bodySchema!);
    for (const o of optionsOn("compare")) assert.ok(compareKeys.includes(o.key), o.key);
    assert.deepStrictEqual(
      RUN_OPTION_FLAGS.map((f) => f.flag),
      optionsOn("cli").map((o) => o.key.replace(/_/g, "-")),
    );
    // The doc and default a hover shows are the table's.
    assert.match(
      fewshotMagic.bodySchema!.epochs.description,
      /\(default mvfa 50, madclip 60, mediclip 200, sd-mad 20\)$/,
    );
    assert.ok(RUN_OPTIONS.every((o) => o.doc.length > 0));
  });

  it("applies one rule for shots on every surface", () => {
    const cases: [string, boolean][] = [
      ["0", true],
      ["4", true],
      ["256", true],
      ["257", false],
      ["-1", false],
      ["2.5", false],
      ["four", false],
    ];
    for (const [raw, ok] of cases) {
      assert.strictEqual(cellTakes(raw), ok, `cell shots: ${raw}`);
      assert.strictEqual(cliTakes(raw), ok, `--shots ${raw}`);
      if (raw !== "four") assert.strictEqual(apiTakes(Number(raw)), ok, `api shots ${raw}`);
    }
    // %%compare's shot list items follow the same range.
    const grid = (shots: string) => () =>
      parseKeyValueBody(`methods: [mvfa]\nshots: ${shots}\nseeds: [0]\nmodel: m`, compareMagic.bodySchema!, 1);
    assert.doesNotThrow(grid("[1, 256]"));
    assert.throws(grid("[1, 257]"), /shots: '\[1, 257\]' is not valid/);
  });

  it("API validation names the option, what it must be and the value", () => {
    const base = { dataset: "d", method: "mvfa", model: "m" };
    assert.throws(
      () => checkFewshotOptions({ ...base, protocol: "x" }),
      /protocol must be one of honest \| reference, got "x"/,
    );
    assert.throws(
      () => checkFewshotOptions({ ...base, maxTestImages: 1 }),
      /maxTestImages must be a whole number ≥ 2, got 1/,
    );
    assert.throws(
      () => checkFewshotOptions({ ...base, options: { epochs: -1 } }),
      /options\.epochs must be a whole number ≥ 0/,
    );
    assert.throws(() => checkFewshotOptions({ ...base, model: undefined }), /model is required/);
    assert.throws(() => checkFewshotOptions({ ...base, dataset: undefined }), /dataset is required/);
    assert.doesNotThrow(() =>
      checkFewshotOptions({
        ...base,
        shots: 2,
        selection: "validation",
        taps: [6, 12],
        list: "none",
        featureCache: "/tmp/x",
      }),
    );
  });

  it("per-method defaults: MadCLIP 16 shots, MediCLIP 224 px on 336/14 checkpoints, each method's epochs", () => {
    assert.strictEqual(optionDefault("shots", "madclip"), 16);
    for (const m of ["zero-shot", "patchcore", "mvfa", "mediclip", "sd-mad"])
      assert.strictEqual(optionDefault("shots", m), 4);
    const vitL336 = { imageSize: 336, patchSize: 14 };
    assert.strictEqual(imageSizeFor("mediclip", vitL336, undefined), 224);
    assert.strictEqual(imageSizeFor("mvfa", vitL336, undefined), 240);
    assert.strictEqual(imageSizeFor("mediclip", vitL336, 336), 336);
    assert.strictEqual(imageSizeFor("mediclip", { imageSize: 224, patchSize: 16 }, undefined), 224);
    assert.strictEqual(imageSizeFor("mvfa", { imageSize: 160, patchSize: 8 }, undefined), 160);
    assert.deepStrictEqual(
      ["mvfa", "madclip", "mediclip", "sd-mad", "patchcore"].map((m) => optionDefault("epochs", m)),
      [50, 60, 200, 20, undefined],
    );
  });

  it("fewshot() takes shots from the table per base method (MadCLIP 16) and checks options before loading data", async () => {
    const root = tempDir();
    try {
      const dataset = mvfaTree(root); // 2 normal + 2 abnormal valid images: too few for either default
      const run = (method: string) => fewshot({ dataset, method, model: "no-such-model" });
      await assert.rejects(run("madclip"), /has 2 normal images; k=16 needs 16/);
      await assert.rejects(run("mvfa"), /has 2 normal images; k=4 needs 4/);
      await assert.rejects(run("madclip+tsc"), /k=16 needs 16/);
      await assert.rejects(
        fewshot({ dataset, method: "mvfa", model: "m", shots: 2.5 }),
        /shots must be a whole number/,
      );
    } finally {
      rmTree(root);
    }
  });

  it("CLI flags become API fields: lists, method options and paths made absolute (list words kept)", () => {
    const o = runOptionsFromFlags(
      new Map([
        ["dataset", "d"],
        ["method", "mvfa"],
        ["model", "m"],
        ["taps", "6,12"],
        ["epochs", "3"],
        ["checkpoint", "c.safetensors"],
        ["list", "my.txt"],
        ["image-size", "224"],
      ]),
    );
    assert.deepStrictEqual(o.taps, [6, 12]);
    assert.deepStrictEqual(o.options, { epochs: 3, checkpoint: path.resolve("c.safetensors") });
    assert.strictEqual(o.list, path.resolve("my.txt"));
    assert.strictEqual(o.imageSize, 224);
    assert.strictEqual(o.dataset, path.resolve("d"));
    assert.strictEqual(
      runOptionsFromFlags(
        new Map([
          ["dataset", "d"],
          ["method", "mvfa"],
          ["model", "m"],
          ["list", "auto"],
        ]),
      ).list,
      "auto",
    );
    assert.throws(
      () =>
        runOptionsFromFlags(
          new Map([
            ["method", "mvfa"],
            ["model", "m"],
          ]),
        ),
      /--dataset is required/,
    );
    assert.throws(
      () =>
        runOptionsFromFlags(
          new Map([
            ["dataset", "d"],
            ["method", "mvfa"],
            ["model", "m"],
            ["protocol", "x"],
          ]),
        ),
      /--protocol needs one of honest \| reference \(got 'x'\)/,
    );
  });

  it("list defaults to auto: the method's own list when shipped, else a seeded draw with the reason", () => {
    const ds = loadDataset(demo);
    const own = resolveSupportList(ds, "Brain", 4, "mvfa", undefined, undefined);
    assert.strictEqual(own.file, path.join(demo, "fewshot_seed/Brain/4-shot.txt"));
    assert.deepStrictEqual([own.record.requested, own.record.used], ["auto", "list-file"]);
    const noK = resolveSupportList(ds, "Brain", 3, "mvfa", undefined, undefined);
    assert.strictEqual(noK.file, undefined);
    assert.strictEqual(noK.record.used, "seeded");
    assert.match(noK.record.note, /ships no mvfa list for Brain, k=3: seeded draw/);
    // The demo set ships MVFA's lists only: MadCLIP (my<k>-shot.txt) draws.
    assert.match(resolveSupportList(ds, "Brain", 4, "madclip", undefined, undefined).record.note, /no madclip list/);
    assert.strictEqual(resolveSupportList(ds, "Brain", 4, "mvfa", "none", undefined).record.used, "seeded");
  });
});
