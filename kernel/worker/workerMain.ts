/**
 * Entry point of the background worker process (forked by the kernel's JobRunner). Runs one job at a time; a
 * `cancel` aborts the job's signal, which handlers check between steps.
 */
import { describeThrown } from "../util/errorFormat";
import { exitWithParent } from "../util/orphanWatchdog";
import { AbortError } from "../util/cancellation";
import { jobHandlers } from "./handlers";
import { isKernelToWorker, type WorkerToKernel } from "./protocol";

function send(message: WorkerToKernel): void {
  if (process.connected) process.send!(message);
}

const running = new Map<number, AbortController>();

async function start(jobId: number, kind: string, params: unknown): Promise<void> {
  const handler = jobHandlers[kind];
  if (!handler) {
    send({ type: "failed", jobId, name: "UnknownJob", message: `the worker has no job '${kind}'` });
    return;
  }
  const abort = new AbortController();
  running.set(jobId, abort);
  try {
    const value = await handler(params, {
      progress: (progress) => send({ type: "progress", jobId, progress }),
      log: (text) => send({ type: "log", jobId, text }),
      signal: abort.signal,
    });
    send(abort.signal.aborted ? { type: "cancelled", jobId } : { type: "result", jobId, value });
  } catch (err) {
    if (err instanceof AbortError || abort.signal.aborted) {
      send({ type: "cancelled", jobId });
    } else {
      const { ename, evalue, traceback } = describeThrown(err);
      send({ type: "failed", jobId, name: ename, message: evalue, stack: traceback.join("\n") });
    }
  } finally {
    running.delete(jobId);
  }
}

if (!process.send) {
  process.stderr.write(
    "kernel/worker/workerMain.js is started by the MedAD Lab kernel with an IPC channel; it cannot run on its own.\n",
  );
  process.exit(2);
}
process.on("disconnect", () => process.exit(0));
exitWithParent();
process.on("message", (message) => {
  if (!isKernelToWorker(message)) return;
  if (message.type === "cancel") running.get(message.jobId)?.abort();
  else void start(message.jobId, message.kind, message.params);
});
send({ type: "ready", pid: process.pid });
