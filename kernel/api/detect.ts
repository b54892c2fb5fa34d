/**
 * `medad.detect(images, result | savedResultPath, options)`: scores new images with a finished run's method,
 * adapter and calibration (kernel/methods/detect), shows them as a heatmap grid coloured on the result's calibrated
 * range with a per-image table, and with `out` writes overlays, predicted masks and a CSV (detectExport.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { isFewshotResult } from "./fromFewshot";
import type { DetectOptions, DetectResult } from "../methods/detect/detect";
import { detect as detectCore } from "../methods/detect/detect";
import type { FewshotResult } from "../methods/result";
import type { CompareResult } from "./compare";
import { display } from "./display";
import { detectCase, detectHeatmapOptions, writeDetectOutputs, type DetectOutputs } from "./detectExport";
import { singleRun } from "./resultViews";
import { loadedAdapters, loadResult } from "./savedResults";
import type { TableData } from "../protocol/table";
import { describeWindow } from "../imaging/window";

export interface DetectCallOptions extends DetectOptions {
  /** Folder for overlays/, masks/ and detections.csv. */
  out?: string;
  /** Show the heatmap grid and the table in the running cell (default true). */
  show?: boolean;
  /** At most this many images in the grid (default 40, spread over the score ranking). */
  cases?: number;
}

export type DetectCallResult = DetectResult & { outputs?: DetectOutputs };

/** The run to detect with and its adapter file (the saved copy for a loaded result). */
function resolveRun(result: FewshotResult | CompareResult | string): {
  run: FewshotResult;
  adapter?: string;
  file?: string;
} {
  if (typeof result === "string") {
    const plain = plainResult(result);
    if (plain) return { run: plain, file: path.resolve(result) };
    const loaded = loadResult(result);
    const run = singleRun(loaded, "detect");
    return { run, adapter: loadedAdapters(loaded)[0]?.file, file: result };
  }
  const run = singleRun(result, "detect");
  return { run, adapter: loadedAdapters(result)[0]?.file };
}

/** A result JSON written by `medad fewshot --out` (not the %save format), or undefined. */
function plainResult(file: string): FewshotResult | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined; // loadResult reports unreadable and corrupt files
  }
  return isFewshotResult(parsed) ? parsed : undefined;
}

export function detectTable(r: DetectResult): TableData {
  const t = r.thresholds;
  const windowed = r.images.some((im) => im.window);
  return {
    title: `${r.label} · ${r.images.length} images · image threshold ${t.image === null ? "none" : t.image.toPrecision(5)}, pixel threshold ${t.pixel === null ? "none" : t.pixel.toPrecision(5)}`,
    columns: ["image", "score", "decision", "mask %", ...(windowed ? ["window"] : [])],
    rows: r.images.map((im) => [
      im.name,
      im.score,
      im.anomalous === null ? "no threshold" : im.anomalous ? "anomalous" : "normal",
      im.maskFraction === null ? null : Number((100 * im.maskFraction).toFixed(2)),
      ...(windowed ? [im.window ? describeWindow(im.window) : ""] : []),
    ]),
  };
}

export async function detect(
  images: string | readonly string[],
  result: FewshotResult | CompareResult | string,
  options: DetectCallOptions = {},
): Promise<DetectCallResult> {
  const { out, show, cases, ...rest } = options;
  const { run, adapter, file } = resolveRun(result);
  const r: DetectCallResult = await detectCore(images, run, {
    ...rest,
    adapter: rest.adapter ?? adapter,
    resultFile: rest.resultFile ?? file,
  });
  if (out) r.outputs = writeDetectOutputs(r, out);
  if (show !== false) {
    display.table(detectTable(r));
    display.heatmap(
      r.images.map((im) => detectCase(im)),
      { title: `detect · ${r.label}`, maxCases: cases ?? 40, ...detectHeatmapOptions(r) },
    );
    if (r.model.note) display.text(`note: ${r.model.note}`);
    if (r.outputs)
      display.text(`wrote ${r.outputs.csv} and ${r.images.length} overlays and masks under ${r.outputs.dir}`);
  }
  return r;
}
