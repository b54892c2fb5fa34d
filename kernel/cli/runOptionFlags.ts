import type { FewshotOptions } from "../methods/runFewshot";
import { defaultText, fewshotOptionsFrom, optionsOn, type RunOption } from "../methods/fewshotOptions";
import { describeType, parseValue, type OptionValue } from "../util/optionValues";
import { UsageError } from "./command";

/** The `medad fewshot` flags, one per option of fewshotOptions.ts on the CLI: `--image-size` for `image_size`. */
export const RUN_OPTION_FLAGS: readonly { flag: string; option: RunOption }[] = optionsOn("cli").map((option) => ({
  flag: option.key.replace(/_/g, "-"),
  option,
}));

/** The flag names `parseArgs` should accept as taking a value. */
export const runOptionFlagNames = (): string[] => RUN_OPTION_FLAGS.map((f) => f.flag);

function placeholder(o: RunOption): string {
  if (o.hint) return o.hint;
  const v = o.value;
  if (v.type === "enum") return v.values.join("|");
  if (v.type === "list") return "a,b,c";
  if (v.type === "boolean") return "true|false";
  if (v.type === "path") return "PATH";
  return v.type === "integer" || v.type === "number" ? "N" : "TEXT";
}

/** One line per flag for the usage text: the flag, its value, the table's doc and default; `extra` rows (a
 * command's own flags) are aligned with them. */
export function runOptionFlagsUsage(extra: readonly [string, string][] = []): string {
  const rows = RUN_OPTION_FLAGS.map(({ flag, option }) => {
    const d = defaultText(option);
    const req = option.required?.includes("cli") ? " (required)" : "";
    return [`  --${flag} ${placeholder(option)}`, `${option.doc}${req}${d ? ` (default ${d})` : ""}`];
  });
  rows.push(...extra.map(([f, doc]) => [`  ${f}`, doc]));
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return rows.map(([f, doc]) => f.padEnd(width) + doc).join("\n");
}

/**
 * The `FewshotOptions` the given flags set (only those given, so each method keeps its defaults); a value that
 * is not valid, or a required flag left out, is a usage error naming the flag and what it takes.
 */
export function runOptionsFromFlags(
  options: ReadonlyMap<string, string>,
  /** Flags taken as given text, checked later by the run (method: plug-in names such as mvfa+ccb too). */
  asText: readonly string[] = [],
): Partial<FewshotOptions> {
  const values = new Map<string, OptionValue>();
  for (const { flag, option } of RUN_OPTION_FLAGS) {
    const raw = options.get(flag);
    if (raw === undefined) {
      if (option.required?.includes("cli")) throw new UsageError(`--${flag} is required`);
      continue;
    }
    const value = asText.includes(flag) ? raw : parseValue(raw, option.value);
    if (value === undefined) throw new UsageError(`--${flag} needs ${describeType(option.value)} (got '${raw}')`);
    values.set(option.key, value);
  }
  return fewshotOptionsFrom(values) as Partial<FewshotOptions>;
}
