/**
 * The one atomic writer: readers (another process, the next run, a crash-interrupted run) see either the old
 * content or the new, never half of it. A generated folder is handled the same way by `replaceDirAtomic`.
 */
import * as fs from "fs";
import * as path from "path";

let counter = 0;

/**
 * Writes `target` atomically: creates its folder, writes a temporary file in that folder (the same filesystem, so
 * the rename is atomic), flushes it to disk, renames it over the target and, where the platform allows, flushes the
 * folder so the rename itself survives a power loss. On any error the temporary file is removed and the target is
 * left as it was. `data` may be a function that writes to the open file descriptor (for outputs streamed in pieces).
 */
export function writeFileAtomic(target: string, data: string | Uint8Array | ((fd: number) => void)): void {
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.${counter++}.tmp`);
  try {
    const fd = fs.openSync(tmp, "w");
    try {
      if (typeof data === "function") data(fd);
      else fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  syncDir(dir);
}

/** Flushes a folder's entries (the rename); some platforms (Windows) cannot open a folder, which is harmless. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // not supported here: the rename is still atomic, only its durability across a power loss is weaker
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Runs `build(tmpDir)` and then replaces `dir` with what it wrote. If `build` throws, `dir` is left as it was.
 * The old folder is moved aside first and deleted only after the new one is in place.
 */
export function replaceDirAtomic(dir: string, build: (tmpDir: string) => void): void {
  const parent = path.dirname(path.resolve(dir));
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(dir)}.tmp-`));
  fs.chmodSync(tmp, 0o755); // mkdtemp makes it private; a dataset folder should be readable like any other
  try {
    build(tmp);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = fs.existsSync(dir) ? `${tmp}.old` : undefined;
  if (old) fs.renameSync(dir, old);
  fs.renameSync(tmp, dir);
  if (old) fs.rmSync(old, { recursive: true, force: true });
}
