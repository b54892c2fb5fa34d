/**
 * Atomic file and folder writes: readers never see a half-written file or a half-generated dataset. Files go to a
 * temp name in the same folder and are renamed; a generated folder is built beside its target and swapped in.
 */
import * as fs from "fs";
import * as path from "path";

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
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
