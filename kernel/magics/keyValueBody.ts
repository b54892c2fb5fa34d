import { MagicError } from "./errors";
import { nearest } from "./suggest";

/** The type of one key in a magic's YAML-like body. */
export type KeyType =
  | { type: "string" }
  | { type: "path" }
  | { type: "number"; min?: number; max?: number }
  | { type: "integer"; min?: number; max?: number }
  | { type: "boolean" }
  | { type: "enum"; values: readonly string[] }
  | { type: "list"; of: "string" | "number" | "integer" };

export type KeySpec = KeyType & { description: string; required?: boolean };
export type BodySchema = Record<string, KeySpec>;
export type BodyValue = string | number | boolean | Array<string | number>;

/** Where a value came from, so later checks (a dataset that does not exist) can point at the line. */
export interface BodyEntry {
  value: BodyValue;
  line: number;
  column: number;
}

/** Strips a `#` comment: one at the start of the line or after whitespace, outside quotes. */
function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
      return text.slice(0, i);
    }
  }
  return text;
}

function unquote(raw: string): string {
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0]) return raw.slice(1, -1);
  return raw;
}

export function describeType(spec: KeyType): string {
  switch (spec.type) {
    case "enum":
      return `one of ${spec.values.join(" | ")}`;
    case "list":
      return `a list of ${spec.of}s such as [1, 2, 4]`;
    case "integer":
    case "number": {
      const range =
        spec.min !== undefined && spec.max !== undefined
          ? ` from ${spec.min} to ${spec.max}`
          : spec.min !== undefined
            ? ` ≥ ${spec.min}`
            : "";
      return `${spec.type === "integer" ? "a whole number" : "a number"}${range}`;
    }
    case "boolean":
      return "true or false";
    case "path":
      return "a file or folder path";
    default:
      return "a text value";
  }
}

function convertScalar(raw: string, type: "string" | "number" | "integer"): string | number | undefined {
  if (type === "string") return unquote(raw);
  const n = Number(raw);
  if (raw === "" || !Number.isFinite(n) || (type === "integer" && !Number.isInteger(n))) return undefined;
  return n;
}

function convert(raw: string, spec: KeyType): BodyValue | undefined {
  switch (spec.type) {
    case "string":
    case "path":
      return unquote(raw);
    case "boolean":
      return /^(true|yes|on)$/i.test(raw) ? true : /^(false|no|off)$/i.test(raw) ? false : undefined;
    case "enum":
      return spec.values.includes(unquote(raw)) ? unquote(raw) : undefined;
    case "number":
    case "integer": {
      const n = convertScalar(raw, spec.type);
      if (typeof n !== "number" || (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max))
        return undefined;
      return n;
    }
    case "list": {
      const inner = raw.startsWith("[") && raw.endsWith("]") ? raw.slice(1, -1) : raw;
      const items = inner
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      const values = items.map((item) => convertScalar(item, spec.of));
      return values.every((v) => v !== undefined) ? (values as Array<string | number>) : undefined;
    }
  }
}

/**
 * Parses a magic body of `key: value` lines (comments with `#`, blank lines ignored) against a schema.
 * Errors carry the cell line and column, what was expected, and the nearest valid key for typos.
 * `firstLine` is the 1-based cell line of the body's first line.
 */
export function parseKeyValueBody(body: string, schema: BodySchema, firstLine: number): Map<string, BodyEntry> {
  const entries = new Map<string, BodyEntry>();
  const keys = Object.keys(schema);
  body.split(/\r?\n/).forEach((rawLine, i) => {
    const line = firstLine + i;
    const text = stripComment(rawLine).trimEnd();
    if (text.trim() === "") return;
    const indent = text.length - text.trimStart().length;
    const colon = text.indexOf(":");
    if (colon < 0) {
      throw new MagicError(
        `'${text.trim()}' is not a 'key: value' line.`,
        line,
        indent + 1,
        `a line such as '${keys[0] ?? "key"}: value'`,
      );
    }
    const key = text.slice(indent, colon).trim();
    const spec = schema[key];
    if (!spec) {
      throw new MagicError(`unknown key '${key}'.`, line, indent + 1, `one of: ${keys.join(", ")}`, nearest(key, keys));
    }
    if (entries.has(key)) {
      throw new MagicError(`key '${key}' is given twice (first on line ${entries.get(key)!.line}).`, line, indent + 1);
    }
    const rawValue = text.slice(colon + 1).trim();
    const valueColumn = colon + 2 + (text.slice(colon + 1).length - text.slice(colon + 1).trimStart().length);
    const value = convert(rawValue, spec);
    if (value === undefined) {
      const suggestion = spec.type === "enum" ? nearest(unquote(rawValue), spec.values) : undefined;
      const shown = rawValue === "" ? "nothing" : `'${rawValue}'`;
      throw new MagicError(`${key}: ${shown} is not valid.`, line, valueColumn, describeType(spec), suggestion);
    }
    entries.set(key, { value, line, column: valueColumn });
  });
  for (const [key, spec] of Object.entries(schema)) {
    if (spec.required && !entries.has(key)) {
      throw new MagicError(`missing required key '${key}' (${spec.description}).`, firstLine, 1, `a line '${key}: …'`);
    }
  }
  return entries;
}
