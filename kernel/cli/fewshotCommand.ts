import * as path from "path";
import { AVAILABLE_METHODS, fewshot } from "../methods/runFewshot";
import { thresholdText } from "../api/thresholdTable";
import { writeFileAtomic } from "../util/atomicWrite";
import { parseArgs } from "./args";
import { outputProblem } from "./runOutput";
import { UsageError, type CliCommand, type CliIo } from "./command";

const usage = `usage: medad fewshot --dataset DIR --method METHOD --model DIR|ORG/NAME [--shots K] [--seed S] [--device auto|cpu|cuda]
                     [--image-size N] [--taps a,b,c] [--protocol honest|reference] [--max-test N] [--list auto|none|FILE]
                     [--selection last|validation|test-best] [--out RESULT.json] [--epochs N] [--checkpoint FILE]

Runs one few-shot method on one dataset class (in this process) and prints image/pixel AUROC; --out writes the
full result (scores, support files, protocol, model hash, timings) as JSON. Ctrl+C stops between batches.
--epochs sets a trained method's fixed epoch count (mvfa 50, madclip 60, mediclip 200 by default); --checkpoint
keeps the trained adapter (resumed if present), which \`medad detect\` needs for trained methods.
--selection picks the reported epoch: last (default), validation (best on valid images outside the support set)
or test-best (the papers' best epoch on the test set; transductive, marked so in the result).
--list chooses the support images: auto (the method's own fewshot_seed lists when shipped), none (seeded draw)
or a list file (--list-file FILE is the older spelling).
Methods: ${AVAILABLE_METHODS.join(", ")}.
`;

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} needs a whole number ≥ 0 (got '${value}')`);
  return n;
}

/** Only the keys given, so each method keeps its defaults; the checkpoint keeps a trained adapter (for detect). */
function trainingOptions(options: Map<string, string>): Record<string, unknown> | undefined {
  const o: Record<string, unknown> = {};
  if (options.has("epochs")) o.epochs = integer(options.get("epochs"), "epochs");
  if (options.has("checkpoint")) o.checkpoint = path.resolve(options.get("checkpoint")!);
  return Object.keys(o).length ? o : undefined;
}

export const fewshotCommand: CliCommand = {
  path: ["fewshot"],
  summary: "Run a few-shot method on a dataset and report AUROC",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const valued = [
      "dataset",
      "method",
      "model",
      "shots",
      "seed",
      "device",
      "image-size",
      "taps",
      "protocol",
      "max-test",
      "list-file",
      "list",
      "selection",
      "out",
      "category",
      "epochs",
      "checkpoint",
    ];
    const { positional, options } = parseArgs(args, valued);
    if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
    for (const required of ["dataset", "method", "model"])
      if (!options.has(required)) throw new UsageError(`--${required} is required`);
    const taps = options
      .get("taps")
      ?.split(",")
      .map((t) => integer(t.trim(), "taps")!);
    const protocol = options.get("protocol") as "honest" | "reference" | undefined;
    if (protocol && protocol !== "honest" && protocol !== "reference")
      throw new UsageError("--protocol is honest or reference");
    const selection = options.get("selection");
    if (selection !== undefined && !["last", "validation", "test-best"].includes(selection))
      throw new UsageError("--selection is last, validation or test-best");
    if (options.has("list") && options.has("list-file")) throw new UsageError("give --list or --list-file, not both");
    const listOpt = options.get("list") ?? options.get("list-file");
    const list = listOpt === undefined || listOpt === "auto" || listOpt === "none" ? listOpt : path.resolve(listOpt);
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
        dataset: path.resolve(options.get("dataset")!),
        method: options.get("method")!,
        model: options.get("model")!,
        shots: integer(options.get("shots"), "shots"),
        seed: integer(options.get("seed"), "seed"),
        device: options.get("device") as "auto" | "cpu" | "cuda" | undefined,
        imageSize: integer(options.get("image-size"), "image-size"),
        taps,
        protocol,
        maxTestImages: integer(options.get("max-test"), "max-test"),
        list,
        selection: selection as "last" | "validation" | "test-best" | undefined,
        category: options.get("category"),
        options: trainingOptions(options),
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
