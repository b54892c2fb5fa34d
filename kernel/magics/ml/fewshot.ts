import * as path from "path";
import { fewshot } from "../../api/fewshot";
import { display } from "../../api/display";
import { fewshotTable } from "../../api/fewshotTable";
import { thresholdTable } from "../../api/thresholdTable";
import { multiAnomalyTable, signTable } from "../../api/multiAnomalyTable";
import { AVAILABLE_METHODS } from "../../methods/runFewshot";
import { resolveModelDir } from "../../models/resolveModelDir";
import { MagicError } from "../errors";
import { parseKeyValueBody, type BodyEntry, type BodySchema } from "../keyValueBody";
import type { Magic } from "../magic";
import { resolveDatasetArg } from "./datasetArg";

const schema: BodySchema = {
  dataset: {
    type: "path",
    description: "dataset folder or CSV manifest ('demo' or omitted: the bundled demo-brainmri)",
  },
  method: { type: "enum", values: [...AVAILABLE_METHODS], description: "few-shot method", required: true },
  model: {
    type: "string",
    description: "checkpoint folder or pulled Hub id, e.g. openai/clip-vit-large-patch14-336",
    required: true,
  },
  shots: { type: "integer", min: 0, max: 256, description: "support images per class (default 4)" },
  seed: { type: "integer", min: 0, description: "seed of the support draw (default 0)" },
  device: { type: "enum", values: ["auto", "cpu", "cuda"], description: "where ONNX Runtime runs (default cpu)" },
  image_size: {
    type: "integer",
    min: 8,
    max: 1024,
    description: "input side in pixels (default 240 for ViT-L/14-336)",
  },
  taps: { type: "list", of: "integer", description: "1-based blocks to tap, e.g. [6, 12, 18, 24]" },
  protocol: {
    type: "enum",
    values: ["honest", "reference"],
    description: "score normalisation: from the support set (honest) or the test set (reference)",
  },
  selection: {
    type: "enum",
    values: ["last", "validation", "test-best"],
    description:
      "trained methods: report the last epoch (default), the best on held-out valid images, or the best on the test set (the papers' protocol; transductive)",
  },
  list: {
    type: "string",
    description:
      "support images: auto (the method's own fewshot_seed lists when the dataset ships them; default), none (seeded draw) or a list file path",
  },
  max_test: {
    type: "integer",
    min: 2,
    description: "evaluate a seeded, stratified subsample of at most this many test images",
  },
  category: { type: "string", description: "dataset class when there are several" },
  batch: { type: "integer", min: 1, max: 256, description: "images per encoder call (default 8)" },
  preprocess: {
    type: "enum",
    values: ["mvfa", "mediclip"],
    description: "mvfa: bicubic, no mean/std; mediclip: bilinear + CLIP mean/std",
  },
  cache: { type: "boolean", description: "reuse cached per-image features (default true)" },
  epochs: {
    type: "integer",
    min: 0,
    description: "trained methods (mvfa, madclip, mediclip): fixed epoch count (default 50 / 60 / 200, as the papers)",
  },
  checkpoint: {
    type: "path",
    description: "trained methods: checkpoint file written after every epoch; an existing one is resumed",
  },
  resume: {
    type: "enum",
    values: ["force"],
    description: "trained methods: resume the checkpoint even when its recorded settings differ from this run's",
  },
  signs: {
    type: "string",
    description:
      "sd-mad: shipped sign list (brain-mri, liver-ct, retinal-oct, chest-xray, histopathology); edit signs from TypeScript with options.signs",
  },
};

function fail(entry: BodyEntry, message: string, expected: string): never {
  throw new MagicError(message, entry.line, entry.column, expected);
}

/** Only the keys that were given, so each method keeps its own defaults. */
function trainingOptions(epochs?: number, checkpoint?: string, resume?: string): Record<string, unknown> | undefined {
  const o: Record<string, unknown> = {};
  if (epochs !== undefined) o.epochs = epochs;
  if (checkpoint !== undefined) o.checkpoint = path.resolve(checkpoint);
  if (resume !== undefined) o.resume = resume;
  return Object.keys(o).length ? o : undefined;
}

/** A list path is relative to the notebook's folder; auto/none pass through. */
export function listArg(list: string | undefined): string | undefined {
  return list === undefined || list === "auto" || list === "none" ? list : path.resolve(list);
}

function withSigns(options: Record<string, unknown> | undefined, signs?: string): Record<string, unknown> | undefined {
  return signs === undefined ? options : { ...options, signs };
}

export const fewshotMagic: Magic = {
  name: "fewshot",
  kinds: ["cell"],
  summary: "Run a few-shot anomaly-detection method on a dataset (in the background worker).",
  usage: [
    "%%fewshot [--as NAME]",
    "dataset: ./data/Brain_AD        # MVFA/BMAD, MediCLIP, MVTec layouts; 'demo' = bundled demo-brainmri",
    "method: patchcore               # " + [...AVAILABLE_METHODS].join(" | "),
    "shots: 4",
    "model: openai/clip-vit-large-patch14-336",
    "",
    "Runs in the background worker with a progress bar; the stop button stops it. Shows image/pixel AUROC, AP and",
    "F1-max; the full result (a medad.FewshotResult: scores, support files, protocol, model hash, timings) is bound",
    "to `fewshotResult`. The same call from TypeScript: await medad.fewshot({ dataset, method, shots, model }).",
  ].join("\n"),
  bodySchema: schema,
  resultType: "FewshotResult",
  async run(invocation, ctx) {
    const body = parseKeyValueBody(invocation.body ?? "", schema, invocation.bodyLine ?? invocation.line + 1);
    const get = <T>(key: string): T | undefined => body.get(key)?.value as T | undefined;
    const dataset = resolveDatasetArg(body.get("dataset"));
    const modelEntry = body.get("model")!;
    try {
      resolveModelDir(String(modelEntry.value));
    } catch (err) {
      fail(
        modelEntry,
        (err as Error).message,
        "a checkpoint folder (config.json + model.safetensors or pytorch_model.bin, or the open_clip files), a .pt/.bin weights file, or a pulled repo id",
      );
    }
    const result = await fewshot({
      dataset,
      method: get<string>("method")!,
      model: String(modelEntry.value),
      shots: get<number>("shots"),
      seed: get<number>("seed"),
      device: get<"auto" | "cpu" | "cuda">("device"),
      imageSize: get<number>("image_size"),
      taps: get<number[]>("taps"),
      protocol: get<"honest" | "reference">("protocol"),
      selection: get<"last" | "validation" | "test-best">("selection"),
      list: listArg(get<string>("list")),
      maxTestImages: get<number>("max_test"),
      category: get<string>("category"),
      batch: get<number>("batch"),
      preprocess: get<"mvfa" | "mediclip">("preprocess"),
      featureCache: get<boolean>("cache"),
      options: withSigns(
        trainingOptions(get<number>("epochs"), get<string>("checkpoint"), get<string>("resume")),
        get<string>("signs"),
      ),
    });
    display.table(fewshotTable(result));
    const decisions = thresholdTable(result);
    if (decisions) display.table(decisions);
    for (const t of [multiAnomalyTable(result), signTable(result)]) if (t) display.table(t);
    if (result.model.note) ctx.print(`note: ${result.model.note}\n`);
    for (const w of result.warnings ?? []) ctx.print(`warning: ${w}\n`);
    return result;
  },
};
