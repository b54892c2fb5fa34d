/**
 * `%save RESULT FILE` and `%load FILE [--as NAME]`: results (and trained adapters) to and from disk, sugar over
 * `medad.saveResult` / `medad.loadResult`.
 */
import { loadedAdapters, loadResult, SavedResultError } from "../../api/savedResults";
import { isCompareResult } from "../../api/resultViews";
import type { CompareResult } from "../../api/compare";
import type { FewshotResult } from "../../methods/result";
import { MagicError } from "../errors";
import { CellStopped, type Magic, type MagicInvocation } from "../magic";
import { resultExpression, tokenizeArgs, tooMany, type ArgToken } from "./resultArgs";

/** The TypeScript %save runs. */
export function saveCall(args: string, argsColumn: number, line: number): string {
  const usage = "%save RESULT FILE";
  const invocation = { name: "save", kind: "line" as const, args, line, argsColumn };
  const tokens = tokenizeArgs(args, argsColumn, line);
  const expr = resultExpression(tokens[0], invocation, usage);
  if (!tokens[1])
    throw new MagicError(
      "%save needs a file to write.",
      line,
      argsColumn + args.length,
      "%save fewshotResult results/run1.json",
    );
  if (tokens[2]) tooMany(tokens[2], invocation, usage);
  return `console.log(medad.internal.describeSave(medad.saveResult(${expr}, ${JSON.stringify(tokens[1].text)})));`;
}

export const saveMagic: Magic = {
  name: "save",
  kinds: ["line"],
  summary: "Save a result (and its trained adapters) to a JSON file.",
  usage: [
    "%save RESULT FILE",
    "",
    "RESULT: a variable holding a FewshotResult or CompareResult. FILE is written atomically as JSON with a format",
    "name and version; NaN and other values plain JSON loses are kept. A trained run's checkpoint (mvfa, madclip",
    "with checkpoint:) is copied beside it as FILE-stem.adapter.safetensors with its SHA-256.",
    "Same as medad.saveResult(RESULT, FILE).",
  ].join("\n"),
  checkArgs: (invocation) => void saveCall(invocation.args, invocation.argsColumn, invocation.line),
  async run(invocation, ctx) {
    const status = await ctx.runCode(
      saveCall(invocation.args, invocation.argsColumn, invocation.line),
      invocation.line,
    );
    if (status !== "ok") throw new CellStopped(status);
    return undefined;
  },
};

function loadFileArg(invocation: MagicInvocation): ArgToken {
  const tokens = tokenizeArgs(invocation.args, invocation.argsColumn, invocation.line);
  if (!tokens[0])
    throw new MagicError(
      "%load needs the file to read.",
      invocation.line,
      invocation.argsColumn,
      "%load results/run1.json --as run1",
    );
  if (tokens[1]) tooMany(tokens[1], invocation, "%load FILE [--as NAME]");
  return tokens[0];
}

function summary(result: FewshotResult | CompareResult): string {
  if (isCompareResult(result))
    return `a CompareResult with ${result.runs.length} runs (${[...new Set(result.runs.map((r) => r.method))].join(", ")})`;
  return `a FewshotResult: ${result.label || result.method} on ${result.dataset.name}/${result.dataset.category}, ${result.shots}-shot, seed ${result.seed}, image AUROC ${result.metrics.image.auroc.toFixed(4)}`;
}

export const loadMagic: Magic = {
  name: "load",
  kinds: ["line"],
  summary: "Load a result saved with %save (checking its adapters) into a typed variable.",
  usage: [
    "%load FILE [--as NAME]",
    "",
    "Reads a file written by %save / medad.saveResult, checks its format version and the SHA-256 of every adapter",
    "copy, and binds the result (a medad.FewshotResult or medad.CompareResult) to `loadResult`, or NAME with --as.",
    "medad.loadedAdapters(NAME) lists the verified adapter files; pass one as options.checkpoint to score again.",
  ].join("\n"),
  resultType: "FewshotResult",
  resultTypeOf: (value) => (isCompareResult(value) ? "CompareResult" : "FewshotResult"),
  checkArgs: (invocation) => void loadFileArg(invocation),
  async run(invocation, ctx) {
    const tokens = [loadFileArg(invocation)];
    let result: FewshotResult | CompareResult;
    try {
      result = loadResult(tokens[0].text);
    } catch (err) {
      if (err instanceof SavedResultError) throw new MagicError(err.message, invocation.line, tokens[0].column);
      throw err;
    }
    ctx.print(`loaded ${summary(result)}\n`);
    for (const a of loadedAdapters(result)) ctx.print(`  adapter of run ${a.run}: ${a.file} (sha256 verified)\n`);
    return result;
  },
};
