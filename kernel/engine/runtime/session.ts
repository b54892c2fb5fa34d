// ONNX Runtime sessions for graphs we built: created from in-memory bytes (no temp files) unless the model carries
// external data, which ORT can only resolve relative to a model path — then both go to a private temp folder that
// is removed once the session has loaded.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { InferenceSession as OrtSession, Tensor as OrtTensor } from "onnxruntime-node";
import type { EncodedModel } from "../onnx/writer";
import { resolveDevice, Device, CudaProbe } from "./device";

export interface EngineSessionOptions {
  /** "auto" uses CUDA when its execution provider is installed and works, else CPU. Default "cpu". */
  device?: Device;
  /** Intra-op threads (default: ORT's choice = physical cores). */
  intraOpThreads?: number;
  interOpThreads?: number;
  graphOptimizationLevel?: "disabled" | "basic" | "extended" | "all";
  /** For tests: replaces the CUDA availability check. */
  cudaProbe?: CudaProbe;
}

export type FeedArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

export interface Feed {
  data: FeedArray;
  dims: readonly number[];
}

export interface Fetched {
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;
  dims: number[];
}

type Ort = typeof import("onnxruntime-node");
let ortModule: Ort | undefined;
/** Loaded lazily: importing the engine must not load the native binding. */
export function ort(): Ort {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose (native addon, ~300 MB package)
  if (!ortModule) ortModule = require("onnxruntime-node") as Ort;
  return ortModule;
}

function dtypeOf(data: FeedArray): "float32" | "float64" | "int64" | "int32" | "uint8" {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64"; // float64 graphs: finite-difference checks of gradients
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof Int32Array) return "int32";
  return "uint8";
}

export class EngineSession {
  constructor(
    private readonly session: OrtSession,
    readonly device: "cpu" | "cuda",
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Runs the graph; `fetch` limits which outputs are computed (default: all). */
  async run(feeds: Record<string, Feed>, fetch?: readonly string[]): Promise<Record<string, Fetched>> {
    const { Tensor } = ort();
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const [name, f] of Object.entries(feeds)) ortFeeds[name] = new Tensor(dtypeOf(f.data), f.data, f.dims);
    const results = fetch ? await this.session.run(ortFeeds, fetch as string[]) : await this.session.run(ortFeeds);
    const out: Record<string, Fetched> = {};
    for (const [name, t] of Object.entries(results)) {
      out[name] = { data: t.data as Fetched["data"], dims: [...t.dims] };
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export async function createSession(
  model: EncodedModel | Uint8Array,
  options: EngineSessionOptions = {},
): Promise<EngineSession> {
  const encoded: EncodedModel = model instanceof Uint8Array ? { model } : model;
  const device = resolveDevice(options.device ?? "cpu", options.cudaProbe);
  const sessionOptions: OrtSession.SessionOptions = {
    executionProviders: device === "cuda" ? ["cuda", "cpu"] : ["cpu"],
    graphOptimizationLevel: options.graphOptimizationLevel ?? "all",
  };
  if (options.intraOpThreads !== undefined) {
    if (!Number.isInteger(options.intraOpThreads) || options.intraOpThreads < 0) {
      throw new RangeError(
        `intraOpThreads must be a non-negative integer (0 = ORT default), got ${options.intraOpThreads}`,
      );
    }
    sessionOptions.intraOpNumThreads = options.intraOpThreads;
  }
  if (options.interOpThreads !== undefined) sessionOptions.interOpNumThreads = options.interOpThreads;

  const { InferenceSession } = ort();
  try {
    if (!encoded.externalData)
      return new EngineSession(await InferenceSession.create(encoded.model, sessionOptions), device);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-onnx-"));
    try {
      const modelPath = path.join(dir, "model.onnx");
      fs.writeFileSync(modelPath, encoded.model);
      fs.writeFileSync(path.join(dir, encoded.externalData.location), encoded.externalData.bytes);
      return new EngineSession(await InferenceSession.create(modelPath, sessionOptions), device);
    } finally {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        // Windows keeps mapped files locked; the OS temp cleaner gets them later. Never mask the real outcome.
      }
    }
  } catch (e) {
    // "auto" promises a working session: if the CUDA provider is present but cannot start (no driver, no GPU), use CPU.
    if (device === "cuda" && options.device === "auto") return createSession(encoded, { ...options, device: "cpu" });
    if (device === "cuda") {
      throw new Error(
        `Could not create an ONNX Runtime session on CUDA: ${(e as Error).message}. Use device "cpu" (or "auto").`,
      );
    }
    throw e;
  }
}
