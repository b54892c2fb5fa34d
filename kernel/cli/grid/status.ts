import { tableToText } from "../../api/table";
import { readManifest } from "../../grid/manifest";
import { gridProgress, progressCounts, progressTable } from "../../grid/progress";
import { readSubmissions } from "../../grid/slurm";
import { parseArgs } from "../args";
import { UsageError, type CliCommand, type CliIo } from "../command";
import { reportErrors } from "./reportErrors";

const usage = `usage: medad grid status GRID [--json]

One line per cell: done, running, pending, failed (with Slurm's state or the error, and the task's log) or todo.
Slurm is asked (squeue, and sacct where accounting is on) when the grid was submitted. Exit code 0 when every
cell is done, 3 while some are queued or running, 1 when some failed or were never run.
`;

export const gridStatusCommand: CliCommand = {
  path: ["grid", "status"],
  summary: "Show which grid cells are done, running, pending or failed",
  usage,
  run: (args: string[], io: CliIo): Promise<number> =>
    reportErrors("status", io, async () => {
      const { positional, options } = parseArgs(args, [], ["json"]);
      if (positional.length !== 1) throw new UsageError("give the GRID folder (or its manifest.json)");
      const { dir, manifest } = readManifest(positional[0]);
      const rows = gridProgress(dir, manifest, readSubmissions(dir).length > 0);
      if (options.has("json"))
        io.out(
          JSON.stringify(
            rows.map((r) => ({ index: r.cell.index, id: r.cell.id, phase: r.phase, detail: r.detail, log: r.log })),
          ) + "\n",
        );
      else io.out(tableToText(progressTable(rows)) + "\n");
      const c = progressCounts(rows);
      return c.done === rows.length ? 0 : c.running + c.pending > 0 ? 3 : 1;
    }),
};
