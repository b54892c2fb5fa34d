/**
 * NIfTI volume -> axial PNG slices, so a volume can join any folder/MVFA dataset. Intensities map to 8 bits by a
 * window (center/width in the volume's units, e.g. HU for CT) or, by default, the volume's p0.5..p99.5 of non-zero
 * voxels (one mapping for all slices, so slices stay comparable).
 */
import * as path from "path";
import { axialSlices, readNifti, Volume } from "../imaging/nifti";
import { encodePng8 } from "../imaging/pngEncode";
import { writeFileAtomic } from "../util/atomicWrite";

export interface SliceExportOptions {
  /** Inclusive [first, last] along the axial voxel axis (default: all). */
  range?: [number, number];
  window?: { center: number; width: number };
  /** File name prefix (default: the volume's name without .nii/.nii.gz). */
  prefix?: string;
}

function percentileWindow(vol: Volume): { low: number; high: number } {
  const v = Array.from(vol.data.filter((x) => x !== 0)).sort((a, b) => a - b);
  if (v.length === 0) return { low: 0, high: 1 };
  const at = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.round(p * (v.length - 1))))];
  const low = at(0.005);
  const high = at(0.995);
  return { low, high: high > low ? high : low + 1 };
}

/** Writes `{prefix}_{z}.png` for each slice; returns the files written. */
export function exportAxialSlices(volumeFile: string, outDir: string, opts: SliceExportOptions = {}): string[] {
  const vol = readNifti(volumeFile);
  const { low, high } = opts.window ? { low: opts.window.center - opts.window.width / 2, high: opts.window.center + opts.window.width / 2 } : percentileWindow(vol);
  const prefix = opts.prefix ?? path.basename(volumeFile).replace(/\.nii(\.gz)?$/i, "");
  const files: string[] = [];
  for (const s of axialSlices(vol, opts.range)) {
    const px = new Uint8Array(s.width * s.height);
    for (let i = 0; i < px.length; i++) px[i] = Math.max(0, Math.min(255, Math.round(((s.data[i] - low) / (high - low)) * 255)));
    const file = path.join(outDir, `${prefix}_${s.index}.png`);
    writeFileAtomic(file, encodePng8(s.width, s.height, px, "gray"));
    files.push(file);
  }
  return files;
}
