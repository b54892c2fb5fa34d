import { MagicError } from "./errors";
import { nearest } from "./suggest";
import { describeType, parseValue, unquote, type OptionValue, type ValueType } from "../util/optionValues";

/** The type of one key in a magic's YAML-like body: the run options' value types (`kernel/util/optionValues.ts`). */
export type KeyType = ValueType;
export { describeType };

export type KeySpec = KeyType & { description: string; required?: boolean };
export type BodySchema = Record<string, KeySpec>;
export type BodyValue = OptionValue;

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
    const value = parseValue(rawValue, spec);
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
