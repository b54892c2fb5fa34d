/**
 * `medad.saveResult` / `medad.loadResult`: a finished run (FewshotResult or CompareResult) as one JSON file with a
 * format name and version, plus — for trained methods whose run wrote a checkpoint — a byte-exact copy of each
 * adapter checkpoint next to it, recorded with its SHA-256. Loading gives back exactly the value that was saved
 * (NaN, ±Infinity, −0 and undefined fields included, which plain JSON would lose) and checks every adapter copy.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { FewshotResult } from "../methods/result";
import { writeFileAtomic } from "../util/atomicWrite";
import { packageVersion } from "../util/packageRoot";
import { isFewshotResult } from "./fromFewshot";
import { isCompareResult, runsOf } from "./resultViews";
import type { CompareResult } from "./compare";

export const SAVED_RESULT_FORMAT = "medad.saved-result";
export const SAVED_RESULT_VERSION = 1;

export interface SavedAdapter {
  /** Index of the run in the result (0 for a FewshotResult). */
  run: number;
  /** File name of the copy, beside the JSON file. */
  file: string;
  sha256: string;
  bytes: number;
  /** Where the run wrote it (the result's settings.checkpoint). */
  source: string;
}

interface SavedFile {
  format: typeof SAVED_RESULT_FORMAT;
  version: number;
  kind: "fewshot" | "compare";
  savedAt: string;
  medadVersion: string;
  adapters: SavedAdapter[];
  result: unknown;
}

export interface SaveReport {
  file: string;
  adapters: SavedAdapter[];
  /** Checkpoints a run names that no longer exist (the result is saved without them). */
  warnings: string[];
}

/** What %save prints: the file and each adapter copy. */
export function describeSave(report: SaveReport): string {
  const lines = [`saved ${report.file}`];
  for (const a of report.adapters)
    lines.push(`  adapter of run ${a.run}: ${a.file} (${a.bytes} bytes, sha256 ${a.sha256.slice(0, 16)}…)`);
  for (const w of report.warnings) lines.push(`  warning: ${w}`);
  return lines.join("\n");
}

/** An adapter copy checked against its recorded digest, usable as `options.checkpoint` of a new run. */
export interface LoadedAdapter {
  run: number;
  file: string;
  sha256: string;
}

const adaptersOfLoaded = new WeakMap<object, LoadedAdapter[]>();

/** The adapter checkpoints restored with a result by `loadResult` (empty for training-free methods). */
export function loadedAdapters(result: object): LoadedAdapter[] {
  return adaptersOfLoaded.get(result) ?? [];
}

// --- exact JSON: tags for the values plain JSON cannot hold -----------------------------------------------------

const TAG = "$medad";

function encodeValue(value: unknown): unknown {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return { [TAG]: "NaN" };
    if (value === Infinity) return { [TAG]: "Infinity" };
    if (value === -Infinity) return { [TAG]: "-Infinity" };
    if (Object.is(value, -0)) return { [TAG]: "-0" };
    return value;
  }
  if (value === undefined) return { [TAG]: "undefined" };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value && typeof value === "object") {
    if (ArrayBuffer.isView(value))
      throw new Error("saveResult: typed arrays are not part of a result; convert them with Array.from first");
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)]));
  }
  return value;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === TAG) {
      const tag = (value as Record<string, unknown>)[TAG];
      const special: Record<string, unknown> = {
        NaN: NaN,
        Infinity: Infinity,
        "-Infinity": -Infinity,
        "-0": -0,
        undefined: undefined,
      };
      if (typeof tag !== "string" || !(tag in special)) throw new Error(`unknown tag ${JSON.stringify(tag)}`);
      return special[tag];
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = decodeValue((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function adapterName(target: string, run: number, runs: number): string {
  const stem = path.basename(target).replace(/\.json$/i, "");
  return runs === 1 ? `${stem}.adapter.safetensors` : `${stem}.run${run}.adapter.safetensors`;
}

/**
 * Saves a FewshotResult or CompareResult to `file` (JSON, written atomically; the folder is created). Trained runs'
 * checkpoints are copied beside it as `<name>.adapter.safetensors` (`<name>.run<i>.adapter.safetensors` for grids).
 */
export function saveResult(result: FewshotResult | CompareResult, file: string): SaveReport {
  const kind = isFewshotResult(result) ? "fewshot" : isCompareResult(result) ? "compare" : undefined;
  if (!kind) {
    runsOf(result, "saveResult"); // throws, saying what was given, unless it is a list of results
    throw new Error("saveResult: got a list of results; save each one, or the CompareResult they came from.");
  }
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const runs = runsOf(result, "saveResult");
  const adapters: SavedAdapter[] = [];
  const warnings: string[] = [];
  runs.forEach((r, i) => {
    const source = r.settings?.checkpoint;
    if (typeof source !== "string") return;
    if (!fs.existsSync(source)) {
      warnings.push(
        `run ${i} (${r.label || r.method}): its checkpoint ${source} no longer exists, so no adapter was saved with it.`,
      );
      return;
    }
    const bytes = fs.readFileSync(source);
    const name = adapterName(target, i, runs.length);
    writeFileAtomic(path.join(path.dirname(target), name), bytes);
    adapters.push({ run: i, file: name, sha256: sha256(bytes), bytes: bytes.length, source });
  });
  const saved: SavedFile = {
    format: SAVED_RESULT_FORMAT,
    version: SAVED_RESULT_VERSION,
    kind,
    savedAt: new Date().toISOString(),
    medadVersion: packageVersion(),
    adapters,
    result: encodeValue(result),
  };
  writeFileAtomic(target, JSON.stringify(saved) + "\n");
  return { file: target, adapters, warnings };
}

/** A saved file that cannot be read as a result: the message names the file and what to do. */
export class SavedResultError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = "SavedResultError";
  }
}

/** Reads a file written by `saveResult`; checks format, version and every adapter copy (size and SHA-256). */
export function loadResult(file: string): FewshotResult | CompareResult {
  const source = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(source, "utf8");
  } catch (err) {
    throw new SavedResultError(
      source,
      `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the path of a file written by %save or medad.saveResult.`,
    );
  }
  let parsed: Partial<SavedFile>;
  try {
    parsed = JSON.parse(text) as Partial<SavedFile>;
  } catch (err) {
    throw new SavedResultError(
      source,
      `is corrupt: not valid JSON (${(err as Error).message}). Save the result again.`,
    );
  }
  if (!parsed || typeof parsed !== "object" || parsed.format !== SAVED_RESULT_FORMAT) {
    throw new SavedResultError(
      source,
      `is not a saved MedAD result (its format is ${JSON.stringify(parsed?.format)}, expected "${SAVED_RESULT_FORMAT}"); files from %save or medad.saveResult can be loaded.`,
    );
  }
  if (parsed.version !== SAVED_RESULT_VERSION) {
    const newer = typeof parsed.version === "number" && parsed.version > SAVED_RESULT_VERSION;
    throw new SavedResultError(
      source,
      `has version ${JSON.stringify(parsed.version)}; this MedAD Lab reads version ${SAVED_RESULT_VERSION}${newer ? " (update MedAD Lab to read it)" : ""}.`,
    );
  }
  let result: unknown;
  try {
    result = decodeValue(parsed.result);
  } catch (err) {
    throw new SavedResultError(source, `is corrupt: ${(err as Error).message}. Save the result again.`);
  }
  const ok =
    parsed.kind === "fewshot" ? isFewshotResult(result) : parsed.kind === "compare" ? isCompareResult(result) : false;
  if (!ok)
    throw new SavedResultError(
      source,
      `is corrupt: its result is not a ${parsed.kind ?? "known"} result (schema medad.fewshot-result/1 expected). Save the result again.`,
    );
  const loaded: LoadedAdapter[] = [];
  for (const a of Array.isArray(parsed.adapters) ? parsed.adapters : []) {
    const adapterFile = path.join(path.dirname(source), path.basename(String(a.file)));
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(adapterFile);
    } catch {
      throw new SavedResultError(
        source,
        `names the adapter ${adapterFile}, which is missing; keep the .adapter.safetensors files beside the JSON file.`,
      );
    }
    if (bytes.length !== a.bytes || sha256(bytes) !== a.sha256) {
      throw new SavedResultError(
        source,
        `its adapter ${adapterFile} does not match the SHA-256 recorded when it was saved (changed or corrupt); save the result again from a fresh run.`,
      );
    }
    loaded.push({ run: a.run, file: adapterFile, sha256: a.sha256 });
  }
  adaptersOfLoaded.set(result as object, loaded);
  return result as FewshotResult | CompareResult;
}
