import * as fs from "fs";
import * as path from "path";
import { demoDatasetPath } from "../../data";
import { MagicError } from "../errors";
import type { BodyEntry } from "../keyValueBody";

/**
 * The dataset a magic names: omitted or 'demo' is the bundled demo-brainmri set; anything else is a path from the
 * kernel's working folder, which must exist (the error points at the `dataset:` line).
 */
export function resolveDatasetArg(entry: BodyEntry | undefined): string {
  const arg = entry?.value as string | undefined;
  const dataset = arg === undefined || arg === "demo" ? demoDatasetPath() : path.resolve(arg);
  if (entry && !fs.existsSync(dataset)) {
    throw new MagicError(
      `dataset ${dataset} does not exist.`,
      entry.line,
      entry.column,
      "a dataset folder or CSV manifest (see %dataset), or 'demo'",
    );
  }
  return dataset;
}
