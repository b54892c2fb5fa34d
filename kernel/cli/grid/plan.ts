import * as path from "path";
import { defaultGridDir } from "../../api/compareSlurm";
import { planGrid, writeManifest } from "../../grid/manifest";
import { gridStatus } from "../../grid/merge";
import { parseArgs } from "../args";
import { UsageError, type CliCommand, type CliIo } from "../command";
import { reportErrors } from "./reportErrors";
import { readSpecFile } from "./specFile";

const usage = `usage: medad grid plan SPEC [--out DIR]

Reads a grid spec (a %%compare body in a file of its own, or a .json object with the same keys: methods, shots,
seeds, model, dataset, max_test, …) and writes DIR/manifest.json: one cell per method × shots × seed, each with a
stable id (a hash of its normalised options). DIR defaults to ./medad-grid/<grid id>. Planning again keeps the ids,
so finished results stay valid. Run the cells with 'medad grid run' or 'medad grid submit --slurm'.
`;

export const gridPlanCommand: CliCommand = {
  path: ["grid", "plan"],
  summary: "Write a grid manifest (cells with stable ids) from a spec",
  usage,
  run: (args: string[], io: CliIo): Promise<number> =>
    reportErrors("plan", io, async () => {
      const { positional, options } = parseArgs(args, ["out"]);
      if (positional.length !== 1) throw new UsageError("give one SPEC file");
      const { spec } = readSpecFile(positional[0]);
      const manifest = planGrid(spec);
      const dir = path.resolve(options.get("out") ?? defaultGridDir(manifest.id));
      const file = writeManifest(dir, manifest);
      const done = gridStatus(dir, manifest).done;
      io.out(`${file}: ${manifest.cells.length} cells (${done} already have a current result)\n`);
      for (const c of manifest.cells)
        io.out(`  ${String(c.index).padStart(3)}  ${c.id}  ${c.method} · ${c.shots}-shot · seed ${c.seed}\n`);
      return 0;
    }),
};
