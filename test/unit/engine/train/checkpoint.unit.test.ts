import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  CheckpointError,
  loadCheckpoint,
  saveCheckpoint,
  type Checkpoint,
} from "../../../../kernel/engine/train/checkpoint";
import { tinyClipModel } from "../../../helpers/fixturePaths";

function checkpoint(values: number): Checkpoint {
  return {
    method: "mvfa",
    modelHash: "a".repeat(64),
    epoch: 7,
    params: { "seg/0/fc1": { shape: [2, values / 2], data: Float32Array.from({ length: values }, (_, i) => i / 3) } },
    optimizer: {
      kind: "adam",
      step: 3,
      lr: 1e-3,
      betas: [0.5, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      expAvg: { "seg/0/fc1": new Float32Array(values).fill(0.5) },
      expAvgSq: { "seg/0/fc1": new Float32Array(values).fill(0.25) },
    },
    meta: { seed: 1, lr: 1e-3 },
  };
}

const expect = { method: "mvfa", modelHash: "a".repeat(64) };

describe("checkpoints", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-ckpt-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("round-trips parameters, optimizer state, epoch and meta exactly", () => {
    const file = path.join(dir, "c.safetensors");
    saveCheckpoint(file, checkpoint(8));
    assert.deepStrictEqual(loadCheckpoint(file, expect), checkpoint(8));
  });

  it("refuses a checkpoint made for other model weights or by another method, saying why", () => {
    const file = path.join(dir, "c.safetensors");
    saveCheckpoint(file, checkpoint(8));
    assert.throws(
      () => loadCheckpoint(file, { ...expect, modelHash: "b".repeat(64) }),
      (e: Error) =>
        e instanceof CheckpointError &&
        /made for other model weights \(hash aaaaaaaaaaaa…, this model is bbbbbbbbbbbb…\)/.test(e.message),
    );
    assert.throws(
      () => loadCheckpoint(file, { ...expect, method: "madclip" }),
      /saved by method 'mvfa', not 'madclip'/,
    );
  });

  it("refuses a truncated checkpoint and a file that is not a checkpoint", () => {
    const file = path.join(dir, "c.safetensors");
    saveCheckpoint(file, checkpoint(64));
    fs.truncateSync(file, fs.statSync(file).size - 10);
    assert.throws(
      () => loadCheckpoint(file, expect),
      (e: Error) =>
        e instanceof CheckpointError && /c\.safetensors: unreadable \(truncated or not a checkpoint\)/.test(e.message),
    );
    assert.throws(
      () => loadCheckpoint(path.join(tinyClipModel, "model.safetensors"), expect),
      /not a MedAD Lab checkpoint/,
    );
    assert.throws(() => loadCheckpoint(path.join(dir, "none.safetensors"), expect), /no such checkpoint/);
  });

  it("keeps the previous checkpoint intact when the disk is full", function () {
    const mount = path.join(dir, "tiny");
    fs.mkdirSync(mount);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount], { stdio: "ignore" });
    } catch {
      this.skip(); // needs root and tmpfs; the atomic write it checks is covered by the notebook writer tests too
    }
    try {
      const file = path.join(mount, "c.safetensors");
      saveCheckpoint(file, checkpoint(8));
      assert.throws(() => saveCheckpoint(file, checkpoint(64 * 1024)), /ENOSPC/);
      assert.deepStrictEqual(loadCheckpoint(file, expect), checkpoint(8));
      assert.deepStrictEqual(fs.readdirSync(mount), ["c.safetensors"], "no temporary file is left behind");
    } finally {
      execFileSync("umount", [mount]);
    }
  });
});
