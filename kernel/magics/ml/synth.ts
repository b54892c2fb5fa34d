import { synth, type SynthResult } from "../../api/synth";
import { display } from "../../api/display";
import { SYNTH_TASKS, type SynthTaskName } from "../../data/synth/tasks";
import type { TableData } from "../../protocol/table";
import { MagicError } from "../errors";
import { parseKeyValueBody, type BodySchema } from "../keyValueBody";
import type { Magic } from "../magic";
import { resolveDatasetArg } from "./datasetArg";

const schema: BodySchema = {
  dataset: {
    type: "path",
    description: "dataset folder or CSV manifest ('demo' or omitted: the bundled demo-brainmri)",
  },
  category: { type: "string", description: "dataset class when there are several" },
  shots: {
    type: "integer",
    min: 1,
    max: 256,
    description: "normal images to synthesise from (CutPaste's sources; default 4)",
  },
  seed: { type: "integer", min: 0, description: "seed of the normal-image draw and of the synthesis (default 0)" },
  count: { type: "integer", min: 1, max: 64, description: "synthetic samples to show (default 8)" },
  tasks: {
    type: "list",
    of: "string",
    description: `tasks to cycle through, from ${SYNTH_TASKS.join(", ")} (default all)`,
  },
  size: { type: "integer", min: 16, max: 1024, description: "image side in pixels (default 224, MediCLIP's input)" },
  blend: {
    type: "enum",
    values: ["replace", "poisson"],
    description: "CutPaste blending: replace (the reference code) or poisson (the paper)",
  },
};

export function synthTable(r: SynthResult): TableData {
  return {
    title: `MediCLIP synthetic anomalies · ${r.dataset.name}/${r.dataset.category} · seed ${r.seed} · ${r.size}px · CutPaste ${r.cutPasteBlend}`,
    columns: ["#", "task", "anomalies", "mask %", "source"],
    rows: r.samples.map((s, i) => [
      String(i + 1),
      s.task,
      String(s.anomalies),
      (100 * s.maskFraction).toFixed(1),
      s.source,
    ]),
  };
}

export const synthMagic: Magic = {
  name: "synth",
  kinds: ["line", "cell"],
  summary: "Show MediCLIP's synthetic anomalies and training labels for a dataset (what `mediclip` trains on).",
  usage: [
    "%synth [DATASET] [--as NAME]      DATASET: a dataset folder or 'demo' (default)",
    "%%synth [--as NAME]",
    "dataset: demo",
    "shots: 4                          # normal images (CutPaste's sources)",
    "count: 8",
    `tasks: [cutpaste, gauss-intensity] # from ${SYNTH_TASKS.join(", ")}`,
    "blend: poisson                    # CutPaste: replace (code, default) | poisson (paper)",
    "",
    "Shows a grid — each synthetic image with its anomaly outlined in red, the label map underneath — and a table",
    "of the samples. The result (a medad.SynthResult with the images, masks and labels as arrays) is bound to",
    "`synthResult`. The same from TypeScript: medad.synth({ dataset, shots, count, tasks }).",
  ].join("\n"),
  bodySchema: schema,
  resultType: "SynthResult",
  async run(invocation) {
    let options: Parameters<typeof synth>[0];
    if (invocation.kind === "cell") {
      const body = parseKeyValueBody(invocation.body ?? "", schema, invocation.bodyLine ?? invocation.line + 1);
      const get = <T>(key: string): T | undefined => body.get(key)?.value as T | undefined;
      const tasks = get<string[]>("tasks");
      const bad = tasks?.find((t) => !(SYNTH_TASKS as readonly string[]).includes(t));
      if (bad !== undefined) {
        const entry = body.get("tasks")!;
        throw new MagicError(
          `tasks: '${bad}' is not a synthesis task.`,
          entry.line,
          entry.column,
          `tasks from ${SYNTH_TASKS.join(" | ")}`,
        );
      }
      options = {
        dataset: resolveDatasetArg(body.get("dataset")),
        category: get<string>("category"),
        shots: get<number>("shots"),
        seed: get<number>("seed"),
        count: get<number>("count"),
        tasks: tasks as SynthTaskName[] | undefined,
        size: get<number>("size"),
        cutPasteBlend: get<"replace" | "poisson">("blend"),
      };
    } else {
      const arg = invocation.args.trim().replace(/^(["'])(.*)\1$/, "$2");
      options = {
        dataset: resolveDatasetArg(
          arg ? { value: arg, line: invocation.line, column: invocation.argsColumn } : undefined,
        ),
      };
    }
    const result = synth({ ...options, show: false });
    display.png(result.png);
    display.table(synthTable(result));
    return result;
  },
};
