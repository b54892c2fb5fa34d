/**
 * Runs a selection policy over a training run: after every epoch (trainLoop's `afterEpoch`) it scores the selection
 * images with the current parameters, keeps a copy of the best epoch's parameters, and at the end puts them back
 * so the method's usual scoring reports that epoch. Scores are evaluated as the references do per epoch: global
 * min–max over the scored images (evaluate()'s "reference" protocol), image AUROC, plus pixel AUROC where the
 * images have masks (MVFA/MadCLIP keep the best AUC + pAUC; MediCLIP's BUSI rule, mean of both, ranks the same);
 * the first epoch reaching the best value wins (they save only on a strict improvement).
 */
import type { Sample } from "../../data/types";
import type { NamedTensor } from "../../engine/train/checkpoint";
import { evaluate } from "../evaluate";
import type { MethodContext } from "../method";
import type { ScoredSet } from "../result";
import type { SelectionPolicy } from "./policy";
import type { EpochMetrics, SelectionRecord } from "./record";

export interface EpochSelectorOptions {
  /** Scores `samples` with the parameters as they are now (the method's own scoring path). */
  score(samples: Sample[]): Promise<ScoredSet>;
  imageScore: "branches" | "map-max";
  weights?: Record<string, number>;
  /** Added to max − min in the min–max (MVFA 0, MadCLIP 1e-4). */
  eps?: number;
}

export class EpochSelector {
  readonly policy: SelectionPolicy;
  private readonly samples: Sample[];
  private readonly perEpoch: EpochMetrics[] = [];
  private best?: { epoch: number; value: number; params: Map<string, Float32Array> };

  constructor(
    ctx: MethodContext,
    private readonly params: Record<string, NamedTensor>,
    private readonly o: EpochSelectorOptions,
  ) {
    this.policy = ctx.selection?.policy ?? "last";
    this.samples =
      this.policy === "test-best" ? ctx.test : this.policy === "validation" ? ctx.selection!.validation : [];
    if (this.policy === "validation" && this.samples.length === 0)
      throw new Error("selection: validation was asked for but fewshot() passed no held-out valid images");
  }

  /** trainLoop's per-epoch hook (undefined under `last`, which needs none). */
  get afterEpoch(): ((epoch: number, loss: number) => Promise<void>) | undefined {
    return this.policy === "last" ? undefined : (epoch, loss) => this.evaluateEpoch(epoch, loss);
  }

  private async evaluateEpoch(epoch: number, loss: number): Promise<void> {
    const set = await this.o.score(this.samples);
    const ev = evaluate(set, {
      protocol: "reference",
      imageScore: this.o.imageScore,
      weights: this.o.weights,
      eps: this.o.eps,
      perLayerPixel: false,
    });
    const imageAuroc = ev.metrics.image.auroc;
    const pixelAuroc = ev.metrics.pixel?.auroc;
    const criterion = imageAuroc + (pixelAuroc ?? 0);
    this.perEpoch.push({ epoch, loss, imageAuroc, ...(pixelAuroc !== undefined ? { pixelAuroc } : {}), criterion });
    if (!this.best || criterion > this.best.value) {
      const copy = new Map(Object.entries(this.params).map(([n, t]) => [n, Float32Array.from(t.data)]));
      this.best = { epoch, value: criterion, params: copy };
    }
  }

  /** Restores the chosen epoch's parameters (in place) and returns the record for the result. */
  finish(run: { epochLosses: number[]; resumedFromEpoch: number }, epochs: number): SelectionRecord {
    const start = run.resumedFromEpoch;
    if (this.best) for (const [n, data] of this.best.params) this.params[n].data.set(data);
    const perEpoch =
      this.policy === "last" ? run.epochLosses.map((loss, i) => ({ epoch: start + i + 1, loss })) : this.perEpoch;
    const normal = this.samples.filter((s) => s.label === "normal").length;
    const pixel = this.perEpoch.some((e) => e.pixelAuroc !== undefined);
    return {
      policy: this.policy,
      transductive: this.policy === "test-best",
      chosenEpoch: this.best?.epoch ?? epochs,
      epochs,
      resumedFromEpoch: start,
      criterion:
        this.policy === "last"
          ? "none: the final epoch of a fixed count"
          : `image AUROC${pixel ? " + pixel AUROC" : ""} after each epoch (global min–max over the scored images; first best kept)`,
      evaluatedOn: {
        split: this.policy === "test-best" ? "test" : this.policy === "validation" ? "valid" : null,
        images: this.samples.length,
        normal,
        abnormal: this.samples.length - normal,
      },
      perEpoch,
      note:
        this.policy === "test-best"
          ? "the references' protocol: the test set was scored after every epoch and the best epoch reported — transductive, optimistic"
          : this.policy === "validation"
            ? "chosen on labelled valid-split images that are not support images; the test set was not looked at"
            : "the final epoch; the test set was not looked at",
    };
  }
}
