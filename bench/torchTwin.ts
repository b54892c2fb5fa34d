// The PyTorch side of `npm run bench:train`: writes the exact trunk/adapter weights, inputs and our own loss and
// gradients to a temp safetensors file, starts bench/torch/mvfa_step.py on it (which checks equivalence and then
// waits), and runs one torch step per `step()` call so the caller can interleave ours/torch in one process tree.
import { ChildProcessByStdio, spawn, spawnSync } from "child_process";
import type { Readable, Writable } from "stream";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as readline from "readline";
import { resizePositionEmbedding } from "../kernel/engine/clip/posEmbedResize";
import type { Feed } from "../kernel/engine/runtime/session";
import type { VisionConfig } from "../kernel/engine/weights/clipConfig";
import type { VisionWeights } from "../kernel/engine/weights/clipWeights";
import type { StTensorIn } from "../kernel/engine/weights/safetensorsWrite";

/**
 * safetensors written tensor by tensor (same layout as the engine's writeSafetensors, which concatenates everything
 * into one Buffer first: for ViT-L that copy would add ≈1 GiB to the Node peak RSS this benchmark reports).
 */
function writeSafetensorsStreaming(
  file: string,
  tensors: Record<string, StTensorIn>,
  metadata: Record<string, string>,
): void {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const fd = fs.openSync(file, "w");
  try {
    fs.writeSync(fd, len);
    fs.writeSync(fd, Buffer.from(json));
    for (const t of Object.values(tensors))
      fs.writeSync(fd, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  } finally {
    fs.closeSync(fd);
  }
}

/** First interpreter that imports torch: $MEDAD_PYTHON, then python3 on PATH, then Debian's (pyenv shims hide it). */
export function findTorchPython(): string | undefined {
  const candidates = [process.env.MEDAD_PYTHON, "python3", "/usr/bin/python3"].filter((c): c is string => !!c);
  for (const py of candidates) {
    const r = spawnSync(py, ["-c", "import torch, numpy"], { stdio: "ignore", timeout: 60_000 });
    if (r.status === 0) return py;
  }
  return undefined;
}

export interface TwinCheck {
  torch: string;
  lossTorch: number;
  lossOurs: number;
  lossRel: number;
  blas: string;
  gradRelMax: number;
}

export interface TwinSetup {
  w: VisionWeights;
  config: VisionConfig;
  size: number;
  taps: number[];
  textT: Float32Array;
  feeds: Record<string, Feed>;
  params: { name: string }[];
  /** Outputs of one run of our step session (loss + grad.<param>). */
  ours: Record<string, { data: unknown }>;
}

function f32(data: Float32Array, shape: readonly number[]): StTensorIn {
  return { dtype: "F32", shape: [...shape], data };
}

/** Only the blocks up to the last tap: the step never runs the rest. Position table already resized (build-time surgery). */
function twinTensors(s: TwinSetup): Record<string, StTensorIn> {
  const { w, config } = s;
  const grid = Math.floor(s.size / config.patchSize);
  const t: Record<string, StTensorIn> = {
    patch_embedding: f32(w.patchEmbedding.data, w.patchEmbedding.shape),
    class_embedding: f32(w.classEmbedding.data, w.classEmbedding.shape),
    position_embedding: f32(resizePositionEmbedding(w.positionEmbedding, grid).data, [
      grid * grid + 1,
      config.hiddenSize,
    ]),
    "ln_pre.weight": f32(w.lnPre.weight.data, w.lnPre.weight.shape),
    "ln_pre.bias": f32(w.lnPre.bias.data, w.lnPre.bias.shape),
    text_T: f32(s.textT, [s.textT.length / 2, 2]),
  };
  for (let i = 0; i < Math.max(...s.taps); i++) {
    const blk = w.blocks[i] as unknown as Record<
      string,
      { weight: { data: Float32Array; shape: number[] }; bias: { data: Float32Array; shape: number[] } }
    >;
    for (const part of ["ln1", "q", "k", "v", "out", "ln2", "fc1", "fc2"]) {
      t[`blocks.${i}.${part}.weight`] = f32(blk[part].weight.data, blk[part].weight.shape);
      t[`blocks.${i}.${part}.bias`] = f32(blk[part].bias.data, blk[part].bias.shape);
    }
  }
  for (const [name, f] of Object.entries(s.feeds)) t[name] = f32(f.data as Float32Array, f.dims);
  for (const [name, f] of Object.entries(s.ours))
    t[`ours.${name}`] = f32(Float32Array.from(f.data as Float32Array), [(f.data as Float32Array).length]);
  return t;
}

export class TorchTwin {
  private lines: AsyncIterableIterator<string>;
  private constructor(
    private readonly proc: ChildProcessByStdio<Writable, Readable, null>,
    readonly check: TwinCheck,
    lines: AsyncIterableIterator<string>,
    private readonly file: string,
  ) {
    this.lines = lines;
  }

  static async start(python: string, s: TwinSetup, threads: number): Promise<TorchTwin> {
    const file = path.join(os.tmpdir(), `medad-torchbench-${process.pid}.safetensors`);
    const meta = {
      heads: String(s.config.numHeads),
      eps: String(s.config.layerNormEps),
      taps: JSON.stringify(s.taps),
      size: String(s.size),
      patch: String(s.config.patchSize),
      params: JSON.stringify(s.params.map((p) => p.name)),
    };
    writeSafetensorsStreaming(file, twinTensors(s), meta);
    const script = path.resolve(__dirname, "../../bench/torch/mvfa_step.py"); // out/bench → repo/bench/torch
    // OpenBLAS keeps its own thread pool beside torch's OpenMP one: pin both to our intra-op thread count, and make
    // idle OpenMP workers sleep instead of spin (measured on the 2-vCPU VM: spinning OpenMP workers starve the
    // OpenBLAS threads and double torch's step time; PASSIVE is torch's best setting here, so the comparison is fair).
    // MEDAD_TORCH_BLAS_DIR (e.g. an unpacked libopenblas0-pthread) goes first on the library path, for machines whose
    // libblas.so.3 alternative is the slow reference BLAS and where changing the system alternative is not wanted.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OMP_NUM_THREADS: String(threads),
      OPENBLAS_NUM_THREADS: String(threads),
      OMP_WAIT_POLICY: "PASSIVE",
    };
    if (process.env.MEDAD_TORCH_BLAS_DIR)
      env.LD_LIBRARY_PATH = [process.env.MEDAD_TORCH_BLAS_DIR, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
    const proc = spawn(python, [script, "--weights", file, "--threads", String(threads)], {
      stdio: ["pipe", "pipe", "inherit"],
      env,
    });
    const lines = readline.createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done || !first.value.startsWith("ready "))
      throw new Error(`torch twin did not start: ${first.value ?? "(exited)"}`);
    fs.rmSync(file, { force: true }); // loaded; free the disk (ViT-L ≈ 0.6 GiB)
    return new TorchTwin(proc, JSON.parse(first.value.slice(6)), lines, file);
  }

  /** One timed torch step (forward + backward), ms as measured inside Python (excludes the pipe round trip). */
  async step(): Promise<number> {
    this.proc.stdin.write("step\n");
    const r = await this.lines.next();
    if (r.done) throw new Error("torch twin exited");
    return Number(r.value);
  }

  /** Ends the Python process; returns its peak RSS in GiB. */
  async quit(): Promise<number> {
    this.proc.stdin.write("quit\n");
    const r = await this.lines.next();
    fs.rmSync(this.file, { force: true });
    return r.done ? NaN : Number(r.value.replace(/^rss /, ""));
  }
}
