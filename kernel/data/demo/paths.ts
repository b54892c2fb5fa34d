// Where the bundled demo set and its source volume live in the repository (and the installed extension).
import * as path from "path";
import { packageRoot } from "../../util/packageRoot";

/** `data/demo-brainmri`, the embedded default dataset (MVFA layout, class Brain). */
export function demoDatasetPath(): string {
  return path.join(packageRoot(), "data", "demo-brainmri");
}

/** The vendored Colin27 volume the demo is generated from. */
export function demoSourcePath(): string {
  return path.join(packageRoot(), "data", "source", "colin27", "ch2bet.nii.gz");
}
