import { CliCommand, UsageError } from "./command";
import { parseArgs, windowOption } from "./args";
import { exportAxialSlices } from "../data/niftiExport";
import { describeWindow } from "../imaging/window";

const usage = `usage: medad data slice VOLUME.nii[.gz] --out DIR [--range FIRST:LAST] [--window CENTER,WIDTH] [--prefix NAME]

Writes the volume's axial slices as 8-bit PNGs (anterior up, patient right on the left), named NAME_<z>.png,
and prints the window used.
  --range FIRST:LAST     inclusive slice range along the axial axis (default: all)
  --window CENTER,WIDTH  intensity window in the volume's units, e.g. 40,80 for a CT brain window
                         (default: the header's cal_min..cal_max when set, else the volume's 0.5th..99.5th
                         percentile of non-zero voxels)
`;

function range(text: string): [number, number] {
  const parts = text.split(":").map(Number);
  if (parts.length !== 2 || parts.some((p) => !Number.isFinite(p)))
    throw new UsageError(`--range must look like FIRST:LAST, got '${text}'`);
  return [parts[0], parts[1]];
}

export const dataSliceCommand: CliCommand = {
  path: ["data", "slice"],
  summary: "export a NIfTI volume's axial slices as PNG",
  usage,
  async run(args, io) {
    const { positional, options } = parseArgs(args, ["out", "range", "window", "prefix"]);
    if (positional.length !== 1) throw new UsageError("give exactly one VOLUME");
    const out = options.get("out");
    if (!out) throw new UsageError("--out DIR is required");
    const r = options.has("range") ? range(options.get("range") as string) : undefined;
    const window = windowOption(options.get("window"));
    try {
      const e = exportAxialSlices(positional[0], out, { range: r, window, prefix: options.get("prefix") });
      io.out(`wrote ${e.files.length} slices to ${out}\nwindow: ${describeWindow(e.window)}\n`);
      return 0;
    } catch (err) {
      io.err(`medad data slice: ${(err as Error).message}\n`);
      return 1;
    }
  },
};
