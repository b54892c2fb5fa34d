// Convenience layer: a CLIP checkpoint folder → config + lazily loaded tower weights → graphs → ready encoders.
import * as fs from "fs";
import * as path from "path";
import { encodeModel } from "../onnx/writer";
import { createSession, EngineSession, EngineSessionOptions, Fetched } from "../runtime/session";
import { ClipConfig, readClipConfig } from "../weights/clipConfig";
import {
  detectScheme,
  loadTextWeights,
  loadVisionWeights,
  NamingScheme,
  TextWeights,
  VisionWeights,
} from "../weights/clipWeights";
import { WeightsError } from "../weights/errors";
import { detectLayout } from "../weights/modelLayout";
import { SafetensorsFile } from "../weights/safetensors";
import { buildTextGraph, TextGraph, TextGraphOptions } from "./text";
import { buildVisionGraph, VisionGraph, VisionGraphOptions } from "./vision";

export interface ClipModelFiles {
  config: string;
  weights: string;
}

const CONFIG_NAMES = ["config.json", "open_clip_config.json"];
const WEIGHT_NAMES = ["model.safetensors", "open_clip_model.safetensors"];

/** Finds config + safetensors in a checkpoint folder (HF or OpenCLIP layout). */
export function resolveModelFiles(dir: string): ClipModelFiles {
  const layout = detectLayout(dir);
  if (layout && layout.weights.endsWith(".safetensors")) return { config: layout.config, weights: layout.weights };
  if (layout) {
    throw new WeightsError(
      layout.weights,
      undefined,
      "PyTorch weights are read through the model cache, which converts them " +
        "once to safetensors: pass the folder as --model / model: (resolveModelDir), not to ClipModel.load",
    );
  }
  const pick = (names: string[], what: string) => {
    for (const n of names) if (fs.existsSync(path.join(dir, n))) return path.join(dir, n);
    throw new WeightsError(
      dir,
      undefined,
      `no ${what} found (looked for ${names.join(", ")}). Point --model / model: at a CLIP folder that has ` +
        "them, or download one with 'medad models pull <org/name>' (see 'medad models list').",
    );
  };
  return { config: pick(CONFIG_NAMES, "config"), weights: pick(WEIGHT_NAMES, "safetensors weights") };
}

export class ClipModel {
  private vision?: VisionWeights;
  private text?: TextWeights;
  readonly scheme: NamingScheme;

  private constructor(
    readonly files: ClipModelFiles,
    readonly config: ClipConfig,
    private readonly st: SafetensorsFile,
  ) {
    this.scheme = detectScheme(st);
  }

  /** Opens a checkpoint folder or explicit files; reads only the header until a tower is requested. */
  static load(source: string | ClipModelFiles): ClipModel {
    const files = typeof source === "string" ? resolveModelFiles(source) : source;
    const config = readClipConfig(files.config);
    const st = SafetensorsFile.open(files.weights);
    try {
      return new ClipModel(files, config, st);
    } catch (e) {
      st.close();
      throw e;
    }
  }

  visionWeights(): VisionWeights {
    return (this.vision ??= this.blamingConfig(() => loadVisionWeights(this.st, this.config, this.scheme)));
  }

  textWeights(): TextWeights {
    return (this.text ??= this.blamingConfig(() => loadTextWeights(this.st, this.config, this.scheme)));
  }

  /** A tensor missing or of the wrong shape usually means the config does not describe these weights: say so,
   * naming the config file and the fields that were absent and took defaults. */
  private blamingConfig<T>(load: () => T): T {
    try {
      return load();
    } catch (e) {
      if (!(e instanceof WeightsError) || e.file !== this.files.weights || !/not found|does not match/.test(e.message))
        throw e;
      const d = this.config.defaulted;
      throw new WeightsError(
        this.files.config,
        d.length ? `fields ${d.join(", ")}` : undefined,
        (d.length ? "are missing and took defaults, and " : "") +
          `this config does not describe the weights in ${this.files.weights} ` +
          `(${e.what}: ${e.message.slice(e.message.lastIndexOf(": ") + 2)}); set the config to the checkpoint's architecture`,
      );
    }
  }

  buildVision(opts: VisionGraphOptions = {}): VisionGraph {
    if (!this.config.vision) throw new WeightsError(this.files.config, "config", "this checkpoint has no vision tower");
    return buildVisionGraph(this.visionWeights(), this.config.vision, opts);
  }

  buildText(opts: TextGraphOptions = {}): TextGraph {
    if (!this.config.text) throw new WeightsError(this.files.config, "config", "this checkpoint has no text tower");
    return buildTextGraph(this.textWeights(), this.config.text, opts);
  }

  /** Drops cached weights (they live on in built graphs/sessions only as long as those are referenced). */
  close(): void {
    this.vision = undefined;
    this.text = undefined;
    this.st.close();
  }
}

/** A vision session plus its graph description. `encode` takes NCHW float32 pixels. */
export class ClipVisionEncoder {
  private constructor(
    readonly graph: Omit<VisionGraph, "graph">,
    readonly session: EngineSession,
    private readonly channels: number,
    private readonly size: number,
  ) {}

  static async create(
    model: ClipModel,
    opts: VisionGraphOptions = {},
    sessionOptions: EngineSessionOptions = {},
  ): Promise<ClipVisionEncoder> {
    const g = model.buildVision(opts);
    const session = await createSession(encodeModel(g.graph), sessionOptions);
    const { graph: _graph, ...info } = g;
    return new ClipVisionEncoder(
      info,
      session,
      model.config.vision!.numChannels,
      opts.imageSize ?? model.config.vision!.imageSize,
    );
  }

  async encode(pixels: Float32Array, batch: number): Promise<Record<string, Fetched>> {
    const per = this.channels * this.size * this.size;
    if (pixels.length !== batch * per)
      throw new RangeError(
        `expected ${batch}×${this.channels}×${this.size}×${this.size} = ${batch * per} pixels, got ${pixels.length}`,
      );
    return this.session.run({ pixels: { data: pixels, dims: [batch, this.channels, this.size, this.size] } });
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/** A text session; ids mode takes [batch, context] token ids, embeddings mode takes embeddings + EOT indices. */
export class ClipTextEncoder {
  private constructor(
    readonly graph: Omit<TextGraph, "graph">,
    readonly session: EngineSession,
    private readonly width: number,
  ) {}

  static async create(
    model: ClipModel,
    opts: TextGraphOptions = {},
    sessionOptions: EngineSessionOptions = {},
  ): Promise<ClipTextEncoder> {
    const g = model.buildText(opts);
    const session = await createSession(encodeModel(g.graph), sessionOptions);
    const { graph: _graph, ...info } = g;
    return new ClipTextEncoder(info, session, model.config.text!.hiddenSize);
  }

  /** Returns [batch, projectionDim] (not normalised). */
  async encodeIds(ids: BigInt64Array): Promise<Fetched> {
    const ctx = this.graph.contextLength;
    if (!this.graph.inputs.includes("input_ids"))
      throw new Error('this text encoder was built for input embeddings (input: "embeddings")');
    if (ids.length % ctx !== 0) throw new RangeError(`token ids must be [batch, ${ctx}], got ${ids.length} values`);
    return (await this.session.run({ input_ids: { data: ids, dims: [ids.length / ctx, ctx] } }))[this.graph.output];
  }

  async encodeEmbeddings(embeds: Float32Array, eotIndex: BigInt64Array): Promise<Fetched> {
    const ctx = this.graph.contextLength;
    if (!this.graph.inputs.includes("input_embeds"))
      throw new Error('this text encoder was built for token ids (input: "ids")');
    const batch = eotIndex.length;
    if (embeds.length !== batch * ctx * this.width)
      throw new RangeError(`input embeddings must be [${batch}, ${ctx}, ${this.width}], got ${embeds.length} values`);
    return (
      await this.session.run({
        input_embeds: { data: embeds, dims: [batch, ctx, this.width] },
        eot_index: { data: eotIndex, dims: [batch] },
      })
    )[this.graph.output];
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
