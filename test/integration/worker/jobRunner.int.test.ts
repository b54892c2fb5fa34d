import * as assert from "assert";
import { AbortError } from "../../../kernel/util/cancellation";
import { JobFailedError, JobRunner, WorkerDiedError } from "../../../kernel/worker/jobRunner";
import type { JobProgress } from "../../../kernel/worker/protocol";

describe("background worker (JobRunner)", function () {
  let runner: JobRunner;
  beforeEach(() => (runner = new JobRunner({ cancelGraceMs: 1000 })));
  afterEach(() => runner.dispose());

  it("runs a job in another process and streams its progress", async () => {
    const seen: JobProgress[] = [];
    const result = await runner.run("sleep-steps", { steps: 4, stepMs: 20 }, { onProgress: (p) => seen.push(p) });
    assert.deepStrictEqual(result, { steps: 4 });
    assert.deepStrictEqual(
      seen.map((p) => p.done),
      [1, 2, 3, 4],
    );
    assert.ok(seen.every((p) => p.total === 4 && typeof p.etaS === "number" && typeof p.throughput === "number"));
    assert.notStrictEqual(runner.workerPid, process.pid);
  });

  it("runs queued jobs one at a time, in order", async () => {
    const order: string[] = [];
    const a = runner.run("sleep-steps", { steps: 3, stepMs: 30 }).then(() => order.push("a"));
    const b = runner.run("sleep-steps", { steps: 1, stepMs: 1 }).then(() => order.push("b"));
    assert.strictEqual(runner.queued, 1);
    await Promise.all([a, b]);
    assert.deepStrictEqual(order, ["a", "b"]);
  });

  it("cancels a job within a second when asked", async () => {
    const abort = new AbortController();
    const pending = runner.run(
      "sleep-steps",
      { steps: 1000, stepMs: 50 },
      { signal: abort.signal, onProgress: (p) => p.done === 3 && abort.abort() },
    );
    const t0 = Date.now();
    await assert.rejects(pending, (e: Error) => e instanceof AbortError);
    assert.ok(Date.now() - t0 < 5000);
    assert.deepStrictEqual(
      await runner.run("sleep-steps", { steps: 1, stepMs: 1 }),
      { steps: 1 },
      "the worker is still usable",
    );
  });

  it("kills a worker stuck in a synchronous step when cancelled, and starts a fresh one for the next job", async () => {
    const abort = new AbortController();
    const pending = runner.run(
      "sleep-steps",
      { steps: 10, stepMs: 10, busyAt: 2 },
      { signal: abort.signal, onProgress: () => setTimeout(() => abort.abort(), 100) },
    );
    const firstPid = await new Promise<number | undefined>((r) => setTimeout(() => r(runner.workerPid), 50));
    const t0 = Date.now();
    await assert.rejects(pending, (e: Error) => e instanceof AbortError);
    assert.ok(Date.now() - t0 < 4000, `stopped after ${Date.now() - t0} ms`);
    assert.deepStrictEqual(await runner.run("sleep-steps", { steps: 1, stepMs: 1 }), { steps: 1 });
    assert.notStrictEqual(runner.workerPid, firstPid);
  });

  it("reports a worker that dies mid-job, and recovers", async () => {
    await assert.rejects(
      runner.run("sleep-steps", { steps: 5, stepMs: 5, crashAt: 3 }),
      (e: Error) =>
        e instanceof WorkerDiedError &&
        /running sleep-steps exited with code 9\. The notebook's kernel and variables are unaffected/.test(e.message),
    );
    assert.deepStrictEqual(await runner.run("sleep-steps", { steps: 1, stepMs: 1 }), { steps: 1 });
  });

  it("fails unknown jobs with a clear error", async () => {
    await assert.rejects(
      runner.run("no-such-job", {}),
      (e: Error) => e instanceof JobFailedError && /no job 'no-such-job'/.test(e.message),
    );
  });

  it("does not start a job whose signal is already aborted", async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(runner.run("sleep-steps", { steps: 1, stepMs: 1 }, { signal: abort.signal }), AbortError);
  });
});
