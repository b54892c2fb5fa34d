// Where the bundled demo set and its source volume live in the repository (and the installed extension).
import * as fs from "fs";
import * as path from "path";

/** The folder holding MedAD Lab's package.json, found upward from this compiled file (out/kernel/data/demo). */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && /"name":\s*"medad-lab"/.test(fs.readFileSync(pkg, "utf8"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the medad-lab package root above ${__dirname}`);
    dir = up;
  }
}

/** `data/demo-brainmri`, the embedded default dataset (MVFA layout, class Brain). */
export function demoDatasetPath(): string {
  return path.join(packageRoot(), "data", "demo-brainmri");
}

/** The vendored Colin27 volume the demo is generated from. */
export function demoSourcePath(): string {
  return path.join(packageRoot(), "data", "source", "colin27", "ch2bet.nii.gz");
}
