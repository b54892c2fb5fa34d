/**
 * Where `medad run` writes the executed notebook: checked before any cell runs (so an hour of outputs is not lost
 * to a typo), and, if the final write fails anyway (the disk filled up meanwhile), saved to a fallback file.
 * `medad fewshot --out` uses the same check before its run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeNotebook, type Ipynb } from "../notebook/ipynb";
import { describeWriteFailure, errnoCode, fsFix } from "../util/fsErrors";
import type { CliIo } from "./command";

/** Below this much free space the output folder is refused before running: outputs with images need more. */
export const MIN_FREE_BYTES = 1 << 20;

function freeBytes(dir: string): number | undefined {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined; // not supported on this platform: the fallback file still protects the outputs
  }
}

/** The path's stat, or undefined when nothing is there (also when a part of the path is a file: ENOTDIR). */
function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** Why `out` (a `--out` file) cannot be written, naming the path and the fix; undefined when it can. `example`
 * is the file name suggested when `out` is a folder. Also used by `medad fewshot --out` before its run. */
export function outputProblem(out: string, example = "executed.ipynb"): string | undefined {
  const dir = path.dirname(out);
  const stat = statOf(out);
  if (stat?.isDirectory()) return `--out ${out} is a folder; give a file path, e.g. --out ${path.join(out, example)}.`;
  const dirStat = statOf(dir);
  if (!dirStat)
    return `the folder of --out (${dir}) does not exist; create it (mkdir -p ${dir}) or choose another --out.`;
  if (!dirStat.isDirectory()) return `the folder of --out (${dir}) is a file, not a folder; choose another --out.`;
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    return `cannot write in the folder of --out (${dir}: ${errnoCode(err) ?? (err as Error).message}). ${fsFix(errnoCode(err))}`;
  }
  const free = freeBytes(dir);
  if (free !== undefined && free < MIN_FREE_BYTES)
    return `the disk of --out (${dir}) has only ${free} bytes free. ${fsFix("ENOSPC")}`;
  return undefined;
}

/** `<name>.unsaved-<time>.ipynb` beside `out`, then in the temp folder. */
export function fallbackPaths(out: string, now = new Date()): string[] {
  const name = `${path.basename(out).replace(/\.ipynb$/i, "")}.unsaved-${now.toISOString().replace(/[:.]/g, "-")}.ipynb`;
  return [path.join(path.dirname(out), name), path.join(os.tmpdir(), name)];
}

/**
 * Writes the executed notebook to `out`; if that fails, to the first fallback that works, saying where. Resolves
 * to the path written, or undefined when nothing could be written (each failure is printed).
 */
export function saveExecuted(out: string, nb: Ipynb, io: CliIo, write = writeNotebook): string | undefined {
  try {
    write(out, nb);
    return out;
  } catch (err) {
    io.err(`medad run: ${describeWriteFailure(out, err)}\n`);
  }
  const tried: string[] = [];
  for (const fallback of fallbackPaths(out)) {
    try {
      write(fallback, nb);
      io.err(
        `medad run: the executed notebook (all outputs) was saved to ${fallback} instead; move it where you want it.\n`,
      );
      return fallback;
    } catch (err) {
      tried.push(describeWriteFailure(fallback, err));
    }
  }
  io.err(
    `medad run: the fallback copies could not be written either, so the outputs are lost:\n  ${tried.join("\n  ")}\n`,
  );
  return undefined;
}
