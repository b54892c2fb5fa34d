/**
 * MVTec AD layout (data.md §4D): `{category}/train/good/*`, `{category}/test/{good|defect}/*`,
 * `{category}/ground_truth/{defect}/{id}_mask.png`. The defect folder becomes the sample's anomaly type.
 */
import * as path from "path";
import { isIgnorable, isImageDir, isImageFile, isMaskDir, labelOf, notImageReason, splitOf, stemKey } from "../names";
import { SkippedFile } from "../types";
import { listDir, reportStrayFiles, subdirs } from "../walk";
import { LayoutResult, RawSample } from "./raw";

export function isMvtecCategoryDir(dir: string): boolean {
  const ignore: SkippedFile[] = [];
  const names = subdirs(dir, ignore).map((e) => e.name.toLowerCase());
  if (!names.includes("test")) return false;
  if (names.includes("ground_truth")) return true;
  // Without ground truth, MVTec is told from MVFA by defect-named folders under test/.
  // Folders such as __MACOSX or .git are not defect types.
  return subdirs(path.join(dir, "test"), ignore).some((e) => !/^[._]/.test(e.name) && !labelOf(e.name) && !isImageDir(e.name) && !isMaskDir(e.name));
}

export function readMvtecCategory(dir: string, category: string, out: LayoutResult): void {
  reportStrayFiles(dir, out.skipped, "the category folder (outside train/test)", isIgnorable);
  const gtDir = subdirs(dir, out.skipped).find((e) => e.name.toLowerCase() === "ground_truth");
  const masksByDefect = new Map<string, Map<string, string>>();
  if (gtDir) {
    out.pixelLevel.add(category);
    for (const d of subdirs(gtDir.path, out.skipped)) {
      masksByDefect.set(d.name, new Map(listDir(d.path, out.skipped).filter((f) => !f.isDir && isImageFile(f.path)).map((f) => [stemKey(f.path), f.path])));
    }
  }
  for (const s of subdirs(dir, out.skipped)) {
    const split = splitOf(s.name);
    if (!split) continue; // ground_truth, license files' folders, etc.
    for (const d of subdirs(s.path, out.skipped)) {
      const isGood = labelOf(d.name) === "normal";
      const masks = masksByDefect.get(d.name);
      for (const f of listDir(d.path, out.skipped)) {
        if (f.isDir || !isImageFile(f.path)) {
          if (!isIgnorable(f.path)) out.skipped.push({ path: f.path, reason: notImageReason(f.path) });
          continue;
        }
        const sample: RawSample = { path: f.path, label: isGood ? "normal" : "abnormal", split, category };
        if (!isGood) sample.anomalyType = d.name;
        const mask = masks?.get(stemKey(f.path));
        if (mask) {
          sample.maskPath = mask;
          masks?.delete(stemKey(f.path));
        }
        out.samples.push(sample);
      }
    }
  }
  for (const m of masksByDefect.values()) out.orphanMasks.push(...m.values());
}
