/**
 * What `detect --out DIR` writes: `overlays/<name>.png` (the image with the anomaly map above the pixel threshold,
 * coloured on the result's calibrated range, at the image's own size), `masks/<name>.png` (the predicted mask at the
 * image's own size, 0/255 grey) and `detections.csv` (one row per image). Every file is written atomically.
 */
import * as fs from "fs";
import * as path from "path";
import { readImage } from "../imaging/readImage";
import { encodePng8 } from "../imaging/pngEncode";
import type { DetectedImage, DetectResult } from "../methods/detect/detect";
import { colormapTable } from "../protocol/colormap";
import { composeCase, decodeCase, thresholdLevel } from "../protocol/heatmapCompose";
import { writeFileAtomic } from "../util/atomicWrite";
import { heatmapPayload, type HeatmapCaseInput } from "../viz/payloads/heatmapPayload";
import { resampleNearest } from "../viz/payloads/resample";

export const DETECT_CSV_COLUMNS = [
  "name",
  "score",
  "anomalous",
  "image_threshold",
  "mask_fraction",
  "pixel_threshold",
  "overlay",
  "mask",
  "window_center",
  "window_width",
  "window_source",
];

/** The folders every name shares (so output files are named by what tells the images apart). */
function commonFolder(names: string[]): string {
  const parts = names.map((n) => n.split(/[\\/]/).slice(0, -1));
  const first = parts[0] ?? [];
  let k = 0;
  while (k < first.length && parts.every((p) => p[k] === first[k])) k++;
  return first.slice(0, k).join("/");
}

/** File names from images' names, without their shared folders: other folders and '#' (NIfTI slices) become '_';
 * duplicates get '-2', '-3', … */
export function outputNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  const common = commonFolder(names);
  return names.map((n) => {
    const own = common
      ? n
          .split("\\")
          .join("/")
          .slice(common.length + 1)
      : n;
    const base = own
      .replace(/\.(png|jpe?g|dcm)$/i, "")
      .replace(/^[./\\]+/, "")
      .replace(/[^A-Za-z0-9._-]+/g, "_");
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    return k === 1 ? base : `${base}-${k}`;
  });
}

function csvField(v: string | number | boolean | null): string {
  const s = v === null ? "" : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function detectCsv(r: DetectResult, files?: { overlay: string; mask: string }[]): string {
  const rows = r.images.map((im, i) => [
    im.name,
    im.score,
    im.anomalous,
    r.thresholds.image,
    im.maskFraction,
    r.thresholds.pixel,
    files?.[i].overlay ?? "",
    files?.[i].mask ?? "",
    im.window?.center ?? null,
    im.window?.width ?? null,
    im.window?.source ?? null,
  ]);
  return [DETECT_CSV_COLUMNS.join(","), ...rows.map((row) => row.map(csvField).join(","))].join("\n") + "\n";
}

/** The heatmap case of one detected image (image read again, with the window it was scored with). */
export function detectCase(im: DetectedImage): HeatmapCaseInput {
  const image = readImage(im.path, { mode: "rgb", window: im.window ?? undefined });
  return {
    id: im.name,
    score: im.score,
    label: null,
    image: { width: image.width, height: image.height, channels: 3, data: image.data },
    map: { width: im.mapSize, height: im.mapSize, data: im.map },
  };
}

/** Overlay threshold and colours of a detect run: the result's calibrated pixel threshold and range. */
export function detectHeatmapOptions(r: DetectResult) {
  return {
    ...(r.thresholds.pixel !== null ? { threshold: r.thresholds.pixel } : {}),
    ...(r.colourRange ? { mapRange: r.colourRange } : {}),
    ...(r.thresholds.image !== null ? { scoreThreshold: r.thresholds.image } : {}),
  };
}

export interface DetectOutputs {
  dir: string;
  csv: string;
  overlays: string[];
  masks: string[];
}

export function writeDetectOutputs(r: DetectResult, dir: string, o: { alpha?: number } = {}): DetectOutputs {
  const out = path.resolve(dir);
  const names = outputNames(r.images.map((im) => im.name));
  const files = names.map((n) => ({ overlay: `overlays/${n}.png`, mask: `masks/${n}.png` }));
  const opts = detectHeatmapOptions(r);
  for (const sub of ["overlays", "masks"]) fs.mkdirSync(path.join(out, sub), { recursive: true });
  r.images.forEach((im, i) => {
    const input = detectCase(im);
    // One payload per image at its own size (maxSide = its longest side), so nothing is resampled but the map.
    const payload = heatmapPayload([input], {
      ...opts,
      maxSide: Math.max(input.image.width, input.image.height),
      alpha: o.alpha ?? 0.5,
    });
    const c = payload.cases[0];
    const rgba = composeCase(
      c,
      decodeCase(c),
      colormapTable(payload.colormap),
      thresholdLevel(payload, payload.threshold),
      payload.alpha,
    );
    writeFileAtomic(
      path.join(out, files[i].overlay),
      encodePng8(c.width, c.height, new Uint8Array(rgba.buffer), "rgba"),
    );
    const mask = im.mask ?? new Uint8Array(im.mapSize * im.mapSize);
    const big = resampleNearest({ width: im.mapSize, height: im.mapSize, data: mask }, im.width, im.height);
    writeFileAtomic(
      path.join(out, files[i].mask),
      encodePng8(
        im.width,
        im.height,
        Uint8Array.from(big, (v) => (v ? 255 : 0)),
        "gray",
      ),
    );
  });
  const csv = path.join(out, "detections.csv");
  writeFileAtomic(csv, detectCsv(r, files));
  return {
    dir: out,
    csv,
    overlays: files.map((f) => path.join(out, f.overlay)),
    masks: files.map((f) => path.join(out, f.mask)),
  };
}
