import * as path from "path";
import { detect, detectTable } from "../api/detect";
import { tableToText } from "../api/table";
import { parseArgs, windowOption } from "./args";
import { UsageError, type CliCommand, type CliIo } from "./command";

const usage = `usage: medad detect --result RESULT.json IMAGE... [--out DIR] [--window CENTER,WIDTH] [--slices FIRST,LAST]
                    [--device auto|cpu|cuda]

Scores new images (PNG/JPEG/DICOM files, folders of them, NIfTI volumes slice by slice) with a finished run: its
method, model, support set, adapter and calibrated thresholds. RESULT.json is a file from %save / medad.saveResult
(with its .adapter.safetensors beside it) or from \`medad fewshot --out\` (trained methods: run with --checkpoint).
Prints each image's score and decision (and the window of DICOM/NIfTI inputs); --out writes overlays/, masks/
and detections.csv.
  --window CENTER,WIDTH  window of 16-bit DICOM/NIfTI inputs (default: the file's WindowCenter/WindowWidth or
                         cal_min/cal_max, else its 0.5th..99.5th percentile)
`;

function pair(value: string | undefined, name: string, integer: boolean): [number, number] | undefined {
  if (value === undefined) return undefined;
  const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(value);
  if (!m || (integer && !/^\d+,\d+$/.test(value)))
    throw new UsageError(`--${name} needs two ${integer ? "whole numbers" : "numbers"} A,B (got '${value}')`);
  return [Number(m[1]), Number(m[2])];
}

export const detectCommand: CliCommand = {
  path: ["detect"],
  summary: "Score new images with a saved run's adapter and calibrated thresholds",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { positional, options } = parseArgs(args, ["result", "out", "window", "slices", "device"]);
    if (!options.has("result")) throw new UsageError("--result is required");
    if (positional.length === 0) throw new UsageError("give at least one image, folder or NIfTI volume");
    const window = windowOption(options.get("window"));
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once("SIGINT", onSigint);
    try {
      const r = await detect(positional, path.resolve(options.get("result")!), {
        show: false,
        out: options.get("out"),
        window,
        sliceRange: pair(options.get("slices"), "slices", true),
        device: options.get("device") as "auto" | "cpu" | "cuda" | undefined,
        signal: abort.signal,
      });
      io.out(tableToText(detectTable(r)) + "\n");
      if (r.model.note) io.out(`note: ${r.model.note}\n`);
      if (r.outputs) io.err(`wrote ${r.outputs.csv}, ${r.outputs.overlays.length} overlays and masks\n`);
      return 0;
    } catch (err) {
      if (abort.signal.aborted) {
        io.err("medad detect: stopped\n");
        return 130;
      }
      io.err(`medad detect: ${(err as Error).message}\n`);
      return 1;
    } finally {
      process.off("SIGINT", onSigint);
    }
  },
};
