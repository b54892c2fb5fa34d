import { CliCommand, UsageError } from "./command";
import { parseArgs } from "./args";
import { exportAxialSlices } from "../data/niftiExport";

const usage = `usage: medad data slice VOLUME.nii[.gz] --out DIR [--range FIRST:LAST] [--window CENTER,WIDTH] [--prefix NAME]

Writes the volume's axial slices as 8-bit PNGs (anterior up, patient right on the left), named NAME_<z>.png.
  --range FIRST:LAST     inclusive slice range along the axial axis (default: all)
  --window CENTER,WIDTH  intensity window in the volume's units, e.g. 40,80 for a CT brain window
                         (default: the volume's 0.5th..99.5th percentile of non-zero voxels)
`;

function pair(text: string, sep: string, what: string): [number, number] {
  const parts = text.split(sep).map(Number);
  if (parts.length !== 2 || parts.some((p) => !Number.isFinite(p)))
    throw new UsageError(`${what} must look like A${sep}B, got '${text}'`);
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
    const range = options.has("range") ? pair(options.get("range") as string, ":", "--range") : undefined;
    const w = options.has("window") ? pair(options.get("window") as string, ",", "--window") : undefined;
    try {
      const files = exportAxialSlices(positional[0], out, {
        range,
        window: w && { center: w[0], width: w[1] },
        prefix: options.get("prefix"),
      });
      io.out(`wrote ${files.length} slices to ${out}\n`);
      return 0;
    } catch (err) {
      io.err(`medad data slice: ${(err as Error).message}\n`);
      return 1;
    }
  },
};
