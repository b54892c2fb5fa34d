/**
 * Which window `%dataset` shows a dataset's greyscale DICOM images with (imaging/window.ts's rule), in one line:
 * the given window for all, or how many use their own WindowCenter/WindowWidth tags and how many fall back to their
 * p0.5–p99.5. Headers only: no pixels are decoded. Null when the dataset holds no DICOM.
 */
import { probeImage } from "../../imaging/header";
import { describeWindow, type Window } from "../../imaging/window";
import type { Dataset } from "../types";

export interface WindowSummary {
  dicom: number;
  tagged: number;
  /** The first tagged file's window (the given one when `given`). */
  example: Window | null;
  text: string;
}

export function windowSummary(ds: Dataset, given?: Window): WindowSummary | null {
  let dicom = 0;
  let tagged = 0;
  let example: Window | null = null;
  for (const s of ds.samples) {
    let h;
    try {
      h = probeImage(s.path);
    } catch {
      continue; // reported by the loader's validation
    }
    if (h.format !== "dicom") continue;
    dicom++;
    if (h.window) {
      tagged++;
      example ??= h.window;
    }
  }
  if (dicom === 0) return null;
  if (given)
    return { dicom, tagged, example: given, text: `window: ${describeWindow({ ...given, source: "given" })} for all ${dicom} DICOM images` };
  const parts: string[] = [];
  if (tagged)
    parts.push(`${tagged} DICOM images use their own tags (first: ${describeWindow({ ...example!, source: "dicom-tags" })})`);
  if (dicom - tagged)
    parts.push(`${dicom - tagged} have no window tags and use their p0.5–p99.5`);
  return { dicom, tagged, example, text: `window: ${parts.join("; ")}; change it with --window CENTER,WIDTH` };
}
