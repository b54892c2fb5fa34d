/**
 * The value types of run options and their one parser and checker, shared by every surface that takes them: a magic
 * body (`kernel/magics/keyValueBody.ts`), CLI flags (`kernel/cli/runOptionFlags.ts`) and the API's validation
 * (`kernel/methods/fewshotOptions.ts`). Text (a cell line, a flag value) goes through `parseValue`; a value given
 * from TypeScript goes through `checkValue`; both apply the same rule, which `describeType` words for error messages.
 */

export type ValueType =
  | { type: "string" }
  | { type: "path" }
  | { type: "number"; min?: number; max?: number }
  | { type: "integer"; min?: number; max?: number }
  | { type: "boolean" }
  | { type: "enum"; values: readonly string[] }
  /** Items may carry the range of an integer/number option (`shots: [1, 2, 4]` in `%%compare`). */
  | { type: "list"; of: "string" | "number" | "integer"; min?: number; max?: number };

export type OptionValue = string | number | boolean | Array<string | number>;

function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return "";
}

/** What a valid value looks like, e.g. "a whole number from 0 to 256" (the `Expected …` of an error). */
export function describeType(spec: ValueType): string {
  switch (spec.type) {
    case "enum":
      return `one of ${spec.values.join(" | ")}`;
    case "list":
      return `a list of ${spec.of}s${range(spec.min, spec.max)} such as [1, 2, 4]`;
    case "integer":
    case "number":
      return `${spec.type === "integer" ? "a whole number" : "a number"}${range(spec.min, spec.max)}`;
    case "boolean":
      return "true or false";
    case "path":
      return "a file or folder path";
    default:
      return "a text value";
  }
}

/** Removes one pair of matching quotes around a value. */
export function unquote(raw: string): string {
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0]) return raw.slice(1, -1);
  return raw;
}

function inRange(n: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || n >= min) && (max === undefined || n <= max);
}

function scalar(raw: string, of: "string" | "number" | "integer", min?: number, max?: number) {
  if (of === "string") return unquote(raw);
  const n = Number(raw);
  if (raw === "" || !Number.isFinite(n) || (of === "integer" && !Number.isInteger(n)) || !inRange(n, min, max))
    return undefined;
  return n;
}

/** Text → value, or undefined when the text is not a valid value of the type. Lists are `[a, b]` or `a, b`. */
export function parseValue(raw: string, spec: ValueType): OptionValue | undefined {
  switch (spec.type) {
    case "string":
    case "path":
      return unquote(raw);
    case "boolean":
      return /^(true|yes|on)$/i.test(raw) ? true : /^(false|no|off)$/i.test(raw) ? false : undefined;
    case "enum":
      return spec.values.includes(unquote(raw)) ? unquote(raw) : undefined;
    case "number":
    case "integer":
      return scalar(raw, spec.type, spec.min, spec.max);
    case "list": {
      const inner = raw.startsWith("[") && raw.endsWith("]") ? raw.slice(1, -1) : raw;
      const items = inner
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      const values = items.map((item) => scalar(item, spec.of, spec.min, spec.max));
      return values.every((v) => v !== undefined) ? (values as Array<string | number>) : undefined;
    }
  }
}

/** True when a value given from code is valid for the type (the same rule as `parseValue`). */
export function checkValue(value: unknown, spec: ValueType): boolean {
  switch (spec.type) {
    case "string":
    case "path":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "enum":
      return typeof value === "string" && spec.values.includes(value);
    case "number":
    case "integer":
      return (
        typeof value === "number" &&
        Number.isFinite(value) &&
        (spec.type === "number" || Number.isInteger(value)) &&
        inRange(value, spec.min, spec.max)
      );
    case "list":
      return (
        Array.isArray(value) &&
        value.every((v) =>
          spec.of === "string" ? typeof v === "string" : checkValue(v, { type: spec.of, min: spec.min, max: spec.max }),
        )
      );
  }
}
