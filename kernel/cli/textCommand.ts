import * as path from "path";
import { ClipModel, ClipTextEncoder } from "../engine/clip/model";
import { writeSafetensors } from "../engine/weights/safetensorsWrite";
import { resolveModelDir } from "../models/resolveModelDir";
import { ClipTokenizer, toInt64 } from "../tokenizer";
import { parseArgs } from "./args";
import { UsageError, type CliCommand, type CliIo } from "./command";

const usage = `usage: medad text --model DIR|ORG/NAME --out T.safetensors [--no-causal] [--act gelu|quickgelu] [--device auto|cpu|cuda] "prompt" ...

Tokenizes each prompt with the model's CLIP BPE (context 77) and writes 'token_ids' ([prompts, 77], int64) and
'text_embeds' ([prompts, proj], not normalised).

  --no-causal   run the text transformer without the causal mask (the CoOp path of MadCLIP/MediCLIP)
  --act         gelu (exact) or quickgelu; default: the model config's
`;

export const textCommand: CliCommand = {
  path: ["text"],
  summary: "Write CLIP token ids and text embeddings of prompts",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { positional: prompts, options } = parseArgs(args, ["model", "out", "act", "device"], ["no-causal"]);
    if (!options.has("model")) throw new UsageError("--model is required");
    if (!options.has("out")) throw new UsageError("--out is required");
    if (prompts.length === 0) throw new UsageError("give at least one prompt");
    const act = options.get("act");
    if (act !== undefined && act !== "gelu" && act !== "quickgelu")
      throw new UsageError(`--act is gelu or quickgelu, not '${act}'`);
    const device = (options.get("device") ?? "auto") as "auto" | "cpu" | "cuda";
    if (!["auto", "cpu", "cuda"].includes(device))
      throw new UsageError(`--device is auto, cpu or cuda, not '${device}'`);

    const dir = resolveModelDir(options.get("model")!);
    const tokens = ClipTokenizer.fromDirectory(dir).tokenize(prompts);
    const ids = toInt64(tokens);
    const model = ClipModel.load(dir);
    try {
      const activation = act === undefined ? undefined : act === "gelu" ? "gelu" : "quick_gelu";
      const encoder = await ClipTextEncoder.create(
        model,
        { input: "ids", causalMask: !options.has("no-causal"), activation },
        { device },
      );
      try {
        const embeds = await encoder.encodeIds(ids);
        writeSafetensors(
          path.resolve(options.get("out")!),
          {
            token_ids: { dtype: "I64", shape: [...tokens.dims], data: ids },
            text_embeds: { dtype: "F32", shape: embeds.dims, data: embeds.data },
          },
          { prompts: JSON.stringify(prompts), causal: String(!options.has("no-causal")), activation: act ?? "config" },
        );
        io.err(`wrote token_ids and text_embeds for ${prompts.length} prompt(s) to ${options.get("out")}\n`);
        return 0;
      } finally {
        await encoder.release();
      }
    } finally {
      model.close();
    }
  },
};
