import { fewshot } from "../../api/fewshot";
import { display } from "../../api/display";
import { fewshotTable } from "../../api/fewshotTable";
import { thresholdTable } from "../../api/thresholdTable";
import { multiAnomalyTable, signTable } from "../../api/multiAnomalyTable";
import { AVAILABLE_METHODS } from "../../methods/methodNames";
import { resolveModelDir } from "../../models/resolveModelDir";
import { MagicError } from "../errors";
import { parseKeyValueBody, type BodyEntry, type BodySchema } from "../keyValueBody";
import { runOptionSchema, runOptionsFromBody } from "./runOptionSchema";
import type { Magic } from "../magic";
import { resolveDatasetArg } from "./datasetArg";

// Every key is an option of fewshotOptions.ts: its type, default and doc live there.
const schema: BodySchema = runOptionSchema("cell");

function fail(entry: BodyEntry, message: string, expected: string): never {
  throw new MagicError(message, entry.line, entry.column, expected);
}

export const fewshotMagic: Magic = {
  name: "fewshot",
  kinds: ["cell"],
  summary: "Run a few-shot anomaly-detection method on a dataset (in the background worker).",
  usage: [
    "%%fewshot [--as NAME]",
    "dataset: ./data/Brain_AD        # MVFA/BMAD, MediCLIP, MVTec layouts; 'demo' = bundled demo-brainmri",
    "method: patchcore               # " + [...AVAILABLE_METHODS].join(" | "),
    "shots: 4                        # default 4 (madclip 16)",
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
      ...runOptionsFromBody(body, "cell"),
      dataset,
      method: String(body.get("method")!.value),
      model: String(modelEntry.value),
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
