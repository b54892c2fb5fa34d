// Shared tools of the fault suite: the CLI in a child process, a small tmpfs for full-disk cases, a notebook
// builder and a fewshot run in a child process (so it can be killed with SIGKILL).
import { execFileSync, spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
export { notebook } from "../../helpers/notebookJson";

export const ROOT = path.join(__dirname, "..", "..", "..", "..");
const MEDAD = path.join(ROOT, "bin", "medad.js");

export function medad(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [MEDAD, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, MEDAD_DEBUG: "", ...options.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `medad` without blocking this process's event loop (needed when this process serves the fake hub). */
export function medadAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MEDAD, ...args], { cwd: ROOT, env: { ...process.env, MEDAD_DEBUG: "" } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** A JavaScript stack frame line, which expected errors must not print. */
export const STACK_FRAME = /^\s+at .+\(.+:\d+:\d+\)$/m;

/**
 * Mounts a tmpfs of `size` (e.g. "256k") at `dir` and returns its unmount, or undefined when this machine
 * cannot (not root, no tmpfs): the calling test then skips, saying why.
 */
export function mountTmpfs(dir: string, size: string): (() => void) | undefined {
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  return () => execFileSync("umount", ["-l", dir]);
}

/** Fills a mounted tmpfs so that only about `leave` bytes stay free. */
export function fillDisk(dir: string, leave: number): void {
  const s = fs.statfsSync(dir);
  const free = s.bavail * s.bsize;
  if (free > leave) fs.writeFileSync(path.join(dir, "filler"), Buffer.alloc(free - leave));
}

/**
 * Starts `fewshotInProcess(options)` in a child Node process; the result (or the error message) is written as
 * JSON to `resultFile`. The child can be killed at any moment, like a worker the OS kills.
 */
export function fewshotChild(options: Record<string, unknown>, resultFile: string): ChildProcess {
  const api = path.join(ROOT, "out", "kernel", "api");
  const script = `
    const fs = require("fs");
    require(${JSON.stringify(api)}).fewshotInProcess(${JSON.stringify(options)}).then(
      (r) => fs.writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify({ ok: r })),
      (e) => fs.writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify({ error: String(e && e.message) })),
    );`;
  return spawn(process.execPath, ["-e", script], { stdio: ["ignore", "ignore", "pipe"] });
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/** Resolves once `test()` is true, polling every 50 ms; rejects after `timeoutMs`. */
export async function waitFor(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
