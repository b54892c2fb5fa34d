/** Writes a file atomically: a temp file in the same folder, then rename (readers never see half a file). */
import * as fs from "fs";
import * as path from "path";

export function writeFileAtomic(file: string, contents: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, contents);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
