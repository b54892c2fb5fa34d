import { readManifest, findCell } from "../../grid/manifest";
import { gridStatus } from "../../grid/merge";
import { runGridCell } from "../../grid/runCell";
import type { GridCell } from "../../grid/spec";
import { parseArgs } from "../args";
import { UsageError, type CliCommand, type CliIo } from "../command";
import { reportErrors } from "./reportErrors";

const usage = `usage: medad grid run GRID [--cell ID | --index N | --all] [--force]

Runs grid cells in this process and writes each result atomically to GRID/results/<id>.json (GRID: the folder
'medad grid plan' wrote, or its manifest.json). --index N is the cell's 0-based position; without --cell, --index
or --all the index comes from SLURM_ARRAY_TASK_ID (other schedulers: pass --index yourself). --all runs every cell
that has no current result. A cell whose result exists for the same options and code version is skipped unless
--force.
`;

function integer(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${what} needs a whole number ≥ 0 (got '${text}')`);
  return n;
}

export const gridRunCommand: CliCommand = {
  path: ["grid", "run"],
  summary: "Run one grid cell (an array task) and store its result",
  usage,
  run: (args: string[], io: CliIo): Promise<number> =>
    reportErrors("run", io, async () => {
      const { positional, options } = parseArgs(args, ["cell", "index"], ["all", "force"]);
      if (positional.length !== 1) throw new UsageError("give the GRID folder (or its manifest.json)");
      const picks = ["cell", "index", "all"].filter((k) => options.has(k));
      if (picks.length > 1) throw new UsageError("give one of --cell, --index, --all");
      const { dir, file, manifest } = readManifest(positional[0]);
      let cells: GridCell[];
      if (options.has("all")) cells = gridStatus(dir, manifest).todo;
      else if (options.has("cell")) cells = [findCell(manifest, file, { id: options.get("cell") })];
      else {
        const fromEnv = process.env.SLURM_ARRAY_TASK_ID;
        const text = options.get("index") ?? fromEnv;
        if (text === undefined)
          throw new UsageError("give --cell ID, --index N or --all (or run as a Slurm array task)");
        cells = [
          findCell(manifest, file, { index: integer(text, options.has("index") ? "--index" : "SLURM_ARRAY_TASK_ID") }),
        ];
      }
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      // scancel sends SIGTERM: stop between batches and leave no result (the cell stays to do).
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        for (const cell of cells) {
          const t0 = Date.now();
          const label = `cell ${cell.index} (${cell.id}: ${cell.method} · ${cell.shots}-shot · seed ${cell.seed})`;
          const out = await runGridCell(dir, cell, { force: options.has("force"), signal: abort.signal });
          if (out.skipped) io.out(`${label}: already done, skipped\n`);
          else {
            const px = out.result.metrics.pixel;
            io.out(
              `${label}: image AUROC ${(100 * out.result.metrics.image.auroc).toFixed(2)}` +
                `${px ? `, pixel AUROC ${(100 * px.auroc).toFixed(2)}` : ""} in ${((Date.now() - t0) / 1000).toFixed(1)} s` +
                ` (peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB) → ${out.file}\n`,
            );
          }
        }
        return 0;
      } catch (err) {
        io.err(`medad grid run: ${abort.signal.aborted ? "stopped" : (err as Error).message}\n`);
        return abort.signal.aborted ? 143 : 1;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    }),
};
