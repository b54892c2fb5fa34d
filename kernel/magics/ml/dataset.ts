import * as path from "path";
import { display } from "../../api/display";
import { datasetSummaryDisplay, demoDatasetPath, loadDataset, windowSummary, type Window } from "../../data";
import { MagicError } from "../errors";
import type { Magic, MagicInvocation } from "../magic";
import { windowArg } from "./windowArg";

const USAGE = "%dataset [PATH] [--window CENTER,WIDTH] [--as NAME]";

/** PATH (the rest of the line, as before: a path may hold spaces) and --window (--as is taken by the registry). */
function parse(invocation: MagicInvocation): { target: string; window?: Window } {
  const m = /(^|\s)--window(?:\s+|=|$)(\S*)/.exec(invocation.args);
  let window: Window | undefined;
  let rest = invocation.args;
  if (m) {
    const column = invocation.argsColumn + m.index + m[1].length;
    if (!m[2]) throw new MagicError("--window needs a value.", invocation.line, column, "CENTER,WIDTH, e.g. 40,400");
    window = windowArg({ text: m[2], column: column + m[0].length - m[1].length - m[2].length }, invocation);
    rest = invocation.args.slice(0, m.index) + " " + invocation.args.slice(m.index + m[0].length);
  }
  const arg = rest.trim().replace(/^(["'])(.*)\1$/, "$2");
  if (/(^|\s)--\w/.test(arg))
    throw new MagicError(`unknown option in '${arg}'.`, invocation.line, invocation.argsColumn, USAGE);
  const target = arg === "" || arg === "demo" ? demoDatasetPath() : path.resolve(arg);
  return { target, window };
}

export const datasetMagic: Magic = {
  name: "dataset",
  kinds: ["line"],
  summary: "Load a dataset and show its summary and a thumbnail grid.",
  usage: [
    `${USAGE}  PATH: a dataset folder (MVFA/BMAD, MVTec, MediCLIP, plain folder) or a CSV manifest;`,
    "                             'demo' or nothing: the bundled demo-brainmri set",
    "",
    "Shows counts per category/split/label, masks, image sizes and any problems found, then normal (green) and",
    "abnormal (red, mask outlined) thumbnails. Greyscale DICOM images are shown through their WindowCenter/",
    "WindowWidth tags, else their p0.5–p99.5; --window CENTER,WIDTH (e.g. 40,80 for a CT brain window) sets one",
    "window for all, and the line under the table says which was used. The dataset (a medad.Dataset) is bound",
    "to `datasetResult`.",
  ].join("\n"),
  resultType: "Dataset",
  checkArgs: (invocation) => void parse(invocation),
  async run(invocation, ctx) {
    const { target, window } = parse(invocation);
    const ds = loadDataset(target);
    const shown = datasetSummaryDisplay(ds, { window });
    display.table(shown.table);
    display.png(shown.png);
    const windows = windowSummary(ds, window);
    if (windows) ctx.print(`${windows.text}\n`);
    for (const issue of ds.issues.slice(0, 20)) ctx.print(`${issue.severity}: ${issue.message}\n`);
    if (ds.issues.length > 20) ctx.print(`… and ${ds.issues.length - 20} more (see datasetResult.issues)\n`);
    return ds;
  },
};
