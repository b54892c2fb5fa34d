/**
 * One pull per model folder at a time: two processes appending to the same `.partial` would interleave bytes.
 * The lock (kernel/util/fileLock.ts) holds the owner's pid; a lock whose process is gone is taken over.
 */
import * as path from "path";
import { acquireFileLock } from "../util/fileLock";

const LOCK_NAME = ".medad-pull.lock";

/** Takes the folder's lock or throws naming the holder; returns the release function. */
export function acquirePullLock(dir: string, what: string): () => void {
  const file = path.join(dir, LOCK_NAME);
  return acquireFileLock(
    file,
    (pid) =>
      `another pull of ${what} is running (pid ${pid}); wait for it to finish, or delete ${file} if that process is not medad`,
  );
}
