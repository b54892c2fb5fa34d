/**
 * What `detect` accepts as images: files (PNG, JPEG, DICOM), folders of them (searched recursively, sorted), and
 * NIfTI volumes, whose axial slices are written once to a temporary folder as 8-bit PNG through the same window the
 * `medad data slice` export uses (imaging/window.ts: the given one, else cal_min/cal_max, else p0.5–p99.5). DICOM
 * files are windowed when their pixels are read (the given window, else their tags, else p0.5–p99.5).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exportAxialSlices } from "../../data/niftiExport";
import { isImageFile } from "../../data/names";
import type { Sample } from "../../data/types";
import type { AppliedWindow, Window } from "../../imaging/window";
import { walkFiles } from "../../data/walk";

export interface DetectInput {
  sample: Sample;
  /** How results name the image: the path as given, or `<volume>#<slice>` for a NIfTI slice. */
  name: string;
  /** NIfTI slices: the window their PNG was written with. */
  window?: AppliedWindow;
}

export interface ResolvedInputs {
  inputs: DetectInput[];
  /** Temporary folder of NIfTI slices (removed by `dispose`). */
  dispose(): void;
}

const NIFTI = /\.nii(\.gz)?$/i;

/** A folder's file as results name it: relative to the working folder when inside it, else absolute. */
function nameOf(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

function sampleOf(file: string): Sample {
  return { path: file, label: "unknown", split: "test", category: "detect" };
}

export function resolveDetectInputs(
  images: string | readonly string[],
  o: { window?: Window; sliceRange?: [number, number] } = {},
): ResolvedInputs {
  const list = typeof images === "string" ? [images] : [...images];
  if (list.length === 0) throw new Error("detect: no images given; pass a file, a folder or a list of them");
  let tmp: string | undefined;
  const inputs: DetectInput[] = [];
  const dispose = () => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  };
  try {
    for (const given of list) {
      const abs = path.resolve(given);
      if (!fs.existsSync(abs))
        throw new Error(`detect: ${abs} does not exist; give an image file, a folder or a .nii/.nii.gz volume`);
      if (fs.statSync(abs).isDirectory()) {
        const files = walkFiles(abs, [])
          .filter((f) => isImageFile(f))
          .sort();
        if (files.length === 0) throw new Error(`detect: ${abs} holds no PNG, JPEG or DICOM files`);
        for (const f of files) inputs.push({ sample: sampleOf(f), name: nameOf(f) });
      } else if (NIFTI.test(abs)) {
        tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), "medad-detect-"));
        const dir = fs.mkdtempSync(path.join(tmp, "vol-"));
        const e = exportAxialSlices(abs, dir, { window: o.window, range: o.sliceRange, prefix: "slice" });
        for (const f of e.files) {
          const z = path.basename(f).replace(/^slice_|\.png$/g, "");
          inputs.push({ sample: sampleOf(f), name: `${given}#${z}`, window: e.window });
        }
      } else if (isImageFile(abs)) {
        inputs.push({ sample: sampleOf(abs), name: given });
      } else {
        throw new Error(`detect: ${abs} is not a PNG, JPEG, DICOM (.dcm) or NIfTI (.nii, .nii.gz) file`);
      }
    }
  } catch (err) {
    dispose();
    throw err;
  }
  return { inputs, dispose };
}
