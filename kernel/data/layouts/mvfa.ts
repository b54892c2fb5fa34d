/**
 * MVFA / BMAD layout (data.md §4A-B): `<Name>_AD/{train,valid,test}/{good,Ungood}/img/*` with masks in
 * `Ungood/anomaly_mask/` (or `label/`, `mask/`…), the image folder optional (BMAD image-level sets), and BMAD's
 * img-above-class order (`valid/img/good`, `valid/label/Ungood`). Masks pair with images by file stem (MVFA pairs
 * by replacing "img" in the whole path, which breaks on roots containing "img"; stems do not).
 */
import { isIgnorable, isImageDir, isImageFile, isMaskDir, labelOf, notImageReason, splitOf, stemKey } from "../names";
import { Label, SkippedFile, Split } from "../types";
import { listDir, reportStrayFiles, subdirs, walkFiles } from "../walk";
import { LayoutResult, RawSample } from "./raw";

interface Group {
  images: string[];
  masks: string[];
}

function filesIn(dir: string, skipped: SkippedFile[]): string[] {
  const out: string[] = [];
  for (const f of walkFiles(dir, skipped)) {
    if (isImageFile(f)) out.push(f);
    else if (!isIgnorable(f)) skipped.push({ path: f, reason: notImageReason(f) });
  }
  return out;
}

/** Reads one split folder (or a plain labelled folder) into image and mask lists per label. */
export function readLabelledFolder(dir: string, skipped: SkippedFile[]): Map<Label, Group> {
  const groups = new Map<Label, Group>();
  const group = (label: Label) => {
    let g = groups.get(label);
    if (!g) groups.set(label, (g = { images: [], masks: [] }));
    return g;
  };
  for (const e of listDir(dir, skipped)) {
    if (!e.isDir) {
      if (!isIgnorable(e.path)) skipped.push({ path: e.path, reason: "not inside a good/Ungood (normal/abnormal) folder, so its label is unknown" });
      continue;
    }
    const label = labelOf(e.name);
    if (label) {
      // Class above image folder: good/img/*, Ungood/anomaly_mask/*, or images directly in good/.
      for (const c of listDir(e.path, skipped)) {
        if (c.isDir && isImageDir(c.name)) group(label).images.push(...filesIn(c.path, skipped));
        else if (c.isDir && isMaskDir(c.name)) group(label).masks.push(...filesIn(c.path, skipped));
        else if (c.isDir) group(label).images.push(...filesIn(c.path, skipped));
        else if (isImageFile(c.path)) group(label).images.push(c.path);
        else if (!isIgnorable(c.path)) skipped.push({ path: c.path, reason: notImageReason(c.path) });
      }
    } else if (isImageDir(e.name) || isMaskDir(e.name)) {
      // Image folder above class (BMAD configs): img/good, label/Ungood.
      const target = isImageDir(e.name) ? "images" : "masks";
      for (const c of listDir(e.path, skipped)) {
        const l = c.isDir ? labelOf(c.name) : undefined;
        if (l) group(l)[target].push(...filesIn(c.path, skipped));
        else if (!c.isDir && target === "masks" && isImageFile(c.path)) group("abnormal").masks.push(c.path);
        else if (!c.isDir && isImageFile(c.path)) group("unknown").images.push(c.path);
        else if (!isIgnorable(c.path)) skipped.push({ path: c.path, reason: "not under a good/Ungood (normal/abnormal) folder, so its label is unknown" });
      }
    } else {
      skipped.push({ path: e.path, reason: "folder name is not a class (good/normal, Ungood/abnormal/bad) nor img/mask; its files were not read" });
    }
  }
  return groups;
}

/** Pairs masks with images of the same label by stem; leftover masks are orphans. */
export function pairGroups(
  groups: Map<Label, Group>,
  split: Split,
  category: string,
  out: LayoutResult,
): void {
  for (const [label, g] of groups) {
    const masks = new Map(g.masks.map((m) => [stemKey(m), m]));
    if (g.masks.length) out.pixelLevel.add(category);
    for (const img of g.images) {
      const key = stemKey(img);
      const mask = masks.get(key);
      masks.delete(key);
      const s: RawSample = { path: img, label, split, category };
      if (mask) s.maskPath = mask;
      out.samples.push(s);
    }
    out.orphanMasks.push(...masks.values());
  }
}

/** True when `dir` holds split folders that look like MVFA/BMAD (each with class or image folders). */
export function isMvfaClassDir(dir: string): boolean {
  const ignore: SkippedFile[] = [];
  const splits = subdirs(dir, ignore).filter((e) => splitOf(e.name));
  if (splits.length === 0) return false;
  // Stray folders (__MACOSX, backups) do not disqualify a split; readLabelledFolder lists them as skipped.
  return splits.every((s) => subdirs(s.path, ignore).some((c) => labelOf(c.name) || isImageDir(c.name) || isMaskDir(c.name)));
}

export function readMvfaClass(dir: string, category: string, out: LayoutResult): void {
  reportStrayFiles(dir, out.skipped, "the class folder (outside train/valid/test)", isIgnorable);
  for (const s of subdirs(dir, out.skipped)) {
    const split = splitOf(s.name);
    if (!split) {
      if (!isIgnorable(s.path)) out.skipped.push({ path: s.path, reason: "not a split folder (train/valid/val/test); not read" });
      continue;
    }
    pairGroups(readLabelledFolder(s.path, out.skipped), split, category, out);
  }
}

