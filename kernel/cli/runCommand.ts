import * as path from "path";
import { KernelClient } from "../client/kernelClient";
import { NotebookFileError, readNotebook } from "../notebook/ipynb";
import { runNotebook, type CellReport } from "../notebook/runNotebook";
import { injectParameters, parseParamArg } from "../notebook/parameters";
import { outputProblem, saveExecuted } from "./runOutput";
import { parseArgs } from "./args";
import { UsageError, type CliCommand, type CliIo } from "./command";

const usage = `usage: medad run NOTEBOOK.ipynb [--out EXECUTED.ipynb | --inplace] [--allow-errors] [--timeout SECONDS] [--verbose]
                 [--param NAME=VALUE ...]

Executes every code cell of NOTEBOOK in order in a fresh MedAD Lab kernel (working folder: the notebook's folder)
and writes the notebook with its outputs. Stops at the first failing cell and exits 1 (outputs so far are written).

  --out PATH        where to write the executed notebook (default: NOTEBOOK.executed.ipynb beside it)
  --inplace         overwrite NOTEBOOK itself
  --allow-errors    run every cell even after failures (exit code is still 1 if any failed)
  --timeout S       interrupt a cell that runs longer than S seconds (default: no limit)
  --verbose         print the kernel's log to stderr
  --param N=V       override a default of the cell tagged 'parameters' (which declares it with let); V is JSON
                    when it parses (2, true, ["a","b"]), else text. Repeatable. The executed notebook keeps the
                    injected cell (tagged 'injected-parameters') after the parameters cell.
`;

/** Pulls every --param out of the arguments (parseArgs keeps one value per option). */
function takeParams(args: string[]): { rest: string[]; params: Record<string, unknown> } {
  const rest: string[] = [];
  const params: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a !== "--param" && !a.startsWith("--param=")) {
      rest.push(a);
      continue;
    }
    const value = a === "--param" ? args[++i] : a.slice("--param=".length);
    if (value === undefined) throw new UsageError("--param needs NAME=VALUE");
    try {
      const [name, v] = parseParamArg(value);
      params[name] = v;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  return { rest, params };
}

function defaultOutPath(input: string): string {
  return input.replace(/(\.ipynb)?$/i, ".executed.ipynb");
}

function firstLine(source: string): string {
  const line = source.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 60 ? line.slice(0, 57) + "..." : line;
}

function describeFailure(report: CellReport): string {
  const errors = report.outputs.filter((o) => o.kind === "error");
  if (errors.length === 0) return `cell ${report.index} ended: ${report.status}`;
  return errors
    .map((e) => [`${e.ename}: ${e.evalue}`, ...e.traceback.filter((t) => t !== `${e.ename}: ${e.evalue}`)].join("\n  "))
    .join("\n");
}

export const runCommand: CliCommand = {
  path: ["run"],
  summary: "Execute a notebook headless and write its outputs",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { rest, params } = takeParams(args);
    const { positional, options } = parseArgs(rest, ["out", "timeout"], ["inplace", "allow-errors", "verbose"]);
    if (positional.length !== 1)
      throw new UsageError(
        positional.length === 0 ? "which notebook? give NOTEBOOK.ipynb" : "give exactly one notebook",
      );
    const input = path.resolve(positional[0]);
    if (options.has("out") && options.has("inplace")) throw new UsageError("--out and --inplace exclude each other");
    const out = options.has("inplace") ? input : path.resolve(options.get("out") ?? defaultOutPath(input));
    if (out === input && !options.has("inplace"))
      throw new UsageError(`--out is the input notebook; add --inplace to overwrite ${positional[0]}`);
    const timeoutS = options.has("timeout") ? Number(options.get("timeout")) : undefined;
    if (timeoutS !== undefined && !(timeoutS > 0)) throw new UsageError("--timeout needs a positive number of seconds");

    let notebook;
    try {
      notebook = readNotebook(input);
    } catch (err) {
      if (err instanceof NotebookFileError) {
        io.err(`medad run: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    try {
      notebook = injectParameters(notebook, params, positional[0]);
    } catch (err) {
      io.err(`medad run: ${(err as Error).message}\n`);
      return 1;
    }
    const language = (notebook.metadata.kernelspec as { language?: string } | undefined)?.language;
    if (language && !/^(typescript|javascript)$/i.test(language)) {
      io.err(
        `medad run: warning: ${positional[0]} declares kernel language '${language}'; its cells run as TypeScript here.\n`,
      );
    }
    const unwritable = outputProblem(out);
    if (unwritable) {
      io.err(`medad run: ${unwritable}\n`);
      return 1;
    }

    const verbose = options.has("verbose");
    const kernel = new KernelClient({
      cwd: path.dirname(input),
      log: verbose ? (l) => io.err(`[kernel] ${l}\n`) : undefined,
    });
    let stopRequested = false;
    const onSigint = () => {
      stopRequested = true;
      kernel.interrupt();
    };
    process.on("SIGINT", onSigint);
    const started = performance.now();
    try {
      const codeCells = notebook.cells.filter((c) => c.cell_type === "code").length;
      let n = 0;
      const summary = await runNotebook(notebook, kernel, {
        allowErrors: options.has("allow-errors"),
        timeoutMs: timeoutS !== undefined ? timeoutS * 1000 : undefined,
        shouldStop: () => stopRequested,
        onCellStart: (index, source) => io.err(`[${++n}/${codeCells}] cell ${index}: ${firstLine(source)}\n`),
        onCellEnd: (report) => {
          io.err(`        ${report.status} (${(report.durationMs / 1000).toFixed(2)} s)\n`);
          if (report.status !== "ok") io.err(`${describeFailure(report)}\n`);
        },
      });
      const written = saveExecuted(out, summary.notebook, io);
      if (!written) return 1;
      if (written !== out) return stopRequested ? 130 : 1;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (stopRequested) {
        io.err(`medad run: interrupted; outputs so far written to ${out}\n`);
        return 130;
      }
      if (summary.failed) {
        io.err(
          `medad run: cell ${summary.failed.index} failed (${summary.failed.status}); outputs so far written to ${out} (${seconds} s)\n`,
        );
        return 1;
      }
      io.err(`medad run: ${summary.reports.length} code cells ran; wrote ${out} (${seconds} s)\n`);
      return 0;
    } finally {
      process.off("SIGINT", onSigint);
      await kernel.shutdown();
    }
  },
};
