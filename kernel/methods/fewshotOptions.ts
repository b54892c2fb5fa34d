/**
 * The options of one few-shot run, described once. Every surface derives from this table: the `%%fewshot` body
 * schema and `%%compare`'s shared keys (`kernel/magics/ml/runOptionSchema.ts`), the editor's completions and hovers
 * (they read that schema), the `medad fewshot` flags (`kernel/cli/runOptionFlags.ts`), the API's validation
 * (`checkFewshotOptions`, run by `medad.fewshot` and by every grid cell), the defaults `fewshot()` applies
 * (`optionDefault`), and the table in docs/magics.md (`node scripts/run-options-doc.mjs --write`; a unit test fails
 * when that table is stale).
 *
 * Adding an option is one entry here: its cell key, where it goes in `FewshotOptions` (`api`, or `options.<name>`
 * for a method option), its value type, default (`byMethod` for per-method ones), doc string and surfaces. Then
 * read it where it takes effect (`optionDefault(key, method)` for its default), add the field to `FewshotOptions`
 * if it is new there, and run the doc script. Values are parsed and checked by `kernel/util/optionValues.ts`.
 */
import * as path from "path";
import { checkValue, describeType, type OptionValue, type ValueType } from "../util/optionValues";
import { AVAILABLE_METHODS, type FewshotMethod } from "./methodNames";
import { SELECTION_POLICIES } from "./selection/policy";

/** Where an option can be given: a `%%fewshot` body, `medad fewshot` flags, `medad.fewshot({...})`, `%%compare`. */
export type Surface = "cell" | "cli" | "api" | "compare";
export type DefaultValue = string | number | boolean;

export interface RunOption {
  /** The key of a `%%fewshot`/`%%compare` body (snake_case); the CLI flag is `--key` with `-` for `_`. */
  key: string;
  /** Its place in `FewshotOptions`: a field, or `options.<name>` for a method option. */
  api: string;
  value: ValueType;
  doc: string;
  /** The default of every method without a `byMethod` entry (none: the option is off or computed, see `defaultDoc`). */
  default?: DefaultValue;
  byMethod?: Partial<Record<FewshotMethod, DefaultValue>>;
  /** Words for what the default depends on beyond the method (shown after the values). */
  defaultDoc?: string;
  on: readonly Surface[];
  /** The value's placeholder in `medad fewshot`'s usage (default: from the type, e.g. N or honest|reference). */
  hint?: string;
  /** Surfaces where it must be given. */
  required?: readonly Surface[];
  /** Relative paths are made absolute from the working folder before the run leaves the kernel or CLI
   * ("list": except the words auto and none). */
  resolve?: "path" | "list";
  /** False where the API takes more than the cell's type (a Dataset object, a feature-cache folder, a sign object):
   * the method checks those itself. */
  apiCheck?: false;
}

const ALL: readonly Surface[] = ["cell", "cli", "api", "compare"];
const RUN: readonly Surface[] = ["cell", "cli", "api"];

export const RUN_OPTIONS: readonly RunOption[] = [
  {
    key: "dataset",
    hint: "DIR",
    api: "dataset",
    value: { type: "path" },
    doc: "dataset folder or CSV manifest (in a cell, 'demo' or omitted: the bundled demo-brainmri)",
    on: ALL,
    required: ["cli", "api"],
    resolve: "path",
    apiCheck: false,
  },
  {
    key: "method",
    hint: "METHOD",
    api: "method",
    value: { type: "enum", values: AVAILABLE_METHODS },
    doc: "few-shot method",
    on: RUN,
    required: RUN,
    apiCheck: false, // the API also takes plug-in names such as mvfa+ccb (plugins/methodName.ts)
  },
  {
    key: "model",
    hint: "DIR|ORG/NAME",
    api: "model",
    value: { type: "string" },
    doc: "checkpoint folder or pulled Hub id, e.g. openai/clip-vit-large-patch14-336",
    on: ALL,
    required: ALL,
  },
  {
    key: "shots",
    api: "shots",
    value: { type: "integer", min: 0, max: 256 },
    doc: "support images per class",
    default: 4,
    byMethod: { madclip: 16 }, // MadCLIP's paper and released checkpoints are 16-shot
    on: RUN,
  },
  {
    key: "seed",
    api: "seed",
    value: { type: "integer", min: 0 },
    doc: "seed of the support draw and of the test subsample",
    default: 0,
    on: RUN,
  },
  {
    key: "device",
    api: "device",
    value: { type: "enum", values: ["auto", "cpu", "cuda"] },
    doc: "where ONNX Runtime runs",
    default: "cpu",
    on: ALL,
  },
  {
    key: "image_size",
    api: "imageSize",
    value: { type: "integer", min: 8, max: 1024 },
    doc: "input side in pixels",
    default: 240, // MVFA runs its ViT-L/14-336 checkpoint at 240 px
    byMethod: { mediclip: 224 }, // MediCLIP's reference runs ViT-L/14 at 224 px
    defaultDoc: "for ViT-*/14 checkpoints at 336 px; other checkpoints run at their own side",
    on: ALL,
  },
  {
    key: "taps",
    api: "taps",
    value: { type: "list", of: "integer", min: 1 },
    doc: "1-based blocks to tap, e.g. [6, 12, 18, 24]",
    defaultDoc: "zero-shot the last block; the others the quarter points (6/12/18/24 on ViT-L)",
    on: RUN,
  },
  {
    key: "protocol",
    api: "protocol",
    value: { type: "enum", values: ["honest", "reference"] },
    doc: "score normalisation: from the support set (honest) or the test set (reference)",
    default: "honest",
    on: ALL,
  },
  {
    key: "selection",
    api: "selection",
    value: { type: "enum", values: SELECTION_POLICIES },
    doc: "trained methods: report the last epoch, the best on held-out valid images, or the best on the test set (the papers' protocol; transductive)",
    default: "last",
    on: ALL,
  },
  {
    key: "list",
    hint: "auto|none|FILE",
    api: "list",
    value: { type: "string" },
    doc: "support images: auto (the method's own reference list when the dataset ships it, else a seeded draw), none (seeded draw) or a list file path; the result records which",
    default: "auto",
    on: ALL,
    resolve: "list",
  },
  {
    key: "max_test",
    api: "maxTestImages",
    value: { type: "integer", min: 2 },
    doc: "evaluate a seeded, stratified subsample of at most this many test images",
    on: ALL,
  },
  {
    key: "category",
    hint: "CLASS",
    api: "category",
    value: { type: "string" },
    doc: "dataset class when there are several",
    on: ALL,
  },
  {
    key: "batch",
    api: "batch",
    value: { type: "integer", min: 1, max: 256 },
    doc: "images per encoder call",
    default: 8,
    on: ALL,
  },
  {
    key: "preprocess",
    api: "preprocess",
    value: { type: "enum", values: ["mvfa", "mediclip"] },
    doc: "mvfa: bicubic, no mean/std; mediclip: bilinear + CLIP mean/std",
    default: "mvfa",
    byMethod: { mediclip: "mediclip" },
    on: RUN,
  },
  {
    key: "activation",
    api: "activation",
    value: { type: "enum", values: ["gelu", "quick_gelu"] },
    doc: "MLP activation of the backbone (exact GELU, as MVFA and MadCLIP run OpenAI weights)",
    default: "gelu",
    byMethod: { mediclip: "quick_gelu" },
    on: ["api"],
  },
  {
    key: "support_protocol",
    api: "supportProtocol",
    value: { type: "enum", values: ["mvfa", "mediclip", "madclip", "per-category"] },
    doc: "which k-shot protocol picks the support set: k normal + k abnormal (mvfa; madclip also reads .jpg), k normal only (mediclip), k normal + k per anomaly category (per-category)",
    default: "mvfa",
    byMethod: { mediclip: "mediclip", madclip: "madclip", "sd-mad": "per-category" },
    on: ["api"],
  },
  {
    key: "cache",
    api: "featureCache",
    value: { type: "boolean" },
    doc: "reuse cached per-image features (the API also takes a cache folder)",
    default: true,
    on: RUN,
    apiCheck: false,
  },
  {
    key: "epochs",
    api: "options.epochs",
    value: { type: "integer", min: 0 },
    doc: "trained methods: fixed epoch count (as the papers)",
    byMethod: { mvfa: 50, madclip: 60, mediclip: 200, "sd-mad": 20 },
    on: ALL,
  },
  {
    key: "checkpoint",
    hint: "FILE",
    api: "options.checkpoint",
    value: { type: "path" },
    doc: "trained methods: checkpoint file written after every epoch; an existing one is resumed (`medad detect` needs it)",
    on: RUN,
    resolve: "path",
  },
  {
    key: "resume",
    api: "options.resume",
    value: { type: "enum", values: ["force"] },
    doc: "trained methods: resume the checkpoint even when its recorded settings differ from this run's",
    on: RUN,
  },
  {
    key: "prompts",
    api: "options.prompts",
    value: { type: "enum", values: ["fixed", "learnable", "ccb-tsc"] },
    doc: 'text prompts: madclip "learnable" (CoOp, its default) or "fixed" (its 7 + 7 fix mode); mvfa "fixed" (its ensemble, default) or "ccb-tsc" (learnable normal, learnable + manual abnormal, docs/ccb-tsc.md)',
    defaultDoc: "madclip learnable, mvfa fixed",
    on: RUN,
  },
  {
    key: "train_adapters",
    api: "options.trainAdapters",
    value: { type: "enum", values: ["reference", "all"] },
    doc: 'mvfa on image-level data (det head): "reference" steps only the det adapters as train_few.py does; "all" trains the seg adapters too',
    default: "reference",
    on: RUN,
  },
  {
    key: "jitter",
    api: "options.jitter",
    value: { type: "enum", values: ["reference", "per-image"] },
    doc: 'madclip colour jitter: "reference" (one draw per class batch, per-column contrast mean, as its code) or "per-image"',
    default: "reference",
    on: RUN,
  },
  {
    key: "signs",
    hint: "LIST",
    api: "options.signs",
    value: { type: "string" },
    doc: "sd-mad: shipped sign list (brain-mri, liver-ct, retinal-oct, chest-xray, histopathology); edit signs from TypeScript with options.signs",
    on: RUN,
    apiCheck: false, // options.signs may also be an object of signs (docs/sd-mad.md)
  },
];

const BY_KEY = new Map(RUN_OPTIONS.map((o) => [o.key, o]));

/** The table entry of a key; throws for a key the table does not have (a typo in code). */
export function runOption(key: string): RunOption {
  const o = BY_KEY.get(key);
  if (!o) throw new Error(`fewshotOptions.ts has no option '${key}'`);
  return o;
}

export function optionsOn(surface: Surface): RunOption[] {
  return RUN_OPTIONS.filter((o) => o.on.includes(surface));
}

/** The default of an option for a base method (no plug-in suffix): its `byMethod` entry, else the general one. */
export function optionDefault<T extends DefaultValue = DefaultValue>(key: string, method: string): T | undefined {
  const o = runOption(key);
  return (o.byMethod?.[method as FewshotMethod] ?? o.default) as T | undefined;
}

/** The default in words, e.g. "4, madclip 16" (undefined: no default). */
export function defaultText(o: RunOption): string | undefined {
  const values: string[] = [];
  if (o.default !== undefined) values.push(String(o.default));
  for (const [m, v] of Object.entries(o.byMethod ?? {})) values.push(`${m} ${String(v)}`);
  const parts = [values.join(", "), o.defaultDoc ?? ""].filter((p) => p !== "");
  return parts.length ? parts.join("; ") : undefined;
}

/** The input side a run uses: the one asked for, else the per-method default for 336/14 checkpoints, else the
 * checkpoint's own side. */
export function imageSizeFor(
  method: string,
  vision: { imageSize: number; patchSize: number },
  requested: number | undefined,
): number {
  if (requested !== undefined) return requested;
  return vision.imageSize === 336 && vision.patchSize === 14
    ? optionDefault<number>("image_size", method)!
    : vision.imageSize;
}

function getPath(o: Record<string, unknown>, api: string): unknown {
  const [head, field] = api.split(".");
  const v = o[head];
  return field === undefined ? v : v && typeof v === "object" ? (v as Record<string, unknown>)[field] : undefined;
}

/**
 * Checks every option a `FewshotOptions` object gives against the table (the same rule as a cell or a flag);
 * throws naming the option, what it must be, and the value given.
 */
export function checkFewshotOptions(o: object, where = "fewshot"): void {
  const given = o as Record<string, unknown>;
  for (const opt of RUN_OPTIONS) {
    if (!opt.on.includes("api")) continue;
    const v = getPath(given, opt.api);
    if (v === undefined) {
      if (opt.required?.includes("api")) throw new Error(`${where}: ${opt.api} is required (${opt.doc})`);
      continue;
    }
    if (opt.apiCheck !== false && !checkValue(v, opt.value))
      throw new Error(`${where}: ${opt.api} must be ${describeType(opt.value)}, got ${JSON.stringify(v)}`);
  }
}

/** A path value made absolute (list: auto and none stay words). */
function resolved(o: RunOption, v: OptionValue): OptionValue {
  if (typeof v !== "string" || !o.resolve) return v;
  if (o.resolve === "list" && (v === "auto" || v === "none")) return v;
  return path.resolve(v);
}

/**
 * Parsed option values by table key (a cell body, CLI flags) → the `FewshotOptions` fields they set; method
 * options go into `options`. Only given keys appear, so `fewshot()` applies each method's own defaults.
 */
export function fewshotOptionsFrom(values: ReadonlyMap<string, OptionValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of values) {
    const o = runOption(key);
    const [head, field] = o.api.split(".");
    if (field === undefined) out[head] = resolved(o, v);
    else out[head] = { ...(out[head] as object | undefined), [field]: resolved(o, v) };
  }
  return out;
}
