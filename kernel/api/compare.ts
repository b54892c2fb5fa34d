import * as path from "path";
import type { FewshotOptions } from "../methods/runFewshot";
import type { FewshotResult } from "../methods/result";
import { gridCells, type GridSpec } from "../grid/spec";
import type { SlurmOptions } from "../grid/slurm";
import { summariseRuns, type CompareResult } from "../grid/summary";
import { cellSignal } from "./cellSignal";
import { compareInWorkers } from "./compareParallel";
import { compareOnSlurm } from "./compareSlurm";
import { fewshot } from "./fewshot";

export { compareTable, meanStd, summariseRuns } from "../grid/summary";
export type { CompareCell, CompareResult, MeanStd } from "../grid/summary";

export interface CompareOptions extends Omit<FewshotOptions, "method" | "shots" | "seed" | "onProgress"> {
  methods: string[];
  shots: number[];
  seeds: number[];
  /** "local" (default): this kernel's background worker; "slurm": an sbatch array job (docs/scale-out.md). */
  backend?: "local" | "slurm";
  /** Local backend: run the cells in this many worker processes at once (default 1, one after another). */
  parallel?: number;
  /** Slurm backend: the grid folder (on a filesystem the compute nodes share) and sbatch settings. */
  slurm?: SlurmOptions & { dir?: string; pollMs?: number };
}

/** The grid that compare() runs: the same spec `medad grid plan` writes into a manifest. */
export function compareSpec(options: CompareOptions): GridSpec {
  const { methods, shots, seeds, backend: _b, parallel: _p, slurm: _s, signal: _x, dataset, ...common } = options;
  const root = typeof dataset === "string" ? path.resolve(dataset) : dataset.root;
  return { methods, shots, seeds, common: { ...common, dataset: root } };
}

/**
 * Runs a grid of methods × shots × seeds and summarises each method × shots over the seeds. Locally the cells run
 * one after another in the background worker (features are cached, so every method after the first reuses the
 * encoder's work), or in `parallel` workers; on Slurm as one array job whose results are merged when all are in.
 */
export async function compare(options: CompareOptions): Promise<CompareResult> {
  const spec = compareSpec(options);
  const signal = options.signal ?? cellSignal();
  if (options.backend === "slurm") return compareOnSlurm(spec, options.slurm ?? {}, signal);
  if (options.backend !== undefined && options.backend !== "local")
    throw new Error(`compare: backend is "local" or "slurm", not '${options.backend as string}'`);
  const cells = gridCells(spec);
  let runs: FewshotResult[];
  if ((options.parallel ?? 1) > 1) {
    runs = await compareInWorkers(cells, options.parallel!, signal);
  } else {
    runs = [];
    for (const cell of cells) runs.push(await fewshot({ ...cell.params, signal }));
  }
  return { cells: summariseRuns(runs, spec.methods, spec.shots), runs };
}
