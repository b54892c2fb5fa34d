/**
 * `loadDataset(path)`: detect the layout, parse it, validate every file, attach few-shot lists and anomaly types
 * from a manifest, summarise. Throws DatasetError only when nothing usable exists (missing path, empty folder, every
 * file bad); everything else is a listed issue or skipped file on the returned dataset.
 */
import * as fs from "fs";
import * as path from "path";
import { parseCsvLine } from "./layouts/csvManifest";
import { LAYOUT_HELP, parseLayout } from "./detect";
import { findFewShotLists } from "./supportLists";
import { summarize } from "./summary";
import { Dataset, DatasetError, LayoutKind, Sample } from "./types";
import { validate, ValidateOptions } from "./validate";

export interface LoadOptions extends ValidateOptions {
  /** Skip detection and read the folder as this layout. */
  layout?: LayoutKind;
}

export function loadDataset(target: string, opts: LoadOptions = {}): Dataset {
  const root = path.resolve(target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new DatasetError(`${root}: symlink loop; point the dataset path at a real folder`);
    throw new DatasetError(`${root}: no such file or folder (${code}); check the path (relative paths start at ${process.cwd()})`);
  }
  const layout = parseLayout(root, opts.layout);
  if (layout.samples.length === 0 && layout.skipped.length === 0 && layout.orphanMasks.length === 0) {
    throw new DatasetError(`${root}: no images found; ${LAYOUT_HELP}`);
  }
  const checked = validate(layout, opts);
  if (checked.samples.length === 0) {
    const first = checked.skipped.slice(0, 5).map((s) => `${s.path} (${s.reason})`).join("; ");
    throw new DatasetError(`${root}: no readable images (${checked.skipped.length} skipped: ${first}); fix or remove those files. ${LAYOUT_HELP}`);
  }
  const samples = stat.isDirectory() ? withManifestAnomalyTypes(root, checked.samples) : checked.samples;
  return {
    root,
    name: layout.name,
    layout: layout.layout,
    samples,
    skipped: checked.skipped,
    issues: checked.issues,
    fewShotLists: stat.isDirectory() ? findFewShotLists(root) : [],
    summary: summarize(layout.layout, samples, checked.skipped.length, checked.issues),
  };
}

/**
 * A folder-layout dataset may carry `manifest.csv` with an `anomaly_type` column (the demo set does): fill each
 * sample's anomaly type from it, matched by resolved path.
 */
function withManifestAnomalyTypes(root: string, samples: Sample[]): Sample[] {
  const file = path.join(root, "manifest.csv");
  if (!fs.existsSync(file)) return samples;
  const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
  const header = parseCsvLine(lines[0] ?? "").map((h) => h.toLowerCase());
  const pathCol = header.indexOf("path");
  const typeCol = header.indexOf("anomaly_type");
  if (pathCol < 0 || typeCol < 0) return samples;
  const types = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const f = parseCsvLine(line);
    if (f[pathCol] && f[typeCol]) types.set(path.resolve(root, f[pathCol]), f[typeCol]);
  }
  return samples.map((s) => (s.anomalyType || !types.has(s.path) ? s : { ...s, anomalyType: types.get(s.path) }));
}
