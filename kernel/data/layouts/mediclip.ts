/**
 * MediCLIP layout (data.md §4C): `images/…` plus `samples/{train,test}.json`, JSON Lines with `filename` and
 * optional `mask` relative to `images/`, `label` 0/1 and `clsname`. Masks there are JPEG, so they binarise at
 * > 127 (MediCLIP itself uses != 0, which counts JPEG ringing as anomaly).
 */
import * as fs from "fs";
import * as path from "path";
import { splitOf } from "../names";
import { Split } from "../types";
import { listDir } from "../walk";
import { LayoutResult, RawSample } from "./raw";

export function isMediclipRoot(dir: string): boolean {
  const samples = path.join(dir, "samples");
  return fs.existsSync(samples) && fs.existsSync(path.join(dir, "images")) && fs.readdirSync(samples).some((f) => /\.jsonl?$/i.test(f));
}

export function readMediclip(dir: string, out: LayoutResult): void {
  const images = path.join(dir, "images");
  for (const f of listDir(path.join(dir, "samples"), out.skipped)) {
    if (f.isDir || !/\.jsonl?$/i.test(f.name)) continue;
    const split: Split = splitOf(f.name.replace(/\.jsonl?$/i, "")) ?? "test";
    const lines = fs.readFileSync(f.path, "utf8").split(/\r?\n/);
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let rec: { filename?: unknown; label?: unknown; clsname?: unknown; mask?: unknown };
      try {
        rec = JSON.parse(line);
      } catch (err) {
        out.issues.push({ severity: "error", code: "bad-json-line", message: `${f.path}:${i + 1}: not valid JSON (${(err as Error).message}); fix or delete the line`, files: [f.path] });
        return;
      }
      if (typeof rec.filename !== "string" || (rec.label !== 0 && rec.label !== 1)) {
        out.issues.push({ severity: "error", code: "bad-json-line", message: `${f.path}:${i + 1}: needs "filename" (string) and "label" (0 or 1)`, files: [f.path] });
        return;
      }
      const category = typeof rec.clsname === "string" ? rec.clsname : path.basename(dir);
      const s: RawSample = { path: path.join(images, rec.filename), label: rec.label === 1 ? "abnormal" : "normal", split, category };
      if (typeof rec.mask === "string" && rec.mask) {
        s.maskPath = path.join(images, rec.mask);
        s.maskThreshold = /\.jpe?g$/i.test(rec.mask) ? 127 : 0;
        out.pixelLevel.add(category);
      }
      out.samples.push(s);
    });
  }
}
