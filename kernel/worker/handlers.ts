import { fewshotJob } from "./fewshotJob";
import { checkAbort } from "../util/cancellation";
import type { JobHandler } from "./jobs";

/**
 * The jobs the worker can run, by kind. Methods register their training/evaluation jobs here; `sleep-steps` is a
 * deterministic job used to test progress, cancellation and crashes of the worker itself.
 */
export const jobHandlers: Record<string, JobHandler> = {
  fewshot: fewshotJob,
  "sleep-steps": async (params, ctx) => {
    const { steps, stepMs, crashAt, busyAt } = params as {
      steps: number;
      stepMs: number;
      crashAt?: number;
      busyAt?: number;
    };
    const started = Date.now();
    for (let step = 1; step <= steps; step++) {
      checkAbort(ctx.signal);
      if (step === crashAt) process.exit(9);
      // A step that blocks the event loop (a long synchronous computation) cannot see the cancel message.
      if (step === busyAt) for (;;);
      await new Promise((r) => setTimeout(r, stepMs));
      const rate = step / ((Date.now() - started) / 1000);
      ctx.progress({
        phase: "steps",
        done: step,
        total: steps,
        step,
        loss: 1 / step,
        throughput: rate,
        etaS: (steps - step) / rate,
      });
    }
    return { steps };
  },
};
