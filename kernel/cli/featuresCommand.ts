import * as path from "path";
import { ClipModel, ClipVisionEncoder } from "../engine/clip/model";
import { writeSafetensors, type StTensorIn } from "../engine/weights/safetensorsWrite";
import { preprocessImage, stack } from "../imaging/preprocess";
import { resolveModelDir } from "../models/resolveModelDir";
import { parseArgs } from "./args";
import { UsageError, type CliCommand, type CliIo } from "./command";

const usage = `usage: medad features --model DIR|ORG/NAME --out FEATS.safetensors [--size N] [--taps a,b,c]
                      [--act gelu|quickgelu] [--normalize] [--filter bicubic|bilinear] [--device auto|cpu|cuda] IMG...

Runs the CLIP vision encoder on each image and writes, per image order, the raw residual stream after each tap
block ('tap<n>', [images, tokens, width], token 0 = CLS) and the pooled embedding ('pooled', [images, proj]).

  --size N        input side in pixels (default: the model's image size); other sizes resize the position table
  --taps a,b,c    1-based blocks to tap (default: none, pooled only)
  --act           gelu (exact, MVFA/MadCLIP) or quickgelu (MediCLIP); default: the model config's
  --normalize     apply CLIP mean/std (MediCLIP); MVFA/MadCLIP feed unnormalised [0,1] pixels
  --filter        resize filter, bicubic (MVFA, default) or bilinear (MediCLIP)
`;

function parseTaps(text: string | undefined): number[] {
  if (text === undefined || text === "") return [];
  const taps = text.split(",").map((t) => Number(t.trim()));
  if (!taps.every((t) => Number.isInteger(t) && t >= 1))
    throw new UsageError(`--taps takes 1-based block numbers such as 6,12,18,24 (got '${text}')`);
  return taps;
}

function toTensorIn(value: { data: ArrayBufferView; dims: number[] }): StTensorIn {
  return { dtype: "F32", shape: value.dims, data: value.data };
}

export const featuresCommand: CliCommand = {
  path: ["features"],
  summary: "Write CLIP tap features and pooled embeddings of images",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { positional: images, options } = parseArgs(
      args,
      ["model", "out", "size", "taps", "act", "filter", "device"],
      ["normalize"],
    );
    if (!options.has("model")) throw new UsageError("--model is required");
    if (!options.has("out")) throw new UsageError("--out is required");
    if (images.length === 0) throw new UsageError("give at least one image");
    const act = options.get("act");
    if (act !== undefined && act !== "gelu" && act !== "quickgelu")
      throw new UsageError(`--act is gelu or quickgelu, not '${act}'`);
    const filter = options.get("filter") ?? "bicubic";
    if (filter !== "bicubic" && filter !== "bilinear")
      throw new UsageError(`--filter is bicubic or bilinear, not '${filter}'`);
    const device = (options.get("device") ?? "auto") as "auto" | "cpu" | "cuda";
    if (!["auto", "cpu", "cuda"].includes(device))
      throw new UsageError(`--device is auto, cpu or cuda, not '${device}'`);
    const taps = parseTaps(options.get("taps"));

    const model = ClipModel.load(resolveModelDir(options.get("model")!));
    try {
      const size = options.has("size") ? Number(options.get("size")) : model.config.vision?.imageSize;
      if (!size || !Number.isInteger(size) || size < 1)
        throw new UsageError(`--size needs a positive whole number of pixels`);
      const activation = act === undefined ? undefined : act === "gelu" ? "gelu" : "quick_gelu";
      const encoder = await ClipVisionEncoder.create(
        model,
        { imageSize: size, taps, activation, pooled: true },
        { device },
      );
      try {
        const pixels = stack(
          images.map((file) => preprocessImage(file, { size, filter, normalize: options.has("normalize") })),
        );
        const outputs = await encoder.encode(pixels.data, images.length);
        const tensors = Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, toTensorIn(value)]));
        writeSafetensors(path.resolve(options.get("out")!), tensors, {
          images: JSON.stringify(images),
          size: String(size),
          taps: taps.join(","),
          activation: act ?? "config",
          normalize: String(options.has("normalize")),
          filter,
        });
        io.err(`wrote ${Object.keys(tensors).join(", ")} for ${images.length} image(s) to ${options.get("out")}\n`);
        return 0;
      } finally {
        await encoder.release();
      }
    } finally {
      model.close();
    }
  },
};
