/**
 * `medad.show.*`: pictures of finished runs in one call — what `%roc`, `%tsne`, `%heatmap` and `%explore` run.
 * Each accepts a FewshotResult, a CompareResult or an array of FewshotResults (tsne and heatmap need one run).
 */
import { EXPLORE_MIME, type ExploreRequest } from "../protocol/explorer";
import type { HeatmapOptions } from "../viz/payloads/heatmapPayload";
import type { RocOptions } from "../viz/payloads/rocPayload";
import { display } from "./display";
import { heatmapOf, rocMethods, runNames, runsOf, tsneInputOf } from "./resultViews";

/** The text a notebook keeps for `%explore`; in `medad run` (no VS Code) it is all there is. */
export function exploreNote(methods: string[]): string {
  return `Opened ${methods.join(", ")} in the MedAD Results Explorer. (The explorer is a VS Code panel; outside VS Code, e.g. in 'medad run', use %heatmap to see the cases.)`;
}

export const show = {
  /** ROC curves of every run in the result, with exact AUROC. */
  roc(result: unknown, options?: RocOptions): void {
    display.roc(rocMethods(result), options);
  },
  /** Seeded t-SNE of the test images (stored anomaly maps, else per-level scores), coloured by truth and outcome. */
  tsne(result: unknown): void {
    display.tsne(tsneInputOf(result));
  },
  /** Test images sorted by score with anomaly-map overlays and mask contours; `cases` (default 40) evenly over the ranking. */
  heatmap(result: unknown, options: HeatmapOptions & { cases?: number } = {}): void {
    display.heatmap(heatmapOf(result, options));
  },
  /** Opens the result's cases in the explorer panel (every run of a compare result as its own method). */
  explore(result: unknown, options: { cases?: number } = {}): void {
    const runs = runsOf(result, "explore");
    const names = runNames(runs);
    const request: ExploreRequest = {
      version: 1,
      methods: runs.map((r, i) => ({
        method: names[i],
        payload: heatmapOf(r, { cases: options.cases, title: names[i] }),
      })),
    };
    display.bundle({ [EXPLORE_MIME]: request, "text/plain": exploreNote(names) });
  },
};
