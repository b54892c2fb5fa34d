import * as path from "path";
import { PROTOCOL_VERSION, type ExecuteStatus, type HostMessage, type KernelMessage } from "../protocol/messages";
import { setCellSignal } from "../api/cellSignal";
import { setDisplaySink } from "../api/displaySink";
import { createDefaultRegistry } from "../magics/builtins";
import { CellRunner, type CellSink } from "./cellRunner";
import { preludeError, type PreludeFailure } from "./preludeError";
import { TslabExecutor } from "./tslabExecutor";

type Send = (message: KernelMessage) => void;

/**
 * The kernel side of one notebook: executes cells one at a time in arrival order, routes everything a cell
 * writes (stdout, stderr, displays, errors) to that cell's execId, and turns SIGINT into an interrupt.
 */
export class KernelSession {
  private readonly executor: TslabExecutor;
  private readonly runner: CellRunner;
  private queue: Promise<void> = Promise.resolve();
  /** The cell output goes to; output written after a cell ends (timers) still goes to the last cell, as in Jupyter. */
  private execId = 0;
  private abort?: AbortController;

  constructor(private readonly send: Send) {
    this.executor = new TslabExecutor(process.cwd());
    this.runner = new CellRunner(this.executor, createDefaultRegistry());
    this.captureStreams();
    setDisplaySink((data, metadata, displayId, update) =>
      this.send({ type: "display", execId: this.execId, data, metadata, displayId, update }),
    );
    this.hookTslabDisplay();
  }

  /** Makes `medad` (the public API) available to every cell, with its types. Fails with a PreludeError. */
  async prelude(): Promise<void> {
    const api = path.join(__dirname, "..", "api", "index").replace(/\\/g, "/");
    let failure: PreludeFailure | undefined;
    const status = await this.executor.execute(`import * as medad from ${JSON.stringify(api)};`, 1, {
      value: () => undefined,
      error: (ename, evalue, traceback) => {
        failure ??= { ename, evalue, traceback };
      },
    });
    if (failure || status !== "ok") throw preludeError(api, status, failure);
  }

  ready(): void {
    this.send({
      type: "ready",
      protocol: PROTOCOL_VERSION,
      pid: process.pid,
      versions: { node: process.versions.node, tslab: this.tslabVersion() },
    });
  }

  handle(message: HostMessage): void {
    if (message.type === "shutdown") {
      this.executor.close();
      process.exit(0);
    }
    const { execId, code } = message;
    this.queue = this.queue.then(() => this.execute(execId, code));
  }

  /** SIGINT: abort the running magic (if any) and break a pending await; vm breaks synchronous loops itself. */
  interrupt(): void {
    this.abort?.abort();
    this.executor.interrupt();
  }

  private async execute(execId: number, code: string): Promise<void> {
    this.execId = execId;
    const abort = new AbortController();
    this.abort = abort;
    setCellSignal(abort.signal);
    const started = performance.now();
    let status: ExecuteStatus;
    try {
      status = await this.runner.run(code, this.sinkFor(execId), abort.signal);
    } catch (err) {
      const e = err as Error;
      this.send({ type: "error", execId, ename: "KernelError", evalue: e.message, traceback: [String(e.stack ?? e)] });
      status = "error";
    }
    if (status === "interrupted") {
      this.send({
        type: "error",
        execId,
        ename: "Interrupted",
        evalue: "The cell was interrupted. Variables from earlier cells are kept.",
        traceback: [],
      });
    }
    this.abort = undefined;
    this.send({ type: "done", execId, status, durationMs: performance.now() - started });
  }

  private sinkFor(execId: number): CellSink {
    return {
      stdout: (text) => this.send({ type: "stream", execId, name: "stdout", text }),
      value: (text) =>
        this.send({ type: "display", execId, data: { "text/plain": text }, metadata: {}, update: false }),
      error: (ename, evalue, traceback) => this.send({ type: "error", execId, ename, evalue, traceback }),
    };
  }

  /** Everything written to stdout/stderr in this process (console.log, libraries) becomes a stream output. */
  private captureStreams(): void {
    const decoder = new TextDecoder();
    for (const name of ["stdout", "stderr"] as const) {
      process[name].write = ((chunk: string | Uint8Array, encodingOrCb?: unknown, cb?: unknown) => {
        const text = typeof chunk === "string" ? chunk : decoder.decode(chunk);
        if (text !== "") this.send({ type: "stream", execId: this.execId, name, text });
        const callback = typeof encodingOrCb === "function" ? encodingOrCb : cb;
        if (typeof callback === "function") process.nextTick(callback as () => void);
        return true;
      }) as typeof process.stdout.write;
    }
  }

  /** `tslab.display.*` in cells writes through this hook of tslab's Jupyter module. */
  private hookTslabDisplay(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
    jupyter.lastWriteDisplayData = (
      msg: { data: Record<string, unknown>; metadata?: Record<string, unknown>; transient?: { display_id?: string } },
      update: boolean,
    ) => {
      this.send({
        type: "display",
        execId: this.execId,
        data: msg.data,
        metadata: msg.metadata ?? {},
        displayId: msg.transient?.display_id,
        update: Boolean(update),
      });
    };
  }

  private tslabVersion(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("tslab/package.json") as { version: string }).version;
  }
}
