import { CliCommand, UsageError } from "./command";
import { parseArgs } from "./args";
import { DEMO_MODEL_ID, DEMO_MODEL_NOTE, ensureDemoModel } from "../models";
import { sha256File } from "../methods/modelHash";
import * as fs from "fs";
import * as path from "path";

const usage = `usage: medad models make-demo [--cache DIR] [--force]

Generates the built-in ${DEMO_MODEL_ID} into the model cache: a tiny CLIP (vision 56 px, patch 8, width 64,
8 blocks; text width 16; projection 32) with seeded RANDOM weights and the vendored CLIP tokenizer. Every machine
gets the same bytes. It is also generated automatically the first time a cell or command names it.
  --cache DIR   cache root (default $MEDAD_CACHE, else ~/.cache/medad/models)
  --force       generate again even if it is present
`;

export const modelsMakeDemoCommand: CliCommand = {
  path: ["models", "make-demo"],
  summary: `generate the built-in ${DEMO_MODEL_ID} (random weights, no download)`,
  usage,
  async run(args, io) {
    const { positional, options } = parseArgs(args, ["cache"], ["force"]);
    if (positional.length) throw new UsageError(`unexpected argument '${positional[0]}'`);
    const dir = ensureDemoModel({ cacheRoot: options.get("cache"), force: options.has("force") });
    const weights = path.join(dir, "model.safetensors");
    const hash = { value: sha256File(weights), bytes: fs.statSync(weights).size };
    io.out(
      `${DEMO_MODEL_ID} in ${dir}\nmodel.safetensors sha256 ${hash.value} (${hash.bytes} bytes)\nnote: ${DEMO_MODEL_NOTE}\n`,
    );
    return 0;
  },
};
