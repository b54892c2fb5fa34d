import { fork, type ChildProcess } from "child_process";
import * as path from "path";
import { isKernelMessage, type ExecuteStatus, type KernelMessage } from "../protocol/messages";
import type { CellOutput } from "../protocol/outputs";
import { packageRoot } from "../util/packageRoot";

/** How an execution ended, seen from the host. `died`: the kernel process exited while running it. */
export type ExecutionStatus = ExecuteStatus | "died";

export interface ExecutionResult {
  status: ExecutionStatus;
  durationMs: number;
}

export interface KernelClientOptions {
  /** Working folder of the kernel (a notebook's folder, as Jupyter does). */
  cwd: string;
  /** Node executable; defaults to the one running this process (with ELECTRON_RUN_AS_NODE for VS Code desktop). */
  nodePath?: string;
  env?: NodeJS.ProcessEnv;
  /** Lines for a log (the extension's output channel, the CLI's --verbose). */
  log?: (line: string) => void;
  /** How long to wait for the kernel's `ready`; the first start loads the TypeScript compiler. */
  startTimeoutMs?: number;
  /** How long an interrupted cell may keep running before the kernel is killed (default 10 s). */
  interruptTimeoutMs?: number;
}

interface Pending {
  onOutput: (output: CellOutput, update: boolean) => void;
  resolve: (result: ExecutionResult) => void;
  started: number;
}

// From the package root, not from this file: the packaged extension bundles this module into dist/extension.js
// (scripts/package.js) while the kernel process stays at out/kernel/process/main.js.
const kernelMain = (): string => path.join(packageRoot(), "out", "kernel", "process", "main.js");
const INTERRUPT_RETRY_MS = 1000;
const DEFAULT_INTERRUPT_TIMEOUT_MS = 10_000;

/**
 * Starts and talks to one kernel process. Executions queue in order; if the process dies, every pending
 * execution ends with status `died` and an error output that says so, and the next `execute` starts a fresh one.
 */
export class KernelClient {
  private child?: ChildProcess;
  private starting?: Promise<ChildProcess>;
  private nextExecId = 1;
  private readonly pending = new Map<number, Pending>();
  private exitListeners: Array<(description: string) => void> = [];
  /** Why we killed the process ourselves, reported instead of the bare signal. */
  private killReason?: string;

  constructor(private readonly options: KernelClientOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Called when the process exits on its own (crash, `process.exit` in a cell, killed); not on shutdown/restart. */
  onUnexpectedExit(listener: (description: string) => void): void {
    this.exitListeners.push(listener);
  }

  /** Runs a cell; a kernel that cannot start ends the cell as `died` with an error output saying why. */
  async execute(code: string, onOutput: Pending["onOutput"]): Promise<ExecutionResult> {
    const started = performance.now();
    let child: ChildProcess;
    try {
      child = await this.start();
    } catch (err) {
      onOutput({ kind: "error", ename: "KernelStartError", evalue: (err as Error).message, traceback: [] }, false);
      return { status: "died", durationMs: performance.now() - started };
    }
    const execId = this.nextExecId++;
    return new Promise<ExecutionResult>((resolve) => {
      this.pending.set(execId, { onOutput, resolve, started: performance.now() });
      child.send({ type: "execute", execId, code });
    });
  }

  /**
   * SIGINT to the kernel: breaks a synchronous loop or a pending await; the kernel keeps its state.
   * A SIGINT that lands while tslab is still type-checking the cell is lost (vm only watches for it while the
   * code runs, and the event loop is blocked until then), so it is repeated every second while that same cell
   * is still running. Hosts send the next cell only after `done`, so a repeat cannot hit a later cell.
   * JavaScript cannot break a synchronous loop that runs after an `await` at all; when the cell is still running
   * after `interruptTimeoutMs`, the kernel is killed so that stop always stops (its variables are lost, and the
   * cell says so), as Jupyter front ends offer a restart when an interrupt times out.
   */
  interrupt(): void {
    const child = this.child;
    const target = this.pending.keys().next().value;
    if (!child || target === undefined) return;
    const deadline = performance.now() + (this.options.interruptTimeoutMs ?? DEFAULT_INTERRUPT_TIMEOUT_MS);
    const signal = () => {
      if (this.child !== child || !this.pending.has(target)) return;
      if (performance.now() >= deadline) {
        this.killReason = `The cell did not stop within ${(this.options.interruptTimeoutMs ?? DEFAULT_INTERRUPT_TIMEOUT_MS) / 1000} s of the interrupt (a synchronous loop that runs after an 'await' cannot be interrupted), so the kernel was stopped.`;
        child.kill("SIGKILL");
        return;
      }
      child.kill("SIGINT");
      setTimeout(signal, INTERRUPT_RETRY_MS).unref();
    };
    signal();
  }

  async restart(): Promise<void> {
    await this.shutdown();
    await this.start();
  }

  /** Stops the kernel; pending executions end as `died`. Waits at most a second before killing it. */
  async shutdown(): Promise<void> {
    const child = this.child ?? (await this.starting?.catch(() => undefined));
    if (!child) return;
    this.child = undefined;
    this.starting = undefined;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    if (child.connected) child.send({ type: "shutdown" });
    const timer = setTimeout(() => child.kill("SIGKILL"), 1000);
    await exited;
    clearTimeout(timer);
    this.failPending("The kernel was shut down while this cell was running.");
  }

  /** Starts the process if none runs; resolves once the kernel has said `ready`. */
  start(): Promise<ChildProcess> {
    if (this.child) return Promise.resolve(this.child);
    this.starting ??= this.spawn().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private spawn(): Promise<ChildProcess> {
    const { cwd, log } = this.options;
    this.killReason = undefined;
    const nodePath = this.options.nodePath || process.execPath;
    const main = kernelMain();
    const child = fork(main, [], {
      cwd,
      execPath: nodePath,
      env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: "1" },
      // Piped so that what bypasses the IPC channel (a native crash, V8's out-of-memory report) reaches the log.
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    log?.(`starting kernel: ${nodePath} ${main} (cwd ${cwd})`);
    child.stdout?.on("data", (d: Buffer) => log?.(`[kernel stdout] ${d.toString().trimEnd()}`));
    let stderrTail = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderrTail = (stderrTail + d.toString()).slice(-4000);
      log?.(`[kernel stderr] ${d.toString().trimEnd()}`);
    });
    return new Promise<ChildProcess>((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(
          new Error(
            `The kernel did not start within ${(this.options.startTimeoutMs ?? 60000) / 1000} s. ${stderrTail}`,
          ),
        );
      }, this.options.startTimeoutMs ?? 60000);
      child.on("message", (message) => {
        if (!isKernelMessage(message)) return;
        if (message.type === "ready") {
          ready = true;
          clearTimeout(timer);
          this.child = child;
          log?.(`kernel ready (pid ${message.pid}, node ${message.versions.node}, tslab ${message.versions.tslab})`);
          resolve(child);
          return;
        }
        this.dispatch(message);
      });
      child.on("error", (err) => {
        clearTimeout(timer);
        if (!ready) reject(new Error(`Could not start the kernel with ${nodePath}: ${err.message}`));
      });
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const detail = stderrTail.trim()
          ? `\nLast kernel stderr:\n${stderrTail.trim().split("\n").slice(-8).join("\n")}`
          : "";
        log?.(`kernel process ${child.pid} ${how}`);
        if (!ready) {
          reject(new Error(`The kernel process ${how} before it was ready.${detail}`));
          return;
        }
        if (this.child !== child) return; // shutdown or restart: expected
        this.child = undefined;
        const description = this.killReason ?? `The kernel process ${how}.`;
        this.killReason = undefined;
        const hadPending = this.pending.size > 0;
        this.failPending(
          `${description} Variables from earlier cells are lost; the next run starts a fresh kernel.${detail}`,
        );
        for (const listener of this.exitListeners) listener(hadPending ? description : `${description} (while idle)`);
      });
    });
  }

  private dispatch(message: KernelMessage): void {
    if (message.type === "ready") return;
    const pending = this.pending.get(message.execId);
    if (!pending) {
      // Output from a timer of a cell that already finished: nothing on the host is waiting for it any more.
      if (message.type === "stream") this.options.log?.(`[late ${message.name}] ${message.text.trimEnd()}`);
      return;
    }
    switch (message.type) {
      case "stream":
        pending.onOutput({ kind: "stream", name: message.name, text: message.text }, false);
        break;
      case "display":
        pending.onOutput(
          { kind: "display", data: message.data, metadata: message.metadata, displayId: message.displayId },
          message.update,
        );
        break;
      case "error":
        pending.onOutput(
          { kind: "error", ename: message.ename, evalue: message.evalue, traceback: message.traceback },
          false,
        );
        break;
      case "done":
        this.pending.delete(message.execId);
        pending.resolve({ status: message.status, durationMs: message.durationMs });
        break;
    }
  }

  private failPending(evalue: string): void {
    for (const [execId, pending] of this.pending) {
      this.pending.delete(execId);
      pending.onOutput({ kind: "error", ename: "KernelDied", evalue, traceback: [] }, false);
      pending.resolve({ status: "died", durationMs: performance.now() - pending.started });
    }
  }
}
