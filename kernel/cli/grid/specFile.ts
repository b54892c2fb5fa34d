import * as fs from "fs";
import * as path from "path";
import { compareSpec, type CompareOptions } from "../../api/compare";
import type { GridSpec } from "../../grid/spec";
import { MagicError } from "../../magics/errors";
import { compareOptionsFromBody } from "../../magics/ml/compare";

function bodyLine(key: string, value: unknown, file: string): string {
  if (Array.isArray(value)) return `${key}: [${value.join(", ")}]`;
  if (value === null || typeof value === "object") throw new Error(`${file}: "${key}" must be a value or a list`);
  return `${key}: ${String(value)}`;
}

/**
 * A grid spec file → compare's options: a `%%compare` body in a file of its own (any name; the same keys, e.g.
 * `methods: [zero-shot, patchcore]`), or a `.json` object with the same keys. Relative paths in it are relative to
 * the working folder, as in a notebook. Errors name the file, the line (or JSON key) and the fix.
 */
export function readSpecFile(file: string): { options: CompareOptions; spec: GridSpec } {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new Error(`${abs}: no such spec file`);
  const text = fs.readFileSync(abs, "utf8");
  let keys: string[] = [];
  let body = text;
  if (abs.endsWith(".json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(`${abs}: not valid JSON (${(err as Error).message})`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new Error(`${abs}: a grid spec is one JSON object with the %%compare keys (methods, shots, seeds, …)`);
    keys = Object.keys(parsed);
    body = keys.map((k) => bodyLine(k, (parsed as Record<string, unknown>)[k], abs)).join("\n");
  }
  try {
    const options = compareOptionsFromBody(body, 1);
    return { options, spec: compareSpec(options) };
  } catch (err) {
    if (!(err instanceof MagicError)) throw err;
    if (keys.length > 0) {
      const key = keys[err.line - 1];
      const where = key ? `key "${key}"` : "top level";
      throw new Error(`${abs}: ${where}: ${err.message}${err.expected ? ` Expected ${err.expected}.` : ""}`);
    }
    throw new Error(`${abs}: ${err.describe()}`);
  }
}
