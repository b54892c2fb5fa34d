/**
 * One pull per model folder at a time: two processes appending to the same `.partial` would interleave bytes.
 * The lock file holds the owner's pid; a lock whose process is gone (crash, kill -9) is taken over.
 */
import * as fs from "fs";
import * as path from "path";

const LOCK_NAME = ".medad-pull.lock";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/** Takes the folder's lock or throws naming the holder; returns the release function. */
export function acquirePullLock(dir: string, what: string): () => void {
  const file = path.join(dir, LOCK_NAME);
  for (let tries = 0; tries < 2; tries++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(fs.readFileSync(file, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new Error(
          `another pull of ${what} is running (pid ${pid}); wait for it to finish, or delete ${file} if that process is not medad`,
        );
      }
      fs.rmSync(file, { force: true }); // stale: its owner died
    }
  }
  throw new Error(`cannot take the lock ${file}; delete it and run pull again`);
}
