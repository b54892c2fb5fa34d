/**
 * A CSV manifest: a header row with `path` and `label` (required), `mask`, `category`, `split`, `anomaly_type`
 * (optional); paths relative to the CSV's folder. Labels accept 0/1, normal/abnormal, good/Ungood. Rows without a
 * split are test images. Quoted fields ("a,b") are supported; malformed rows are errors naming the line.
 */
import * as fs from "fs";
import * as path from "path";
import { labelOf, splitOf } from "../names";
import { Label } from "../types";
import { LayoutResult, RawSample } from "./raw";

/** RFC 4180 fields of one line (no embedded newlines). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

function parseLabel(v: string): Label | undefined {
  if (v === "0") return "normal";
  if (v === "1") return "abnormal";
  if (v === "" || v.toLowerCase() === "unknown") return "unknown";
  return labelOf(v);
}

export function readCsvManifest(file: string, out: LayoutResult): void {
  const dir = path.dirname(file);
  const lines = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = parseCsvLine(lines[0] ?? "").map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col("path") < 0 || col("label") < 0) {
    throw new Error(`${file}:1: the header needs 'path' and 'label' columns (optional: mask, category, split, anomaly_type); found '${lines[0] ?? ""}'`);
  }
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const f = parseCsvLine(lines[i]);
    const get = (name: string) => (col(name) >= 0 ? f[col(name)] ?? "" : "");
    const label = parseLabel(get("label"));
    const split = get("split") ? splitOf(get("split")) : "test";
    if (!get("path") || !label || !split) {
      out.issues.push({ severity: "error", code: "bad-csv-row", message: `${file}:${i + 1}: needs a path, a label (0/1, normal/abnormal) and a split (train/valid/test) if given; row skipped`, files: [file] });
      continue;
    }
    const category = get("category") || path.basename(dir);
    const s: RawSample = { path: path.resolve(dir, get("path")), label, split, category };
    if (get("mask")) {
      s.maskPath = path.resolve(dir, get("mask"));
      s.maskThreshold = /\.jpe?g$/i.test(s.maskPath) ? 127 : 0;
      out.pixelLevel.add(category);
    }
    if (get("anomaly_type")) s.anomalyType = get("anomaly_type");
    out.samples.push(s);
  }
}
