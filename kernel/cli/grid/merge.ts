import * as path from "path";
import { saveResult } from "../../api/savedResults";
import { tableToText } from "../../api/table";
import { readManifest } from "../../grid/manifest";
import { mergeGrid } from "../../grid/merge";
import { parseArgs } from "../args";
import { UsageError, type CliCommand, type CliIo } from "../command";
import { reportErrors } from "./reportErrors";

const usage = `usage: medad grid merge GRID [--out RESULT.json]

Builds the table and CompareResult that %%compare shows from GRID/results (every cell must have a current result;
'medad grid status' says which do not). --out saves the CompareResult as medad.saveResult does, so
medad.loadResult (or %load) reads it in a notebook.
`;

export const gridMergeCommand: CliCommand = {
  path: ["grid", "merge"],
  summary: "Merge a grid's results into the %%compare table and CompareResult",
  usage,
  run: (args: string[], io: CliIo): Promise<number> =>
    reportErrors("merge", io, async () => {
      const { positional, options } = parseArgs(args, ["out"]);
      if (positional.length !== 1) throw new UsageError("give the GRID folder (or its manifest.json)");
      const { dir, manifest } = readManifest(positional[0]);
      try {
        const { result, table } = mergeGrid(dir, manifest);
        io.out(tableToText(table) + "\n");
        if (options.has("out")) {
          const report = saveResult(result, path.resolve(options.get("out")!));
          io.err(`wrote ${report.file}\n`);
        }
        return 0;
      } catch (err) {
        io.err(`medad grid merge: ${(err as Error).message}\n`);
        return 1;
      }
    }),
};
