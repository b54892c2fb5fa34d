/**
 * The `list:` key (issue 20): which support images a run uses. `auto` (default) follows the method's own reference
 * list for this class and k when the dataset ships one — MVFA reads `fewshot_seed/<Class>/<k>-shot.txt`, MadCLIP
 * `my<k>-shot.txt` (methods.md §2.5, §3.5) — and otherwise draws a seeded set; `none` always draws; a path names a
 * list file. `auto` is the default (the option table, fewshotOptions.ts). Methods without reference lists (MediCLIP samples at random, the training-free baselines) draw.
 */
import * as path from "path";
import type { Dataset } from "../data/types";
import { optionDefault } from "./fewshotOptions";

/** Which list files are a method's own: MVFA's `<k>-shot.txt`, MadCLIP's `my<k>-shot.txt`. */
const OWN_LISTS: Record<string, (file: string) => boolean> = {
  mvfa: (f) => /^\d+-shot\.txt$/.test(f),
  madclip: (f) => /^my\d+-shot\.txt$/.test(f),
};

export interface SupportListChoice {
  /** The list file selectFewShot should follow (undefined: seeded draw). */
  file?: string;
  record: { requested: string; used: "list-file" | "seeded"; note: string };
}

export function resolveSupportList(
  ds: Dataset,
  category: string,
  k: number,
  method: string,
  list: string | undefined,
  legacyListFile: string | undefined,
): SupportListChoice {
  // The older listFile key keeps its meaning ("auto" there = any shipped list, MadCLIP's preferred for madclip).
  if (legacyListFile !== undefined) {
    const file = legacyListFile === "auto" ? autoAny(ds, category, k, method) : legacyListFile;
    return {
      file,
      record: {
        requested: `listFile: ${legacyListFile}`,
        used: file ? "list-file" : "seeded",
        note: file ? `followed ${file}` : "no list for this class and k: seeded draw",
      },
    };
  }
  const requested = list ?? optionDefault<string>("list", method)!;
  if (requested === "none") return { record: { requested, used: "seeded", note: "seeded draw (list: none)" } };
  if (requested !== "auto")
    return { file: requested, record: { requested, used: "list-file", note: `followed ${requested}` } };
  const own = method in OWN_LISTS ? OWN_LISTS[method] : undefined;
  const match = own
    ? ds.fewShotLists.find((f) => f.category === category && f.k === k && own(path.basename(f.path)))
    : undefined;
  if (match)
    return {
      file: match.path,
      record: {
        requested,
        used: "list-file",
        // A reference list fixes the support images, so a seed changes only training (and the test subsample).
        note: `the ${method} reference list ${match.path} (the seed does not change the support images; list: none draws them)`,
      },
    };
  return {
    record: {
      requested,
      used: "seeded",
      note: own
        ? `the dataset ships no ${method} list for ${category}, k=${k}: seeded draw`
        : `${method} has no reference list files: seeded draw`,
    },
  };
}

function autoAny(ds: Dataset, category: string, k: number, method: string): string | undefined {
  const lists = ds.fewShotLists.filter((f) => f.category === category && f.k === k);
  const my = (f: { path: string }) => path.basename(f.path).startsWith("my");
  const preferMy = method === "madclip";
  return (lists.find((f) => my(f) === preferMy) ?? lists[0])?.path;
}
