// One ORT session for a gradient graph, reused for every training step: trainable tensors are graph inputs, so new
// parameter values are just new feeds (no session rebuild, frozen weights stay prepacked).
import { encodeModel } from "../onnx/writer";
import { createSession, EngineSession, EngineSessionOptions, Feed, Fetched } from "../runtime/session";
import type { GradientGraph } from "./gradient";

export interface StepResult {
  loss: number;
  /** Gradient per trainable input, same layout as the parameter. */
  gradients: Record<string, Float32Array>;
  /** Every output of the run (kept forward outputs, loss parts). */
  outputs: Record<string, Fetched>;
}

export class GradientSession {
  private constructor(
    private readonly session: EngineSession,
    private readonly grad: GradientGraph,
    private readonly shapes: Record<string, readonly number[]>,
  ) {}

  /** `params` gives each trainable input's shape (its dims are fixed for the session's lifetime). */
  static async create(
    grad: GradientGraph,
    params: { name: string; shape: readonly number[] }[],
    options: EngineSessionOptions = {},
  ): Promise<GradientSession> {
    for (const p of params)
      if (!(p.name in grad.gradients))
        throw new Error(`GradientSession: "${p.name}" is not a trainable input of this gradient graph`);
    const session = await createSession(encodeModel(grad.graph), options);
    return new GradientSession(session, grad, Object.fromEntries(params.map((p) => [p.name, p.shape])));
  }

  /** Runs one forward + backward with the current parameter values. */
  async run(feeds: Record<string, Feed>, params: Record<string, Float32Array>): Promise<StepResult> {
    const all: Record<string, Feed> = { ...feeds };
    for (const [name, dims] of Object.entries(this.shapes)) {
      const data = params[name];
      if (!data) throw new Error(`GradientSession: no value for parameter "${name}"`);
      all[name] = { data, dims };
    }
    const outputs = await this.session.run(all);
    const gradients: Record<string, Float32Array> = {};
    for (const name of Object.keys(this.shapes))
      gradients[name] = outputs[this.grad.gradients[name]].data as Float32Array;
    return { loss: Number(outputs[this.grad.lossOutput].data[0]), gradients, outputs };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
