// Fault suite, training: a run killed with SIGKILL mid-epoch resumes to the uninterrupted result; a second run on
// the same checkpoint path is refused while the first lives and takes the stale lock over once it is dead; a dead
// worker's message says the checkpoint is kept. Checkpoint identity and NaN guards are reproduced in unit tests.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as medad from "../../../kernel/api";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import type { FewshotResult } from "../../../kernel/methods/result";
import { JobRunner, WorkerDiedError } from "../../../kernel/worker/jobRunner";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { exited, fewshotChild, waitFor } from "./faultHelpers";
import { coveredBy, observed } from "./faultTable";

const UNIT = "test/unit/engine/train/trainLoop.unit.test.ts";

describe("faults: training runs", function () {
  this.timeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-faults-train-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const base = {
    dataset: demoDatasetPath(),
    method: "mvfa",
    shots: 2,
    seed: 0,
    model: tinyClipModel,
    maxTestImages: 8,
    // Shared, so the concurrent run reaches training (and the lock) quickly; the cache does not change scores.
    featureCache: path.join(dir, "features"),
  };

  it("kill -9 mid-epoch, a concurrent run on the same checkpoint, then resume: identical to an uninterrupted run", async () => {
    const checkpoint = path.join(dir, "mvfa.ckpt.safetensors");
    const resultFile = path.join(dir, "killed.json");
    // A long run (epochs are not part of the identity: a shorter run may resume a longer one's checkpoint).
    const child = fewshotChild({ ...base, options: { epochs: 50, checkpoint } }, resultFile);
    try {
      await waitFor(() => fs.existsSync(checkpoint), 120_000, "the first epoch's checkpoint");
      // The first run holds the checkpoint's lock: a second run must be refused, naming the owner's pid.
      await assert.rejects(
        medad.fewshotInProcess({ ...base, options: { epochs: 50, checkpoint } }),
        (e: Error) => e.message.includes(`another training run (pid ${child.pid})`) && e.message.includes(checkpoint),
      );
      await new Promise((r) => setTimeout(r, 400)); // well into the next epoch
      child.kill("SIGKILL");
      const end = await exited(child);
      assert.strictEqual(end.signal, "SIGKILL");
    } finally {
      child.kill("SIGKILL");
    }
    assert.ok(!fs.existsSync(resultFile), "the killed run wrote no result");
    assert.ok(fs.existsSync(`${checkpoint}.lock`), "the dead run's lock is left behind (stale)");
    const st = SafetensorsFile.open(checkpoint);
    const savedEpoch = Number(st.metadata.epoch);
    st.close();
    assert.ok(savedEpoch >= 1, `checkpoint epoch ${savedEpoch}`);
    assert.deepStrictEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
      "no half-written checkpoint is left",
    );

    const epochs = savedEpoch + 2;
    const resumed: FewshotResult = await medad.fewshotInProcess({ ...base, options: { epochs, checkpoint } });
    const straight: FewshotResult = await medad.fewshotInProcess({ ...base, options: { epochs } });
    assert.strictEqual(resumed.settings.resumedFromEpoch, savedEpoch);
    assert.deepStrictEqual(resumed.settings.epochLosses, (straight.settings.epochLosses as number[]).slice(savedEpoch));
    assert.deepStrictEqual(resumed.scores, straight.scores);
    assert.deepStrictEqual(resumed.metrics, straight.metrics);
    assert.ok(!fs.existsSync(`${checkpoint}.lock`), "the resumed run took the stale lock over and released it");
    observed(
      "train",
      "kill -9 mid-epoch, resume",
      "resume from the last epoch's checkpoint, same scores as an uninterrupted run",
      `killed in epoch ${savedEpoch + 1}; resumed from epoch ${savedEpoch}; scores and metrics identical to a straight ${epochs}-epoch run`,
    );
    observed(
      "train",
      "two runs on one checkpoint path",
      "the second is refused naming the first's pid; a dead owner's lock is taken over",
      "refused while the first lived; the resume after kill -9 took the stale lock over",
    );
  });

  it("a dead worker's message says the checkpoint is kept and a rerun resumes", async () => {
    const runner = new JobRunner();
    try {
      const checkpoint = path.join(dir, "worker.ckpt.safetensors");
      await assert.rejects(
        runner.run("sleep-steps", { steps: 5, stepMs: 5, crashAt: 2, options: { checkpoint } }),
        (e: Error) =>
          e instanceof WorkerDiedError &&
          e.message.includes(
            `Its checkpoint ${checkpoint} keeps the last finished epoch: run the cell again to resume`,
          ),
      );
      observed(
        "train",
        "worker dies mid-job",
        "message: kernel unaffected, checkpoint kept, a rerun resumes",
        "WorkerDied naming the checkpoint and 'run the cell again to resume'",
      );
    } finally {
      await runner.dispose();
    }
  });

  it("the cases unit tests reproduce are still there", () => {
    coveredBy(
      "train",
      "NaN at an epoch boundary",
      "not saved; names the last good checkpoint and says to delete it",
      UNIT,
      "parameters that overflow on an epoch's last step are not saved; the message names the last good file",
    );
    coveredBy(
      "train",
      "NaN loss",
      "stops, keeps the last good checkpoint",
      UNIT,
      "stops with a clear message when the loss becomes NaN and keeps the last good checkpoint",
    );
    coveredBy(
      "train",
      "resume with other settings (seed, lr …)",
      "refused, listing differences; resume: force overrides",
      UNIT,
      "refuses to resume a checkpoint made with other settings, listing them; resume: force overrides",
    );
    coveredBy(
      "train",
      "checkpoint past this run's epochs",
      "refused, not reported as trained with 0 steps",
      UNIT,
      "a checkpoint past this run's epochs is refused, not reported as trained with 0 steps",
    );
    coveredBy(
      "disk",
      "checkpoint on a full disk",
      "error names the file; previous checkpoint intact, no temp file",
      "test/unit/engine/train/checkpoint.unit.test.ts",
      "keeps the previous checkpoint intact when the disk is full",
    );
  });
});
