import { fork, type ChildProcess } from "child_process";
import * as path from "path";
import { AbortError } from "../util/cancellation";
import { isWorkerMessage, type JobProgress, type WorkerToKernel } from "./protocol";

export interface RunJobOptions {
  onProgress?: (progress: JobProgress) => void;
  onLog?: (text: string) => void;
  /** Aborting stops the job: a cancel message first, the worker killed if it has not stopped within `cancelGraceMs`. */
  signal?: AbortSignal;
}

/** The job was stopped by the user (an AbortError naming the job); its last checkpoint (if any) is kept. */
function jobStopped(kind: string): AbortError {
  return new AbortError(`${kind} was stopped; its last checkpoint (if any) is kept.`);
}

/** The worker process died (killed, out of memory, a native crash); the kernel itself is unaffected. */
export class WorkerDiedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerDied";
  }
}

/** What survives a dead worker: checkpoints are written atomically after every epoch, and a rerun resumes them. */
function checkpointNote(params: unknown): string {
  const file = (params as { options?: { checkpoint?: unknown } } | undefined)?.options?.checkpoint;
  return typeof file === "string"
    ? `Its checkpoint ${file} keeps the last finished epoch: run the cell again to resume from it.`
    : "Training runs given a checkpoint: path keep their last finished epoch there, and running again resumes it.";
}

export class JobFailedError extends Error {
  constructor(
    name: string,
    message: string,
    readonly workerStack?: string,
  ) {
    super(message);
    this.name = name;
  }
}

interface Queued {
  jobId: number;
  kind: string;
  params: unknown;
  options: RunJobOptions;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

const WORKER_MAIN = path.join(__dirname, "workerMain.js");

/**
 * Runs jobs in a background worker process, one at a time in submission order (the kernel's queue). The worker
 * starts on the first job and is reused; if it dies, the running job fails with WorkerDiedError and the next
 * job starts a fresh worker.
 */
export class JobRunner {
  private worker?: ChildProcess;
  private ready?: Promise<ChildProcess>;
  private readonly queue: Queued[] = [];
  private current?: Queued & { cancelTimer?: NodeJS.Timeout };
  private nextJobId = 1;
  private stderrTail = "";
  /** Set when we killed the worker because a cancelled job did not stop in time (a cancel, not a crash). */
  private killedForCancel = false;

  constructor(private readonly options: { cancelGraceMs?: number; nodePath?: string; env?: NodeJS.ProcessEnv } = {}) {}

  run<T = unknown>(kind: string, params: unknown, options: RunJobOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (options.signal?.aborted) return reject(jobStopped(kind));
      this.queue.push({
        jobId: this.nextJobId++,
        kind,
        params,
        options,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.pump();
    });
  }

  /** Jobs waiting behind the running one. */
  get queued(): number {
    return this.queue.length;
  }

  get workerPid(): number | undefined {
    return this.worker?.pid;
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker.once("exit", r));
      worker.kill("SIGKILL");
      await exited;
    }
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    if (job.options.signal?.aborted) {
      job.reject(jobStopped(job.kind));
      return this.pump();
    }
    this.current = job;
    this.startWorker().then(
      (worker) => {
        if (this.current !== job) return;
        job.options.signal?.addEventListener("abort", () => this.cancel(job), { once: true });
        worker.send({ type: "start", jobId: job.jobId, kind: job.kind, params: job.params });
      },
      (err: Error) => this.finish(job, () => job.reject(new WorkerDiedError(err.message))),
    );
  }

  private cancel(job: Queued): void {
    if (this.current?.jobId !== job.jobId || !this.worker) return;
    this.worker.send({ type: "cancel", jobId: job.jobId });
    const worker = this.worker;
    // A job stuck in a long synchronous step never reads the cancel message: stop means stop.
    this.current.cancelTimer = setTimeout(() => {
      if (this.current?.jobId === job.jobId && this.worker === worker) {
        this.killedForCancel = true;
        worker.kill("SIGKILL");
      }
    }, this.options.cancelGraceMs ?? 1000);
  }

  private finish(job: Queued, settle: () => void): void {
    if (this.current?.jobId === job.jobId) {
      clearTimeout(this.current.cancelTimer);
      this.current = undefined;
    }
    settle();
    this.pump();
  }

  private startWorker(): Promise<ChildProcess> {
    if (this.worker) return Promise.resolve(this.worker);
    this.ready ??= new Promise<ChildProcess>((resolve, reject) => {
      this.stderrTail = "";
      const worker = fork(WORKER_MAIN, [], {
        execPath: this.options.nodePath || process.execPath,
        env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: "1" },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
      worker.stdout?.on("data", (d: Buffer) => this.current?.options.onLog?.(d.toString()));
      worker.stderr?.on("data", (d: Buffer) => {
        this.stderrTail = (this.stderrTail + d.toString()).slice(-2000);
        this.current?.options.onLog?.(d.toString());
      });
      worker.on("message", (message) => {
        if (!isWorkerMessage(message)) return;
        if (message.type === "ready") {
          this.worker = worker;
          resolve(worker);
        } else {
          this.dispatch(message);
        }
      });
      worker.on("error", (err) => reject(err));
      worker.on("exit", (code, signal) => this.onExit(worker, code, signal, reject));
    }).finally(() => (this.ready = undefined));
    return this.ready;
  }

  private onExit(
    worker: ChildProcess,
    code: number | null,
    signal: NodeJS.Signals | null,
    rejectStart: (e: Error) => void,
  ): void {
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    const tail = this.stderrTail.trim()
      ? `\nLast worker stderr:\n${this.stderrTail.trim().split("\n").slice(-6).join("\n")}`
      : "";
    rejectStart(new Error(`the background worker ${how} before it was ready.${tail}`));
    if (this.worker !== worker) return;
    this.worker = undefined;
    const job = this.current;
    if (!job) return;
    if (this.killedForCancel) {
      this.killedForCancel = false;
      this.finish(job, () => job.reject(jobStopped(job.kind)));
      return;
    }
    const oom = /heap out of memory|Allocation failed/i.test(this.stderrTail)
      ? " It ran out of memory: use fewer shots, a smaller image size or batch, or a machine with more memory."
      : "";
    this.finish(job, () =>
      job.reject(
        new WorkerDiedError(
          `The background worker running ${job.kind} ${how}.${oom} The notebook's kernel and variables are unaffected. ` +
            `${checkpointNote(job.params)}${tail}`,
        ),
      ),
    );
  }

  private dispatch(message: Exclude<WorkerToKernel, { type: "ready" }>): void {
    const job = this.current;
    if (!job || message.jobId !== job.jobId) return;
    switch (message.type) {
      case "progress":
        job.options.onProgress?.(message.progress);
        break;
      case "log":
        job.options.onLog?.(message.text);
        break;
      case "result":
        this.finish(job, () => job.resolve(message.value));
        break;
      case "cancelled":
        this.finish(job, () => job.reject(jobStopped(job.kind)));
        break;
      case "failed":
        this.finish(job, () => job.reject(new JobFailedError(message.name, message.message, message.stack)));
        break;
    }
  }
}
