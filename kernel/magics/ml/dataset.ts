import * as path from "path";
import { display } from "../../api/display";
import { datasetSummaryDisplay, demoDatasetPath, loadDataset } from "../../data";
import type { Magic } from "../magic";

export const datasetMagic: Magic = {
  name: "dataset",
  kinds: ["line"],
  summary: "Load a dataset and show its summary and a thumbnail grid.",
  usage: [
    "%dataset [PATH] [--as NAME]  PATH: a dataset folder (MVFA/BMAD, MVTec, MediCLIP, plain folder) or a CSV manifest;",
    "                             'demo' or nothing: the bundled demo-brainmri set",
    "",
    "Shows counts per category/split/label, masks, image sizes and any problems found, then normal (green) and",
    "abnormal (red, mask outlined) thumbnails. The dataset (a medad.Dataset) is bound to `datasetResult`.",
  ].join("\n"),
  resultType: "Dataset",
  async run(invocation, ctx) {
    const arg = invocation.args.trim().replace(/^(["'])(.*)\1$/, "$2");
    const target = arg === "" || arg === "demo" ? demoDatasetPath() : path.resolve(arg);
    const ds = loadDataset(target);
    const shown = datasetSummaryDisplay(ds);
    display.table(shown.table);
    display.png(shown.png);
    for (const issue of ds.issues.slice(0, 20)) ctx.print(`${issue.severity}: ${issue.message}\n`);
    if (ds.issues.length > 20) ctx.print(`… and ${ds.issues.length - 20} more (see datasetResult.issues)\n`);
    return ds;
  },
};
