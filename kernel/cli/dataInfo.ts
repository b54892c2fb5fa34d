import { CliCommand, UsageError } from "./command";
import { parseArgs } from "./args";
import { loadDataset } from "../data/loadDataset";
import { summaryTable } from "../data/display/summaryTable";
import { DatasetError, LayoutKind } from "../data/types";

const usage = `usage: medad data info PATH [--layout mvfa|mvtec|mediclip|folder|csv] [--json]

Detects the dataset layout at PATH (a folder or a CSV manifest), validates every image and mask, and prints the
counts per category/split/label, image sizes, few-shot lists and any problems. Exit code 1 when errors were found.
  --layout KIND  skip detection
  --json         print the full summary and issues as JSON
`;

export const dataInfoCommand: CliCommand = {
  path: ["data", "info"],
  summary: "detect, validate and summarise a dataset",
  usage,
  async run(args, io) {
    const { positional, options } = parseArgs(args, ["layout"], ["json"]);
    if (positional.length !== 1) throw new UsageError("give exactly one dataset PATH");
    const layout = options.get("layout") as LayoutKind | undefined;
    if (layout && !["mvfa", "mvtec", "mediclip", "folder", "csv"].includes(layout))
      throw new UsageError(`unknown layout '${layout}'`);
    let ds;
    try {
      ds = loadDataset(positional[0], { layout });
    } catch (err) {
      if (err instanceof DatasetError) {
        io.err(`medad data info: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    if (options.has("json")) {
      io.out(
        JSON.stringify(
          {
            root: ds.root,
            layout: ds.layout,
            summary: ds.summary,
            issues: ds.issues,
            skipped: ds.skipped,
            fewShotLists: ds.fewShotLists,
          },
          null,
          2,
        ) + "\n",
      );
    } else {
      const t = summaryTable(ds);
      io.out(`${t.title}\n${[t.columns, ...t.rows].map((r) => r.map(String).join("\t")).join("\n")}\n`);
      for (const i of ds.issues) io.out(`${i.severity}: ${i.message}\n`);
    }
    return ds.summary.errors > 0 ? 1 : 0;
  },
};
