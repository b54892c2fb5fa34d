import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCheckpoint, type NamedTensor } from "../../../../kernel/engine/train/checkpoint";
import { Adam } from "../../../../kernel/engine/optim";
import { trainLoop, TrainingDiverged, type TrainLoopProgress } from "../../../../kernel/engine/train/trainLoop";
import { AbortError } from "../../../../kernel/util/cancellation";

/** Adam on the parameters' arrays, with MVFA's betas. */
function adam(params: Record<string, NamedTensor>): Adam {
  return new Adam({ w: params.w.data }, { lr: 0.3, betas: [0.5, 0.999] });
}

/** Minimise (w - 3)^2: loss and gradient of a one-parameter problem. */
function problem(params: Record<string, NamedTensor>) {
  return async () => {
    const w = params.w.data[0];
    return { loss: (w - 3) ** 2, grads: { w: new Float32Array([2 * (w - 3)]) } };
  };
}

describe("training loop", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-train-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const base = (
    params: Record<string, NamedTensor>,
    opt: Adam,
    extra: Partial<Parameters<typeof trainLoop>[0]> = {},
  ) => ({
    method: "toy",
    modelHash: "h",
    epochs: 5,
    stepsPerEpoch: 4,
    params,
    optimizer: opt,
    step: problem(params),
    signal: new AbortController().signal,
    progress: () => undefined,
    ...extra,
  });

  it("trains, reports progress with loss and ETA, and checkpoints every epoch", async () => {
    const params = { w: { shape: [1], data: new Float32Array([0]) } };
    const seen: TrainLoopProgress[] = [];
    const file = path.join(dir, "ckpt.safetensors");
    const r = await trainLoop(base(params, adam(params), { checkpointFile: file, progress: (p) => seen.push(p) }));
    assert.strictEqual(r.epochLosses.length, 5);
    assert.ok(r.epochLosses[4] < r.epochLosses[0] / 100, `losses ${r.epochLosses}`);
    assert.deepStrictEqual([seen.length, seen[19].done, seen[19].total, seen[19].epoch], [20, 20, 20, 5]);
    assert.ok(seen.every((p) => typeof p.loss === "number" && typeof p.etaS === "number"));
    const ckpt = loadCheckpoint(file, { method: "toy", modelHash: "h" });
    assert.strictEqual(ckpt.epoch, 5);
    assert.strictEqual(ckpt.params.w.data[0], params.w.data[0]);
    assert.strictEqual(ckpt.optimizer.step, 20);
  });

  it("resumes from the checkpoint after a stop and ends where an uninterrupted run ends", async () => {
    const straight = { w: { shape: [1], data: new Float32Array([0]) } };
    await trainLoop(base(straight, adam(straight)));

    const params = { w: { shape: [1], data: new Float32Array([0]) } };
    const file = path.join(dir, "ckpt.safetensors");
    const abort = new AbortController();
    const first = adam(params);
    await assert.rejects(
      trainLoop(
        base(params, first, {
          checkpointFile: file,
          signal: abort.signal,
          progress: (p) => p.epoch === 3 && p.step === 2 && abort.abort(),
        }),
      ),
      AbortError,
    );
    assert.strictEqual(
      loadCheckpoint(file, { method: "toy", modelHash: "h" }).epoch,
      2,
      "the last complete epoch is kept",
    );

    const resumed = { w: { shape: [1], data: new Float32Array([123]) } };
    const opt = adam(resumed);
    const r = await trainLoop(base(resumed, opt, { checkpointFile: file }));
    assert.strictEqual(r.resumedFromEpoch, 2);
    assert.strictEqual(r.epochLosses.length, 3);
    assert.strictEqual(opt.steps, 20);
    assert.strictEqual(resumed.w.data[0], straight.w.data[0]);
  });

  it("stops with a clear message when the loss becomes NaN and keeps the last good checkpoint", async () => {
    const params = { w: { shape: [1], data: new Float32Array([0]) } };
    const file = path.join(dir, "ckpt.safetensors");
    const step = async (epoch: number, s: number) =>
      epoch === 3 && s === 2 ? { loss: NaN, grads: { w: new Float32Array([NaN]) } } : problem(params)();
    await assert.rejects(
      trainLoop(base(params, adam(params), { checkpointFile: file, step })),
      (e: Error) =>
        e instanceof TrainingDiverged &&
        /loss became NaN at epoch 3, step 2.*last good checkpoint \(epoch 2\) is kept/.test(e.message),
    );
    assert.ok(Number.isFinite(params.w.data[0]), "NaN gradients are not applied");
    assert.strictEqual(loadCheckpoint(file, { method: "toy", modelHash: "h" }).epoch, 2);
  });

  it("parameters that overflow on an epoch's last step are not saved; the message names the last good file", async () => {
    const params = { w: { shape: [1], data: new Float32Array([0]) } };
    const file = path.join(dir, "ckpt.safetensors");
    const opt = adam(params);
    // A finite loss whose update makes the weight infinite: the loss guard alone would save it.
    const step = async (epoch: number, s: number) => {
      if (epoch === 3 && s === 4) {
        params.w.data[0] = Infinity;
        return { loss: 1, grads: { w: new Float32Array([0]) } };
      }
      return problem(params)();
    };
    await assert.rejects(
      trainLoop(base(params, opt, { checkpointFile: file, step })),
      (e: Error) =>
        e instanceof TrainingDiverged &&
        /parameters became non-finite in epoch 3 \(1 values of w\).*epoch 3 was not saved/.test(e.message) &&
        e.message.includes(`last good checkpoint (epoch 2) is kept at ${file}`) &&
        /delete it or give a new checkpoint: path/.test(e.message),
    );
    assert.strictEqual(loadCheckpoint(file, { method: "toy", modelHash: "h" }).epoch, 2);
  });

  it("refuses to resume a checkpoint made with other settings, listing them; resume: force overrides", async () => {
    const file = path.join(dir, "ckpt.safetensors");
    const p0 = { w: { shape: [1], data: new Float32Array([0]) } };
    await trainLoop(base(p0, adam(p0), { checkpointFile: file, epochs: 2, identity: { seed: 0, lr: 0.3 } }));
    const p1 = { w: { shape: [1], data: new Float32Array([0]) } };
    await assert.rejects(
      trainLoop(base(p1, adam(p1), { checkpointFile: file, identity: { seed: 1, lr: 0.3 } })),
      (e: Error) =>
        e.message.startsWith(`${file}: was written by a run with other settings`) &&
        e.message.includes("seed: 0 in the checkpoint, 1 in this run") &&
        !e.message.includes("lr:") &&
        /a new checkpoint: path.*resume: force/s.test(e.message),
    );
    const warned: string[] = [];
    const r = await trainLoop(
      base(p1, adam(p1), {
        checkpointFile: file,
        identity: { seed: 1, lr: 0.3 },
        resume: "force",
        warn: (m) => warned.push(m),
      }),
    );
    assert.strictEqual(r.resumedFromEpoch, 2);
    assert.match(warned.join("\n"), /resuming despite other settings \(resume: force\):\n {2}seed: 0/);
  });

  it("a checkpoint past this run's epochs is refused, not reported as trained with 0 steps", async () => {
    const file = path.join(dir, "ckpt.safetensors");
    const p0 = { w: { shape: [1], data: new Float32Array([0]) } };
    await trainLoop(base(p0, adam(p0), { checkpointFile: file, epochs: 4 }));
    const p1 = { w: { shape: [1], data: new Float32Array([0]) } };
    await assert.rejects(
      trainLoop(base(p1, adam(p1), { checkpointFile: file, epochs: 2 })),
      /is at epoch 4, past this run's epochs: 2.*Set epochs: 4/,
    );
  });

  it("one writer per checkpoint: a live lock is refused naming its pid; a stale one is taken over", async () => {
    const file = path.join(dir, "ckpt.safetensors");
    const params = { w: { shape: [1], data: new Float32Array([0]) } };
    fs.writeFileSync(`${file}.lock`, String(process.pid));
    await assert.rejects(
      trainLoop(base(params, adam(params), { checkpointFile: file })),
      new RegExp(`another training run \\(pid ${process.pid}\\) is using this checkpoint`),
    );
    assert.ok(!fs.existsSync(file));
    fs.writeFileSync(`${file}.lock`, "999999999"); // no such process: a crashed run's lock
    await trainLoop(base(params, adam(params), { checkpointFile: file }));
    assert.ok(fs.existsSync(file));
    assert.ok(!fs.existsSync(`${file}.lock`), "the lock is released at the end");
  });
});
