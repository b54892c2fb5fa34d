/**
 * Checks a parsed layout against the files: reads every image and mask header (corrupt, truncated, oversized or
 * missing files are skipped and listed), pairs and sizes masks, and decodes masks to catch value conventions that
 * the reference readers get wrong (0/1 masks vanish under MVFA's ÷255 > 0.5). Issues are grouped by kind, each
 * listing its files, so one bad folder gives one readable message.
 */
import * as fs from "fs";
import { MAX_PIXELS, probeImage } from "../imaging/header";
import { readMask } from "../imaging/readImage";
import { LayoutResult, RawSample } from "./layouts/raw";
import { DatasetIssue, Sample, SkippedFile } from "./types";

export interface ValidateOptions {
  maxPixels?: number;
  /** Decode masks to check their values (default true). */
  checkMaskValues?: boolean;
}

interface IssueKind {
  severity: "error" | "warning";
  text: string;
}

const KINDS: Record<string, IssueKind> = {
  "mask-without-image": { severity: "error", text: "mask files with no image of the same name; add the image or remove the mask" },
  "missing-mask": { severity: "error", text: "abnormal images without a mask in a pixel-level set; add a mask with the same file name under anomaly_mask/ (pixel metrics skip these images)" },
  "mask-size-mismatch": { severity: "error", text: "masks whose size differs from their image; re-export the mask at the image's size" },
  "mask-unreadable": { severity: "error", text: "mask files that cannot be read; the samples keep their image but lose the mask" },
  "mask-zero-one": { severity: "warning", text: "0/1 masks: MVFA/BMAD readers divide by 255 and threshold at 0.5, which makes them empty; MedAD Lab binarises at > 0. Save masks as 0/255 for the reference code" },
  "mask-multivalued": { severity: "warning", text: "masks with values other than 0 and 255 (labels such as 85/170/255?); binarised at > 0 (any label is anomaly)" },
  "mask-empty": { severity: "warning", text: "abnormal images whose mask is all zero; pixel metrics treat them as normal" },
  "mask-on-normal": { severity: "warning", text: "normal images with a non-empty mask; the mask is ignored for normals" },
};

export interface Validated {
  samples: Sample[];
  skipped: SkippedFile[];
  issues: DatasetIssue[];
}

export function validate(layout: LayoutResult, opts: ValidateOptions = {}): Validated {
  const maxPixels = opts.maxPixels ?? MAX_PIXELS;
  const checkValues = opts.checkMaskValues ?? true;
  const byKind = new Map<string, string[]>();
  const flag = (code: string, file: string) => {
    let l = byKind.get(code);
    if (!l) byKind.set(code, (l = []));
    l.push(file);
  };
  const skipped = [...layout.skipped];
  const samples: Sample[] = [];
  for (const raw of layout.samples) {
    let header;
    try {
      if (!fs.existsSync(raw.path)) throw new Error(`${raw.path}: file does not exist (listed by the dataset's index)`);
      header = probeImage(raw.path, maxPixels);
    } catch (err) {
      skipped.push({ path: raw.path, reason: (err as Error).message.replace(`${raw.path}: `, "") });
      continue;
    }
    const s: RawSample & { width?: number; height?: number } = { ...raw, width: header.width, height: header.height };
    if (raw.maskPath) checkMask(s, maxPixels, checkValues, flag);
    if (s.label === "abnormal" && !s.maskPath && layout.pixelLevel.has(s.category) && !raw.maskPath) flag("missing-mask", s.path);
    samples.push(s);
  }
  for (const m of layout.orphanMasks) flag("mask-without-image", m);
  const issues: DatasetIssue[] = [...layout.issues];
  for (const [code, files] of byKind) {
    const k = KINDS[code];
    issues.push({ severity: k.severity, code, message: `${files.length} ${k.text}: ${listFiles(files)}`, files });
  }
  if (skipped.length) {
    issues.push({
      severity: "warning",
      code: "skipped-files",
      message: `${skipped.length} file(s) skipped: ${skipped.slice(0, 10).map((s) => `${s.path} (${s.reason})`).join("; ")}${skipped.length > 10 ? `; … ${skipped.length - 10} more in dataset.skipped` : ""}`,
      files: skipped.map((s) => s.path),
    });
  }
  return { samples, skipped, issues };
}

function listFiles(files: string[]): string {
  return files.slice(0, 10).join(", ") + (files.length > 10 ? `, … ${files.length - 10} more` : "");
}

function checkMask(s: RawSample & { width?: number; height?: number }, maxPixels: number, checkValues: boolean, flag: (code: string, file: string) => void): void {
  const maskPath = s.maskPath as string;
  try {
    if (!fs.existsSync(maskPath)) throw new Error("missing");
    const h = probeImage(maskPath, maxPixels);
    if (h.width !== s.width || h.height !== s.height) flag("mask-size-mismatch", `${maskPath} (${h.width}x${h.height}, image ${s.width}x${s.height})`);
  } catch {
    flag("mask-unreadable", maskPath);
    delete s.maskPath;
    return;
  }
  if (!checkValues) return;
  try {
    const m = readMask(maskPath, s.maskThreshold ?? 0, maxPixels);
    const jpeg = /\.jpe?g$/i.test(maskPath);
    if (m.maxValue === 0) {
      if (s.label === "abnormal") flag("mask-empty", maskPath);
    } else if (s.label === "normal") flag("mask-on-normal", maskPath);
    if (m.maxValue === 1) flag("mask-zero-one", maskPath);
    else if (!jpeg && [...m.values].some((v) => v !== 0 && v !== m.fullScale)) flag("mask-multivalued", maskPath);
  } catch {
    flag("mask-unreadable", maskPath);
    delete s.maskPath;
  }
}
