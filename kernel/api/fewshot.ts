import * as path from "path";
import type { FewshotOptions } from "../methods/runFewshot";
import type { FewshotResult } from "../methods/result";
import type { FewshotJobParams } from "../worker/fewshotJob";
import { runInBackground } from "./background";
import { cellSignal } from "./cellSignal";

/**
 * Runs a few-shot method on a dataset in the background worker, with a live progress bar in the running cell;
 * the cell's stop button (or `signal`) stops it. Same options and result as the in-process `fewshotInProcess`.
 */
export async function fewshot(options: FewshotOptions): Promise<FewshotResult> {
  const { dataset, onProgress, signal, ...rest } = options;
  const root = typeof dataset === "string" ? path.resolve(dataset) : dataset.root;
  const params: FewshotJobParams = { ...rest, dataset: root, model: resolveLocal(rest.model) };
  const title = `${rest.method} · ${path.basename(root)} · ${rest.shots ?? 4}-shot`;
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
