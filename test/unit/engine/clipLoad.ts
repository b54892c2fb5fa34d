// Loads the tiny fixture model once per test file.
import { readClipConfig } from "../../../kernel/engine/weights/clipConfig";
import { loadTextWeights, loadVisionWeights } from "../../../kernel/engine/weights/clipWeights";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import { fixturePath } from "./helpers";

export function loadTinyClip() {
  const config = readClipConfig(fixturePath("model", "config.json"));
  const st = SafetensorsFile.open(fixturePath("model", "model.safetensors"));
  try {
    return { config, vision: loadVisionWeights(st, config), text: loadTextWeights(st, config) };
  } finally {
    st.close();
  }
}

export function readRef(file: string) {
  return SafetensorsFile.open(fixturePath("ref", file));
}
