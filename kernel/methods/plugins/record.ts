// The `plugins` entry of a FewshotResult: which CCB/TSC modules ran, with which settings, and whether the scores
// became transductive — so a saved result says exactly what was measured and that it is our design, not the paper's.
import type { TscRun } from "../evaluate";
import type { PluginsRecord } from "../result";
import type { ActivePlugins } from "./apply";

export const PLUGINS_LABEL =
  "CCB/TSC-inspired plug-ins (our design after Nie et al., Pattern Recognition 2026; not the authors' code)";

export function pluginsRecord(p: ActivePlugins, tscRun: TscRun | undefined, base: string): PluginsRecord {
  const samples = p.tsc?.mode === "samples";
  const parts = [p.ccb ? "CCB" : "", p.tsc ? `TSC-${p.tsc.mode}` : ""].filter(Boolean).join(" + ");
  return {
    label: `${parts} (CCB/TSC-inspired)`,
    base,
    ccb: p.ccb
      ? {
          ...p.ccb,
          betaMode: "fixed (training-free; applied at inference to the base method's features, support bank included)",
          seed: p.seed,
          images: p.applied.ccbImages,
        }
      : null,
    tsc: p.tsc
      ? {
          ...relevantTsc(p.tsc),
          ...(tscRun ? { run: tscRun } : {}),
          ...(p.tsc.mode === "patches" ? { images: p.applied.tscPatchImages } : {}),
        }
      : null,
    transductive: samples,
    note:
      `${PLUGINS_LABEL}; base method '${base}'.` +
      (samples
        ? " TSC-samples propagates image scores over a k-NN graph of the evaluated test images: transductive — each score depends on the other test images, and the result changes with the test set's composition."
        : ""),
  };
}

/** The TSC settings that mean something in the mode that ran. */
function relevantTsc(t: NonNullable<ActivePlugins["tsc"]>): Record<string, unknown> {
  const { node, topFraction, ...rest } = t;
  return t.mode === "samples" ? { ...rest, node } : { ...rest, topFraction };
}
