import { compare, compareTable, type CompareOptions } from "../../api/compare";
import { display } from "../../api/display";
import { MagicError } from "../errors";
import { parseKeyValueBody, type BodySchema, type KeySpec } from "../keyValueBody";
import { runOption } from "../../methods/fewshotOptions";
import { AVAILABLE_METHODS } from "../../methods/methodNames";
import { runOptionSchema, runOptionsFromBody } from "./runOptionSchema";
import type { Magic } from "../magic";
import { resolveDatasetArg } from "./datasetArg";
import { isPluggedMethodName } from "../../methods/plugins/methodName";
import { compareGridKeys, gridOptionsFromBody } from "./compareGridKeys";

const shared = runOptionSchema("compare");
/** A list key whose items follow a table option's rule (shots: [1, 2, 4] items as `shots:` in %%fewshot). */
function listOf(key: string, description: string): KeySpec {
  const v = runOption(key).value;
  const range = v.type === "integer" ? { min: v.min, max: v.max } : {};
  return { type: "list", of: "integer", ...range, description, required: true };
}

// The keys shared with %%fewshot come from fewshotOptions.ts (type, default, doc); the grid's own keys follow.
const schema: BodySchema = {
  dataset: shared.dataset,
  model: shared.model,
  methods: {
    type: "list",
    of: "string",
    description: "methods to compare, e.g. [zero-shot, patchcore]; CCB/TSC plug-ins: ccb-tsc, mvfa+ccb, mvfa+tsc",
    required: true,
  },
  shots: listOf("shots", "shot counts, e.g. [1, 2, 4]"),
  seeds: listOf("seed", "seeds, e.g. [0, 1, 2]"),
  ...shared,
  ...compareGridKeys,
};

/** A `%%compare` body (or a grid spec file in the same syntax, `medad grid plan`) → compare's options. */
export function compareOptionsFromBody(text: string, firstLine: number): CompareOptions {
  const body = parseKeyValueBody(text, schema, firstLine);
  const get = <T>(key: string): T | undefined => body.get(key)?.value as T | undefined;
  const dataset = resolveDatasetArg(body.get("dataset"));
  const allowed: readonly string[] = AVAILABLE_METHODS;
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
    ...runOptionsFromBody(body, "compare"),
    dataset,
    model: String(get<string>("model")),
    methods,
    shots: get<number[]>("shots")!,
    seeds: get<number[]>("seeds")!,
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
