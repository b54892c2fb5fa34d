import type { FewshotOptions } from "../methods/runFewshot";
import type * as RunFewshot from "../methods/runFewshot";
import type { FewshotResult } from "../methods/result";
import type { JobHandler } from "./jobs";

/** `fewshot` options that cross the process boundary: the dataset by path, no callbacks. */
export type FewshotJobParams = Omit<FewshotOptions, "dataset" | "onProgress" | "signal"> & { dataset: string };

/** Runs medad.fewshot inside the worker, turning its (done, total, phase) callbacks into job progress with an ETA. */
export const fewshotJob: JobHandler = async (params, ctx): Promise<FewshotResult> => {
  // Loaded on first use so that a worker running other jobs never loads ONNX Runtime for nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fewshot } = require("../methods/runFewshot") as typeof RunFewshot;
  let phase = "";
  let phaseStart = Date.now();
  return fewshot({
    ...(params as FewshotJobParams),
    signal: ctx.signal,
    onProgress: (done, total, next, detail) => {
      if (next !== phase) {
        phase = next;
        phaseStart = Date.now();
      }
      const rate = done / Math.max(1e-3, (Date.now() - phaseStart) / 1000);
      ctx.progress({ phase, done, total, throughput: rate, etaS: (total - done) / rate, ...detail });
    },
  });
};
