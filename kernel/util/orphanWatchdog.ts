import { Worker } from "worker_threads";

/**
 * Ends this process when its parent (the extension host, the CLI, the kernel) is gone. The IPC 'disconnect'
 * event does that normally, but a cell stuck in a synchronous loop never gets to handle it and would spin
 * forever as an orphan; a worker thread keeps running while the main thread is blocked, so it watches instead.
 */
export function exitWithParent(intervalMs = 1000): void {
  const source = `
    const { workerData } = require("worker_threads");
    setInterval(() => {
      if (process.ppid !== workerData.parent) process.kill(process.pid, "SIGKILL");
    }, workerData.intervalMs);
  `;
  const watchdog = new Worker(source, { eval: true, workerData: { parent: process.ppid, intervalMs } });
  watchdog.unref();
}
