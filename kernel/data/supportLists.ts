/**
 * MVFA/MadCLIP few-shot list files: `fewshot_seed/<Class>/<k>-shot.txt` (MVFA) or `my<k>-shot.txt` (MadCLIP),
 * lines `n-<i>: a.png b.png` (normal) and `a-<i>: …` (abnormal), file names only.
 */
import * as fs from "fs";
import * as path from "path";
import { FewShotListFile, SkippedFile } from "./types";
import { listDir, subdirs } from "./walk";

/** Looks for fewshot_seed/ in the dataset folder, its parent, and the MVFA repository's dataset/ folder. */
export function findFewShotLists(root: string): FewShotListFile[] {
  const ignore: SkippedFile[] = [];
  const out: FewShotListFile[] = [];
  // MVFA keeps the lists in <repo>/dataset/fewshot_seed beside <repo>/data/<Name>_AD: the root may be data/ or a class.
  const up = path.dirname(root);
  const candidates = [path.join(root, "fewshot_seed"), path.join(up, "fewshot_seed"), path.join(up, "dataset", "fewshot_seed"), path.join(path.dirname(up), "dataset", "fewshot_seed")];
  const seen = new Set<string>();
  for (const dir of candidates) {
    if (!fs.existsSync(dir) || seen.has(dir)) continue;
    seen.add(dir);
    for (const c of subdirs(dir, ignore)) {
      for (const f of listDir(c.path, ignore)) {
        const m = /^(?:my)?(\d+)-shot\.txt$/.exec(f.name);
        if (m && !f.isDir) out.push({ category: c.name, k: Number(m[1]), path: f.path });
      }
    }
  }
  return out.sort((a, b) => a.category.localeCompare(b.category) || a.k - b.k || a.path.localeCompare(b.path));
}

export interface FewShotListEntry {
  normal: string[];
  abnormal: string[];
}

/**
 * Parses a list file into iterations. Like MVFA, only names ending .png/.jpeg are kept unless `acceptJpg`
 * (MadCLIP also keeps .jpg); a dropped name is reported rather than lost silently.
 */
export function parseFewShotList(text: string, file: string, acceptJpg = true): { iterations: Map<number, FewShotListEntry>; dropped: string[] } {
  const iterations = new Map<number, FewShotListEntry>();
  const dropped: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^\s*([na])-(\d+)\s*:(.*)$/.exec(line);
    if (!m) throw new Error(`${file}:${i + 1}: expected 'n-<i>: names…' or 'a-<i>: names…', got '${line.slice(0, 60)}'`);
    const it = Number(m[2]);
    let entry = iterations.get(it);
    if (!entry) iterations.set(it, (entry = { normal: [], abnormal: [] }));
    for (const name of m[3].trim().split(/\s+/).filter(Boolean)) {
      const ok = /\.(png|jpeg)$/i.test(name) || (acceptJpg && /\.jpg$/i.test(name));
      if (!ok) dropped.push(name);
      else (m[1] === "n" ? entry.normal : entry.abnormal).push(name);
    }
  });
  return { iterations, dropped };
}
