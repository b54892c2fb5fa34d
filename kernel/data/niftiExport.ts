/**
 * NIfTI volume -> axial PNG slices, so a volume can join any folder/MVFA dataset. Intensities map to 8 bits through
 * one window for the whole volume (so slices stay comparable), chosen by imaging/window.ts: a given center/width
 * (the volume's units, e.g. HU for CT), else the header's cal_min..cal_max, else the p0.5..p99.5 of non-zero voxels.
 */
import * as path from "path";
import { axialSlices, readNifti, type Volume } from "../imaging/nifti";
import { encodePng8 } from "../imaging/pngEncode";
import {
  applyWindowExact,
  chooseWindow,
  percentileWindow,
  windowFromRange,
  type AppliedWindow,
  type Window,
} from "../imaging/window";
import { writeFileAtomic } from "../util/atomicWrite";

export interface SliceExportOptions {
  /** Inclusive [first, last] along the axial voxel axis (default: all). */
  range?: [number, number];
  window?: Window;
  /** File name prefix (default: the volume's name without .nii/.nii.gz). */
  prefix?: string;
}

export interface SliceExport {
  files: string[];
  /** The window every slice was written with, and where it came from. */
  window: AppliedWindow;
}

/** The window a volume's slices are shown with (window.ts's rule). */
export function volumeWindow(vol: Volume, given?: Window): AppliedWindow {
  const own = vol.cal && { ...windowFromRange(vol.cal.min, vol.cal.max), source: "nifti-cal" as const };
  return chooseWindow(given, own, () => percentileWindow(vol.data, { ignoreZero: true }));
}

/** Writes `{prefix}_{z}.png` for each slice; returns the files written and the window used. */
export function exportAxialSlices(volumeFile: string, outDir: string, opts: SliceExportOptions = {}): SliceExport {
  const vol = readNifti(volumeFile);
  const window = volumeWindow(vol, opts.window);
  const prefix = opts.prefix ?? path.basename(volumeFile).replace(/\.nii(\.gz)?$/i, "");
  const files: string[] = [];
  for (const s of axialSlices(vol, opts.range)) {
    const px = new Uint8Array(s.width * s.height);
    for (let i = 0; i < px.length; i++) px[i] = Math.round(applyWindowExact(s.data[i], window));
    const file = path.join(outDir, `${prefix}_${s.index}.png`);
    writeFileAtomic(file, encodePng8(s.width, s.height, px, "gray"));
    files.push(file);
  }
  return { files, window };
}
