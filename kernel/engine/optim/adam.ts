// Adam and AdamW on Float32Array parameters, with torch.optim semantics (torch 1.13 _single_tensor_adam):
//   Adam:  g ← g + wd·θ (L2 folded into the gradient)          AdamW: θ ← θ·(1 − lr·wd) (decoupled decay)
//   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
//   θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps)
// Per-element arithmetic is done in float64 and stored as float32 (torch keeps float32 state for float32 params).
// State is plain Float32Arrays keyed by parameter name, so checkpoints can store it as safetensors.

export interface AdamOptions {
  lr: number;
  /** Default [0.9, 0.999]; MVFA and MadCLIP use [0.5, 0.999]. */
  betas?: [number, number];
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 0.01, as torch). */
  weightDecay?: number;
}

export interface AdamState {
  kind: "adam" | "adamw";
  step: number;
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** First and second moments per parameter name. */
  expAvg: Record<string, Float32Array>;
  expAvgSq: Record<string, Float32Array>;
}

export class Adam {
  protected stepCount = 0;
  protected readonly m: Record<string, Float32Array> = {};
  protected readonly v: Record<string, Float32Array> = {};
  lr: number;
  readonly betas: [number, number];
  readonly eps: number;
  readonly weightDecay: number;

  constructor(
    readonly params: Record<string, Float32Array>,
    opts: AdamOptions,
    protected readonly decoupled = false,
  ) {
    this.lr = opts.lr;
    this.betas = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? (decoupled ? 0.01 : 0);
    const [b1, b2] = this.betas;
    if (
      !(opts.lr >= 0) ||
      !(b1 >= 0 && b1 < 1) ||
      !(b2 >= 0 && b2 < 1) ||
      !(this.eps >= 0) ||
      !(this.weightDecay >= 0)
    ) {
      throw new RangeError(
        `invalid Adam settings: lr ${opts.lr}, betas [${b1}, ${b2}], eps ${this.eps}, weight decay ${this.weightDecay}`,
      );
    }
    for (const [name, p] of Object.entries(params)) {
      this.m[name] = new Float32Array(p.length);
      this.v[name] = new Float32Array(p.length);
    }
  }

  get steps(): number {
    return this.stepCount;
  }

  /** One update of every parameter from its gradient (same name, same length). Missing gradients count as zero. */
  step(grads: Record<string, ArrayLike<number>>): void {
    for (const name of Object.keys(grads)) {
      if (!(name in this.params)) throw new Error(`Adam: gradient for unknown parameter "${name}"`);
    }
    this.stepCount++;
    const [b1, b2] = this.betas;
    const t = this.stepCount;
    const stepSize = this.lr / (1 - b1 ** t);
    const bc2Sqrt = Math.sqrt(1 - b2 ** t);
    const decay = this.decoupled ? 1 - this.lr * this.weightDecay : 1;
    const l2 = this.decoupled ? 0 : this.weightDecay;
    for (const [name, p] of Object.entries(this.params)) {
      const g = grads[name];
      if (g && g.length !== p.length)
        throw new Error(`Adam: gradient of "${name}" has ${g.length} elements, the parameter ${p.length}`);
      const m = this.m[name];
      const v = this.v[name];
      for (let i = 0; i < p.length; i++) {
        let theta = p[i] * decay;
        const gi = (g ? g[i] : 0) + l2 * p[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        theta -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + this.eps);
        p[i] = theta;
      }
    }
  }

  /** A copy of the optimiser state (moments are copied, so later steps do not change it). */
  toState(): AdamState {
    const copy = (r: Record<string, Float32Array>) =>
      Object.fromEntries(Object.entries(r).map(([k, a]) => [k, a.slice()]));
    return {
      kind: this.decoupled ? "adamw" : "adam",
      step: this.stepCount,
      lr: this.lr,
      betas: [...this.betas],
      eps: this.eps,
      weightDecay: this.weightDecay,
      expAvg: copy(this.m),
      expAvgSq: copy(this.v),
    };
  }

  /** Restores moments and step count saved by toState into this optimiser (to resume training). */
  loadState(s: AdamState): void {
    for (const name of Object.keys(this.params)) {
      const m = s.expAvg[name];
      const v = s.expAvgSq[name];
      if (!m || !v || m.length !== this.params[name].length || v.length !== this.params[name].length) {
        throw new Error(
          `Adam state has no moments of the right size for parameter "${name}"; was it saved for another model?`,
        );
      }
      this.m[name].set(m);
      this.v[name].set(v);
    }
    this.stepCount = s.step;
  }

  /** A new optimiser from a saved state (hyper-parameters come from the state too). */
  static fromState(params: Record<string, Float32Array>, s: AdamState): Adam {
    const opt =
      s.kind === "adamw"
        ? new AdamW(params, { lr: s.lr, betas: s.betas, eps: s.eps, weightDecay: s.weightDecay })
        : new Adam(params, { lr: s.lr, betas: s.betas, eps: s.eps, weightDecay: s.weightDecay });
    opt.loadState(s);
    return opt;
  }
}

export class AdamW extends Adam {
  constructor(params: Record<string, Float32Array>, opts: AdamOptions) {
    super(params, opts, true);
  }
}
