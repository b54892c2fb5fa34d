import { readManifest } from "../../grid/manifest";
import { gridStatus } from "../../grid/merge";
import { sbatchScript, submitArray, type SlurmOptions } from "../../grid/slurm";
import { parseArgs } from "../args";
import { UsageError, type CliCommand, type CliIo } from "../command";
import { reportErrors } from "./reportErrors";

const usage = `usage: medad grid submit GRID --slurm [--partition P] [--gpus N] [--cpus N] [--time HH:MM:SS] [--mem 8G]
                        [--throttle N] [--account A] [--sbatch "--qos=short"] [--node PATH] [--cells 0,3,5] [--dry-run]

Writes an 'sbatch --array' script (one task per cell: medad grid run GRID --index $SLURM_ARRAY_TASK_ID; logs in
GRID/logs/<job>_<index>.out) to GRID/slurm/ and submits it. Only cells without a current result are submitted, so
running it again after failures resubmits just those; --cells picks cells by index. --throttle N runs at most N
at once (--array=…%N). --dry-run prints the script and submits nothing. GRID must be on a filesystem that the
compute nodes share, as must the dataset, the model cache and the feature cache (docs/scale-out.md).
`;

function count(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} needs a whole number ≥ ${min} (got '${text}')`);
  return n;
}

export const gridSubmitCommand: CliCommand = {
  path: ["grid", "submit"],
  summary: "Submit a grid's unfinished cells as a Slurm array job",
  usage,
  run: (args: string[], io: CliIo): Promise<number> =>
    reportErrors("submit", io, async () => {
      const valued = ["partition", "gpus", "cpus", "time", "mem", "throttle", "account", "sbatch", "node", "cells"];
      const { positional, options } = parseArgs(args, valued, ["slurm", "dry-run"]);
      if (positional.length !== 1) throw new UsageError("give the GRID folder (or its manifest.json)");
      if (!options.has("slurm")) throw new UsageError("say which scheduler: --slurm (the one supported)");
      const { dir, file, manifest } = readManifest(positional[0]);
      const o: SlurmOptions = {
        partition: options.get("partition"),
        gpus: count(options.get("gpus"), "gpus", 0),
        cpus: count(options.get("cpus"), "cpus", 1),
        time: options.get("time"),
        mem: options.get("mem"),
        throttle: count(options.get("throttle"), "throttle", 1),
        account: options.get("account"),
        extra: options.has("sbatch") ? [options.get("sbatch")!] : undefined,
        node: options.get("node"),
      };
      let indices: number[];
      if (options.has("cells")) {
        indices = options
          .get("cells")!
          .split(",")
          .map((t) => count(t.trim(), "cells", 0)!);
        const bad = indices.find((i) => i >= manifest.cells.length);
        if (bad !== undefined)
          throw new UsageError(`--cells: ${file} has cells 0 to ${manifest.cells.length - 1}, not ${bad}`);
      } else {
        indices = gridStatus(dir, manifest).todo.map((c) => c.index);
      }
      if (indices.length === 0) {
        io.out(`${dir}: every cell has a current result; merge with 'medad grid merge ${dir}'\n`);
        return 0;
      }
      if (options.has("dry-run")) {
        io.out(sbatchScript(dir, manifest, indices, o));
        return 0;
      }
      try {
        const s = submitArray(dir, manifest, indices, o);
        io.out(
          `submitted job ${s.jobId}: ${indices.length} cell(s); script ${s.script}; logs ${dir}/logs/${s.jobId}_<index>.out\n`,
        );
        return 0;
      } catch (err) {
        io.err(`medad grid submit: ${(err as Error).message}\n`);
        return 1;
      }
    }),
};
