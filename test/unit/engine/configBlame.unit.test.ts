// A config that does not describe the weights is reported against the config file and its defaulted fields, not
// against model.safetensors.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ClipModel } from "../../../kernel/engine";
import { fixturePath, tempDir } from "./helpers";

type Cfg = { vision_config: Record<string, unknown>; text_config: Record<string, unknown> };

function withConfig(edit: (c: Cfg) => void): string {
  const dir = tempDir();
  const cfg = JSON.parse(fs.readFileSync(fixturePath("model", "config.json"), "utf8")) as Cfg;
  edit(cfg);
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(cfg));
  fs.symlinkSync(fixturePath("model", "model.safetensors"), path.join(dir, "model.safetensors"));
  return dir;
}

describe("engine/clip: config/weights mismatches name the config and the field", () => {
  it("a missing field that took a default is named with the config file", () => {
    const dir = withConfig((c) => delete c.vision_config.num_hidden_layers); // default 12, the weights have 8 blocks
    const model = ClipModel.load(dir);
    try {
      assert.deepStrictEqual(model.config.defaulted, ["vision_config.num_hidden_layers"]);
      assert.throws(
        () => model.visionWeights(),
        (e: Error) =>
          e.message.startsWith(
            `${path.join(dir, "config.json")}: fields vision_config.num_hidden_layers: are missing and took defaults`,
          ) && /vision_model\.encoder\.layers\.8\./.test(e.message),
      );
    } finally {
      model.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an explicit wrong value is blamed on the config, quoting the tensor and shapes", () => {
    const dir = withConfig((c) => (c.text_config.intermediate_size = 128));
    const model = ClipModel.load(dir);
    try {
      assert.deepStrictEqual(model.config.defaulted, []);
      assert.throws(
        () => model.textWeights(),
        (e: Error) =>
          e.message.startsWith(`${path.join(dir, "config.json")}: this config does not describe the weights`) &&
          /text_model\.encoder\.layers\.0\.mlp\.fc1\.weight.*\[64, 16\] does not match the expected \[128, 16\]/.test(
            e.message,
          ),
      );
    } finally {
      model.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
