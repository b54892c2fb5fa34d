// Where the shared tiny-CLIP fixtures live: shared/ sits next to the repository checkout (or MEDAD_FIXTURES overrides).
import * as fs from "fs";
import * as path from "path";

function findFixtures(): string {
  if (process.env.MEDAD_FIXTURES) return process.env.MEDAD_FIXTURES;
  // out/test/helpers -> repo root is three levels up; shared/ is either inside the repo or beside it.
  const repo = path.resolve(__dirname, "..", "..", "..");
  const candidates = [
    path.join(repo, "shared", "fixtures", "tiny-clip"),
    path.join(repo, "..", "shared", "fixtures", "tiny-clip"),
    "/work/shared/fixtures/tiny-clip",
  ];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
}

export const tinyClipDir = findFixtures();
export const tinyClipModel = path.join(tinyClipDir, "model");
export const tinyClipImages = path.join(tinyClipDir, "images");
export const tinyClipRef = path.join(tinyClipDir, "ref");
/** Tiny random checkpoints in every PyTorch format (test/fixtures/checkpoints/make_checkpoints.py). */
export const checkpointFixtures = path.resolve(__dirname, "..", "..", "..", "test", "fixtures", "checkpoints");
/** Reference-code parity tensors for MVFA's augmented memory, MadCLIP's CoOp prompts and MediCLIP (make_parity.py). */
export const parityFixtures = path.resolve(__dirname, "..", "..", "..", "test", "fixtures", "parity");
