/**
 * One writer at a time for a file or folder: a lock file created exclusively (`wx`) holds the owner's pid. A lock
 * whose process is gone (crash, kill -9) is stale and taken over, so a killed run never blocks the next one.
 * Used by model pulls (kernel/models/pullLock.ts) and training checkpoints (kernel/engine/train/trainLoop.ts).
 */
import * as fs from "fs";

/** Another live process holds the lock; `holder` is its pid. */
export class LockHeld extends Error {
  constructor(
    message: string,
    readonly lockFile: string,
    readonly holder: number,
  ) {
    super(message);
    this.name = "LockHeld";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/**
 * Takes `lockFile` or throws LockHeld with `busy(pid)` as the message; returns the release function.
 * The same process taking a lock it already holds is refused too: two runs in one kernel are two writers.
 */
export function acquireFileLock(lockFile: string, busy: (pid: number) => string): () => void {
  for (let tries = 0; tries < 3; tries++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let pid = NaN;
      try {
        pid = Number(fs.readFileSync(lockFile, "utf8").trim());
      } catch {
        continue; // released between our create and our read: try again
      }
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new LockHeld(busy(pid), lockFile, pid);
      fs.rmSync(lockFile, { force: true }); // stale: its owner died (or the file is empty/garbage)
    }
  }
  throw new Error(`cannot take the lock ${lockFile}; delete it and try again`);
}
