import { compare, compareTable, type CompareOptions } from "../../api/compare";
import { display } from "../../api/display";
import { MagicError } from "../errors";
import { parseKeyValueBody, type BodySchema } from "../keyValueBody";
import type { Magic } from "../magic";
import { resolveDatasetArg } from "./datasetArg";
import { fewshotMagic, listArg } from "./fewshot";
import { isPluggedMethodName } from "../../methods/plugins/methodName";
import { compareGridKeys, gridOptionsFromBody } from "./compareGridKeys";

const fewshotKeys = fewshotMagic.bodySchema!;
const schema: BodySchema = {
  dataset: fewshotKeys.dataset,
  model: fewshotKeys.model,
  methods: {
    type: "list",
    of: "string",
    description: "methods to compare, e.g. [zero-shot, patchcore]; CCB/TSC plug-ins: ccb-tsc, mvfa+ccb, mvfa+tsc",
    required: true,
  },
  shots: { type: "list", of: "integer", description: "shot counts, e.g. [1, 2, 4]", required: true },
  seeds: { type: "list", of: "integer", description: "seeds, e.g. [0, 1, 2]", required: true },
  device: fewshotKeys.device,
  image_size: fewshotKeys.image_size,
  protocol: fewshotKeys.protocol,
  selection: fewshotKeys.selection,
  list: fewshotKeys.list,
  max_test: fewshotKeys.max_test,
  category: fewshotKeys.category,
  batch: fewshotKeys.batch,
  epochs: fewshotKeys.epochs,
  ...compareGridKeys,
};

/** A `%%compare` body (or a grid spec file in the same syntax, `medad grid plan`) → compare's options. */
export function compareOptionsFromBody(text: string, firstLine: number): CompareOptions {
  const body = parseKeyValueBody(text, schema, firstLine);
  const get = <T>(key: string): T | undefined => body.get(key)?.value as T | undefined;
  const dataset = resolveDatasetArg(body.get("dataset"));
  const allowed = (fewshotKeys.method as { values: readonly string[] }).values;
  const methods = get<string[]>("methods")!;
  const bad = methods.find((m) => !isPluggedMethodName(m, allowed));
  if (bad) {
    const entry = body.get("methods")!;
    throw new MagicError(
      `methods: '${bad}' is not a method.`,
      entry.line,
      entry.column,
      `methods from ${allowed.join(" | ")}`,
    );
  }
  return {
    dataset,
    model: String(get<string>("model")),
    methods,
    shots: get<number[]>("shots")!,
    seeds: get<number[]>("seeds")!,
    device: get<"auto" | "cpu" | "cuda">("device"),
    imageSize: get<number>("image_size"),
    protocol: get<"honest" | "reference">("protocol"),
    selection: get<"last" | "validation" | "test-best">("selection"),
    list: listArg(get<string>("list")),
    maxTestImages: get<number>("max_test"),
    category: get<string>("category"),
    batch: get<number>("batch"),
    options: get<number>("epochs") !== undefined ? { epochs: get<number>("epochs") } : undefined,
    ...gridOptionsFromBody(body),
  };
}

export const compareMagic: Magic = {
  name: "compare",
  kinds: ["cell"],
  summary: "Run a grid of methods × shots × seeds and show mean ± std per method and shot count.",
  usage: [
    "%%compare [--as NAME]",
    "methods: [zero-shot, patchcore]",
    "shots: [1, 2, 4]",
    "seeds: [0, 1, 2]",
    "model: openai/clip-vit-large-patch14-336",
    "dataset: demo",
    "",
    "Each run goes through the background worker (progress bar, stop button). The result (a medad.CompareResult:",
    "`cells` with mean/std/n per method × shots, and every run) is bound to `compareResult`.",
    "`parallel: N` runs the cells in N worker processes. `backend: slurm` (with grid_dir, partition, gpus, cpus,",
    "time, mem, throttle) submits them as one sbatch array job, shows a live table and merges when all are in;",
    "failed cells are listed with their logs, and running the cell again resubmits only those (docs/scale-out.md).",
  ].join("\n"),
  bodySchema: schema,
  resultType: "CompareResult",
  async run(invocation) {
    const options = compareOptionsFromBody(invocation.body ?? "", invocation.bodyLine ?? invocation.line + 1);
    const result = await compare(options);
    display.table(compareTable(result.cells, options.seeds));
    return result;
  },
};
