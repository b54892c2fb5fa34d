/**
 * Files from a finished run, for people who work outside the notebook: the per-image scores and decisions as CSV,
 * the predicted masks as PNG where the dataset keeps its masks, and a one-page HTML report (metrics, thresholds and
 * decisions, ROC, a contact sheet of the worst cases at the calibrated threshold) with its two pictures as PNG.
 */
import * as fs from "fs";
import * as path from "path";
import { readImage } from "../imaging/readImage";
import { encodePng8 } from "../imaging/pngEncode";
import type { FewshotResult, ImageScoreRecord } from "../methods/result";
import { decodeMap } from "../methods/resultMaps";
import { isAnomalous } from "../methods/thresholds";
import { writeFileAtomic } from "../util/atomicWrite";
import { heatmapPayload } from "../viz/payloads/heatmapPayload";
import { resampleBilinear } from "../viz/payloads/resample";
import { rocPayload } from "../viz/payloads/rocPayload";
import { heatmapPng } from "../viz/png/heatmapPng";
import { rocPng } from "../viz/png/rocPng";
import { fewshotTable } from "./fewshotTable";
import { calibratedHeatmapOptions, heatmapCasesOf, singleRun } from "./resultViews";
import { tableToHtml } from "./table";
import { thresholdTable } from "./thresholdTable";

function csvField(v: string | number | boolean | null): string {
  const s = v === null ? "" : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const SCORES_CSV_COLUMNS = ["file", "label", "score", "anomalous", "threshold"];

/** One row per evaluated test image: ground truth, fused score and the decision at the calibrated threshold. */
export function scoresCsv(result: FewshotResult): string {
  const t = result.thresholds?.image?.value ?? null;
  const branches = Object.keys(result.scores[0]?.branches ?? {}).sort();
  const head = [...SCORES_CSV_COLUMNS, ...branches.map((b) => `branch_${b}`)];
  const rows = result.scores.map((s) => [
    s.file,
    s.label,
    s.score,
    t === null ? null : isAnomalous(s.score, t),
    t,
    ...branches.map((b) => s.branches[b]),
  ]);
  return [head.join(","), ...rows.map((r) => r.map(csvField).join(","))].join("\n") + "\n";
}

/** Where the dataset would keep the mask of `file`: MVFA/BMAD `img/` → `anomaly_mask/`, else the same path. */
export function maskPathFor(layout: string, file: string): string {
  const parts = file.split("/");
  if (layout === "mvfa") {
    const i = parts.findIndex((p) => ["img", "imgs", "image", "images"].includes(p.toLowerCase()));
    if (i >= 0) parts[i] = "anomaly_mask";
  }
  return parts.join("/").replace(/\.(jpe?g|dcm)$/i, ".png");
}

/**
 * The predicted mask of each test image (map > the calibrated pixel threshold), drawn from the map the result stores
 * (≤ 16², box-averaged) upsampled bilinearly to the image's size — coarser than the model's map; `medad.detect` gives
 * masks from the full map. 0/255 grey PNGs under `dir` in the dataset's layout; returns the files written.
 */
export function writePredictedMasks(result: FewshotResult, dir: string): string[] {
  const t = result.thresholds?.pixel?.value;
  if (t === undefined)
    throw new Error(
      "exportResult: this result has no calibrated pixel threshold (no normal calibration images, or a result made before thresholds); run it again with support normals",
    );
  const missing = result.scores.find((s) => s.map === undefined);
  if (missing) throw new Error(`exportResult: ${missing.file} has no stored map (the run rendered no maps)`);
  const out: string[] = [];
  for (const s of result.scores) {
    const image = readImage(path.join(result.dataset.root, s.file), { mode: "gray" });
    const map = decodeMap(s.map!, s.file);
    const big = resampleBilinear({ width: map.side, height: map.side, data: map.data }, image.width, image.height);
    const file = path.join(dir, maskPathFor(result.dataset.layout, s.file));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(
      file,
      encodePng8(
        image.width,
        image.height,
        Uint8Array.from(big, (v) => (isAnomalous(v, t) ? 255 : 0)),
        "gray",
      ),
    );
    out.push(file);
  }
  return out;
}

/** Worst cases at the calibrated threshold: missed anomalies (lowest scores) and false alarms (highest), up to `max`. */
export function worstCases(r: FewshotResult, max: number): ImageScoreRecord[] {
  const t = r.thresholds?.image?.value ?? r.metrics.image.f1Max.threshold;
  const missed = r.scores.filter((s) => s.label === 1 && !isAnomalous(s.score, t)).sort((a, b) => a.score - b.score);
  const alarms = r.scores.filter((s) => s.label === 0 && isAnomalous(s.score, t)).sort((a, b) => b.score - a.score);
  const out: ImageScoreRecord[] = [];
  for (let k = 0; out.length < max && (k < missed.length || k < alarms.length); k++) {
    if (k < missed.length) out.push(missed[k]);
    if (k < alarms.length && out.length < max) out.push(alarms[k]);
  }
  return out;
}

export interface ReportFiles {
  html: string;
  roc: string;
  worst: string | null;
}

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

export function writeReport(result: FewshotResult, dir: string, o: { worst?: number } = {}): ReportFiles {
  fs.mkdirSync(dir, { recursive: true });
  const title = `${result.label} · ${result.dataset.name}/${result.dataset.category}`;
  const roc = rocPng(
    rocPayload(
      { name: result.label, scores: result.scores.map((s) => s.score), labels: result.scores.map((s) => s.label) },
      { title },
    ),
  );
  const rocFile = path.join(dir, "report-roc.png");
  writeFileAtomic(rocFile, roc);
  const worst = result.scores.every((s) => s.map !== undefined) ? worstCases(result, o.worst ?? 12) : [];
  let worstFile: string | null = null;
  let worstPng: Buffer | undefined;
  if (worst.length > 0) {
    const keep = new Set(worst);
    const cases = heatmapCasesOf(result, worst.length, (ranked) => ranked.filter((s) => keep.has(s)));
    worstPng = heatmapPng(
      heatmapPayload(cases, { title: "worst cases at the calibrated threshold", ...calibratedHeatmapOptions(result) }),
    );
    worstFile = path.join(dir, "report-worst.png");
    writeFileAtomic(worstFile, worstPng);
  }
  const img = (png: Buffer, alt: string) => `<img alt="${alt}" src="data:image/png;base64,${png.toString("base64")}">`;
  const thresholds = thresholdTable(result);
  const html = [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><title>${escape(title)}</title>`,
    "<style>body{font-family:sans-serif;max-width:1100px;margin:1em auto}table{border-collapse:collapse}" +
      "td,th{border-bottom:1px solid #ccc;padding:2px 8px;text-align:left}img{max-width:100%}</style></head><body>",
    `<h1>${escape(title)}</h1>`,
    `<p>${escape(`${result.shots}-shot, seed ${result.seed}, ${result.protocol} protocol, model ${result.model.hash.value.slice(0, 12)}…, ${result.createdAt}`)}</p>`,
    result.model.note ? `<p><b>note:</b> ${escape(result.model.note)}</p>` : "",
    tableToHtml(fewshotTable(result)),
    thresholds ? tableToHtml(thresholds) : "<p>no calibrated thresholds in this result</p>",
    img(roc, "ROC"),
    worstPng
      ? `<h2>Worst cases</h2><p>missed anomalies (lowest scores) and false alarms (highest) at the calibrated threshold</p>${img(worstPng, "worst cases")}`
      : "<p>no misclassified test images at the calibrated threshold (or no stored maps)</p>",
    "</body></html>",
  ].join("\n");
  const htmlFile = path.join(dir, "report.html");
  writeFileAtomic(htmlFile, html + "\n");
  return { html: htmlFile, roc: rocFile, worst: worstFile };
}

export interface ExportedResult {
  csv: string;
  masks: string[];
  report: ReportFiles;
}

/** `medad.exportResult(result, dir)`: scores.csv, masks/ (predicted, dataset layout) and report.html under `dir`. */
export function exportResult(
  result: unknown,
  dir: string,
  o: { masks?: boolean; worst?: number } = {},
): ExportedResult {
  const r = singleRun(result, "exportResult");
  const out = path.resolve(dir);
  fs.mkdirSync(out, { recursive: true });
  const csv = path.join(out, "scores.csv");
  writeFileAtomic(csv, scoresCsv(r));
  const masks = o.masks === false || !r.thresholds?.pixel ? [] : writePredictedMasks(r, path.join(out, "masks"));
  return { csv, masks, report: writeReport(r, out, o) };
}
