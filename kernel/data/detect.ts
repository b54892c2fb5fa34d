/**
 * Picks the layout of a dataset path and runs its parser. Order matters: MediCLIP and MVTec have marker folders
 * (samples/, ground_truth/ or defect folders); MVFA/BMAD is split folders of class folders; a plain folder is class
 * folders alone or bare images; a `.csv` path is a manifest.
 */
import * as fs from "fs";
import * as path from "path";
import { readCsvManifest } from "./layouts/csvManifest";
import { readMediclip, isMediclipRoot } from "./layouts/mediclip";
import { isMvfaClassDir, pairGroups, readLabelledFolder, readMvfaClass } from "./layouts/mvfa";
import { isMvtecCategoryDir, readMvtecCategory } from "./layouts/mvtec";
import { emptyResult, LayoutResult } from "./layouts/raw";
import { categoryFromDir, isIgnorable, isImageFile, labelOf, notImageReason, splitOf } from "./names";
import { DatasetError, LayoutKind, SkippedFile } from "./types";
import { reportStrayFiles, subdirs, walkFiles } from "./walk";

export const LAYOUT_HELP =
  "expected one of: MVFA/BMAD (<Name>_AD/{valid,test}/{good,Ungood}/img), MVTec AD ({category}/train/good, test/<defect>, ground_truth), " +
  "MediCLIP (images/ + samples/*.json), a folder of good/ and Ungood/ (or normal/abnormal) subfolders, or a CSV manifest (path,label,mask,category)";

function detectDir(dir: string): LayoutKind {
  const ignore: SkippedFile[] = [];
  if (isMediclipRoot(dir)) return "mediclip";
  const children = subdirs(dir, ignore);
  if (isMvtecCategoryDir(dir) || (children.length > 0 && children.some((c) => isMvtecCategoryDir(c.path)) && !children.some((c) => splitOf(c.name)))) return "mvtec";
  if (isMvfaClassDir(dir) || children.some((c) => isMvfaClassDir(c.path))) return "mvfa";
  if (children.some((c) => labelOf(c.name))) return "folder";
  if (fs.existsSync(path.join(dir, "manifest.csv"))) return "csv";
  return "folder";
}

export function parseLayout(target: string, forced?: LayoutKind): LayoutResult {
  const skipped: SkippedFile[] = [];
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) {
    if (!/\.csv$/i.test(target)) throw new DatasetError(`${target}: a dataset is a folder or a .csv manifest, not a single file; ${LAYOUT_HELP}`);
    const out = emptyResult("csv", path.basename(target, ".csv"), skipped);
    readCsvManifest(target, out);
    return out;
  }
  const layout = forced ?? detectDir(target);
  const name = path.basename(target);
  const out = emptyResult(layout, name, skipped);
  const children = () => subdirs(target, skipped);
  switch (layout) {
    case "mediclip":
      readMediclip(target, out);
      break;
    case "mvtec":
      if (isMvtecCategoryDir(target)) readMvtecCategory(target, name, out);
      else {
        reportStrayFiles(target, skipped, "the dataset root", isIgnorable);
        for (const c of children()) {
          if (isMvtecCategoryDir(c.path)) readMvtecCategory(c.path, c.name, out);
          else if (!isIgnorable(c.path)) skipped.push({ path: c.path, reason: "folder is not an MVTec category (no test/ inside); not read" });
        }
      }
      break;
    case "mvfa":
      if (isMvfaClassDir(target)) readMvfaClass(target, categoryFromDir(name), out);
      else {
        reportStrayFiles(target, skipped, "the dataset root", isIgnorable);
        for (const c of children()) {
          if (isMvfaClassDir(c.path)) readMvfaClass(c.path, categoryFromDir(c.name), out);
          else if (c.name !== "fewshot_seed" && !isIgnorable(c.path)) skipped.push({ path: c.path, reason: "folder is not an MVFA class folder (no split folders inside); not read" });
        }
      }
      break;
    case "csv":
      readCsvManifest(path.join(target, "manifest.csv"), out);
      break;
    case "folder": {
      const hasLabels = children().some((c) => labelOf(c.name));
      if (hasLabels) pairGroups(readLabelledFolder(target, skipped), "test", name, out);
      else {
        for (const f of walkFiles(target, skipped)) {
          if (isImageFile(f)) out.samples.push({ path: f, label: "unknown", split: "test", category: name });
          else if (!isIgnorable(f)) skipped.push({ path: f, reason: notImageReason(f) });
        }
        if (out.samples.length) {
          out.issues.push({ severity: "warning", code: "no-labels", message: `${target}: images are not in good/ and Ungood/ folders, so they are unlabelled (usable for inference, not for evaluation)`, files: [] });
        }
      }
      break;
    }
  }
  return out;
}
