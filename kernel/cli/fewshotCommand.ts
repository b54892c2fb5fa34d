import * as path from "path";
import { AVAILABLE_METHODS, fewshot } from "../methods/runFewshot";
import { runOptionFlagNames, runOptionFlagsUsage, runOptionsFromFlags } from "./runOptionFlags";
import { thresholdText } from "../api/thresholdTable";
import { writeFileAtomic } from "../util/atomicWrite";
import { parseArgs } from "./args";
import { outputProblem } from "./runOutput";
import { UsageError, type CliCommand, type CliIo } from "./command";

const usage = `usage: medad fewshot --dataset DIR --method METHOD --model DIR|ORG/NAME [options] [--out RESULT.json]

Runs one few-shot method on one dataset class (in this process) and prints image/pixel AUROC; --out writes the
full result (scores, support files, protocol, model hash, timings) as JSON. Ctrl+C stops between batches.
A trained method's --checkpoint keeps the adapter (resumed if present), which \`medad detect\` needs.
--list-file FILE is the older spelling of --list FILE.

${runOptionFlagsUsage([["--out RESULT.json", "write the full result as JSON"]])}

Methods: ${AVAILABLE_METHODS.join(", ")}.
`;

export const fewshotCommand: CliCommand = {
  path: ["fewshot"],
  summary: "Run a few-shot method on a dataset and report AUROC",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { positional, options } = parseArgs(args, [...runOptionFlagNames(), "list-file", "out"]);
    if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
    if (options.has("list") && options.has("list-file")) throw new UsageError("give --list or --list-file, not both");
    const flags = new Map(options);
    if (options.has("list-file")) flags.set("list", options.get("list-file")!);
    // --method also takes plug-in names (mvfa+ccb); fewshot() checks it and lists the methods.
    const given = runOptionsFromFlags(flags, ["method"]);
    const outProblem = options.has("out") ? outputProblem(path.resolve(options.get("out")!), "result.json") : undefined;
    if (outProblem) {
      io.err(`medad fewshot: ${outProblem}\n`); // before the run, which may take hours
      return 1;
    }
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once("SIGINT", onSigint);
    let lastLine = "";
    try {
      const result = await fewshot({
        ...given,
        dataset: given.dataset!,
        method: given.method!,
        model: given.model!,
        signal: abort.signal,
        onProgress: (done, total, phase) => {
          const line = `${phase} ${done}/${total}`;
          if (line !== lastLine) io.err(`\r${(lastLine = line).padEnd(30)}${done === total ? "\n" : ""}`);
        },
      });
      const px = result.metrics.pixel;
      io.out(
        `${result.label} · ${result.dataset.name}/${result.dataset.category} · ${result.shots}-shot, seed ${result.seed}, ${result.protocol} protocol${result.transductive ? ", TRANSDUCTIVE" : ""}\n`,
      );
      io.out(
        `image AUROC ${(100 * result.metrics.image.auroc).toFixed(2)}${px ? `, pixel AUROC ${(100 * px.auroc).toFixed(2)}` : ""}\n`,
      );
      if (result.thresholds) io.out(thresholdText(result) + "\n");
      if (result.model.note) io.out(`note: ${result.model.note}\n`);
      for (const w of result.warnings ?? []) io.err(`warning: ${w}\n`);
      if (options.has("out")) {
        writeFileAtomic(path.resolve(options.get("out")!), JSON.stringify(result, null, 1) + "\n");
        io.err(`wrote ${options.get("out")}\n`);
      }
      return 0;
    } catch (err) {
      if (abort.signal.aborted) {
        io.err("medad fewshot: stopped\n");
        return 130;
      }
      io.err(`medad fewshot: ${(err as Error).message}\n`);
      return 1;
    } finally {
      process.off("SIGINT", onSigint);
    }
  },
};
