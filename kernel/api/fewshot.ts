import * as path from "path";
import type { FewshotOptions } from "../methods/runFewshot";
import type { FewshotResult } from "../methods/result";
import type { FewshotJobParams } from "../worker/fewshotJob";
import { checkFewshotOptions, optionDefault } from "../methods/fewshotOptions";
import { parseMethodName } from "../methods/plugins/methodName";
import { runInBackground } from "./background";
import { cellSignal } from "./cellSignal";

/**
 * Runs a few-shot method on a dataset in the background worker, with a live progress bar in the running cell;
 * the cell's stop button (or `signal`) stops it. Same options and result as the in-process `fewshotInProcess`.
 */
export async function fewshot(options: FewshotOptions): Promise<FewshotResult> {
  // Checked here too, so a bad option fails in the cell before a worker starts (the worker's fewshot() checks again).
  checkFewshotOptions(options);
  const { dataset, onProgress, signal, ...rest } = options;
  const root = typeof dataset === "string" ? path.resolve(dataset) : dataset.root;
  const params: FewshotJobParams = { ...rest, dataset: root, model: resolveLocal(rest.model) };
  const title = `${rest.method} · ${path.basename(root)} · ${rest.shots ?? defaultShots(rest.method, rest.options)}-shot`;
  return runInBackground<FewshotResult>(
    "fewshot",
    params,
    title,
    signal ?? cellSignal(),
    onProgress ? (p) => onProgress(p.done, p.total, p.phase as never) : undefined,
  );
}

/** A relative model folder means "relative to this kernel's working folder" (the worker has its own). */
function resolveLocal(model: string): string {
  return model.startsWith(".") || path.isAbsolute(model) ? path.resolve(model) : model;
}

/** The shots a run without `shots` uses: its base method's default (MadCLIP 16, others 4). */
function defaultShots(method: string, options: Record<string, unknown> | undefined): number {
  let base = method;
  try {
    base = parseMethodName(method, options?.base).base;
  } catch {
    // A bad name fails in the worker with the list of methods; the title only needs a number.
  }
  return optionDefault<number>("shots", base)!;
}
