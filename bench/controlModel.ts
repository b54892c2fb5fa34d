// A control model for the SD-MAD evidence bench: the tiny random CLIP fixture with its vision blocks turned into
// identities (attention out-projection and MLP fc2 zeroed), so every patch token is a fixed random linear view of its
// own 8×8 pixels (patch embedding + position, ln_pre, ln_post, projection). Its features carry what the pixels show
// and nothing a random 8-block trunk scrambles; the CLS token is then the same for every image. Bench-only: it tells
// whether SD-MAD's training can use category signal when the frozen features have it. Written once per call to a
// temporary folder; the text tower and tokenizer files are the fixture's.
import * as fs from "fs";
import * as path from "path";
import { SafetensorsFile } from "../kernel/engine/weights/safetensors";
import { writeSafetensors, type StTensorIn } from "../kernel/engine/weights/safetensorsWrite";

const BLOCK_OUTPUTS = /^vision_model\.encoder\.layers\.\d+\.(self_attn\.out_proj|mlp\.fc2)\.(weight|bias)$/;

export function writeIdentityTrunkModel(fixture: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(fixture))
    if (f !== "model.safetensors") fs.copyFileSync(path.join(fixture, f), path.join(dir, f));
  const st = SafetensorsFile.open(path.join(fixture, "model.safetensors"));
  try {
    const tensors: Record<string, StTensorIn> = {};
    for (const name of st.names()) {
      const t = st.readFloat32(name);
      const data = BLOCK_OUTPUTS.test(name) ? new Float32Array(t.data.length) : t.data;
      tensors[name] = { dtype: "F32", shape: [...t.shape], data };
    }
    writeSafetensors(path.join(dir, "model.safetensors"), tensors, {
      note: "tiny-clip fixture with identity vision blocks (bench control)",
    });
  } finally {
    st.close();
  }
  return dir;
}
