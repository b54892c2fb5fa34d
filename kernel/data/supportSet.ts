/**
 * The k-shot support set. MVFA/MadCLIP: k normal + k abnormal (with masks) from the `valid` split; MediCLIP: k
 * normal only, from `train` (falling back to `valid` where the layout has no train split). Either the reference's
 * list file is followed exactly (`n-0: …`, `a-0: …`) or a seeded draw is made; both are recorded so a result can
 * name precisely which images it saw. Python's random.sample cannot be reproduced here, so seeded draws match
 * the references in protocol, not in the particular images; list files match exactly.
 */
import * as fs from "fs";
import * as path from "path";
import { parseFewShotList } from "./supportLists";
import { Rng } from "../util/random/rng";
import { anomalyCategories } from "./anomalyCategories";
import { Dataset, Sample, Split } from "./types";

export type FewShotProtocol = "mvfa" | "madclip" | "mediclip" | "per-category";

export interface FewShotOptions {
  k: number;
  protocol: FewShotProtocol;
  /** Seed of the draw (default 0); ignored when a list file is used. */
  seed?: number;
  /** Which class; required when the dataset has several. */
  category?: string;
  /** A list file path, or "auto" to use the dataset's fewshot_seed list for this class and k if there is one. */
  listFile?: string;
  /** Which `n-<i>`/`a-<i>` line pair of the list (MVFA ships only 0). */
  iteration?: number;
  /** The method that asks, named in the "not enough images" messages. */
  method?: string;
}

/** JSON-serialisable record stored with results. Paths are relative to the dataset root. */
export interface FewShotRecord {
  protocol: FewShotProtocol;
  k: number;
  category: string;
  split: Split;
  source: "list-file" | "seeded";
  seed: number | null;
  listFile: string | null;
  iteration: number | null;
  normal: string[];
  abnormal: string[];
  /** "per-category" only: the abnormal support images of each anomaly category. */
  abnormalByCategory?: Record<string, string[]>;
  /** What the caller asked for (`list: auto | none | FILE`) and what it resolved to (methods/supportList.ts). */
  list?: { requested: string; used: "list-file" | "seeded"; note: string };
}

export interface FewShotSet {
  normal: Sample[];
  abnormal: Sample[];
  record: FewShotRecord;
}

/** The class to work on: the one asked for (checked), or the dataset's only class. */
export function pickCategory(ds: Dataset, wanted?: string): string {
  const cats = ds.summary.categories;
  if (wanted) {
    if (!cats.includes(wanted)) throw new Error(`${ds.root}: no class '${wanted}' (classes: ${cats.join(", ")})`);
    return wanted;
  }
  if (cats.length !== 1) throw new Error(`${ds.root}: ${cats.length} classes (${cats.join(", ")}); pass category`);
  return cats[0];
}

function byPath(a: Sample, b: Sample): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Why a draw of k normal + k abnormal support images cannot be made, and the ways forward. */
function notEnoughAbnormal(root: string, category: string, split: Split, have: number, k: number, protocol: FewShotProtocol, method?: string): string {
  const who = method ? `method ${method}` : `the ${protocol} support protocol`;
  const fewer = have > 0 ? `, lower shots to ${have}` : "";
  return (
    `${root}: ${category}/${split} has ${have} abnormal image${have === 1 ? "" : "s"}, but ${who} draws its k=${k} support images as ` +
    `${k} normal + ${k} abnormal from ${split}. Add abnormal images (with masks) to ${category}/${split}${fewer}, or use ` +
    `mediclip, which needs normal support images only (medad data info ${root} lists what each split holds).`
  );
}

export function selectFewShot(ds: Dataset, opts: FewShotOptions): FewShotSet {
  const { k, protocol } = opts;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  const category = pickCategory(ds, opts.category);
  const inCat = ds.samples.filter((s) => s.category === category);
  const split: Split = protocol === "mediclip" && inCat.some((s) => s.split === "train") ? "train" : "valid";
  const pool = inCat.filter((s) => s.split === split).sort(byPath);
  const normals = pool.filter((s) => s.label === "normal");
  const abnormals = pool.filter((s) => s.label === "abnormal");
  const needAbnormal = protocol !== "mediclip";
  const rel = (s: Sample) => path.relative(ds.root, s.path).split(path.sep).join("/");

  let listFile = opts.listFile;
  if (listFile === "auto") {
    const lists = ds.fewShotLists.filter((f) => f.category === category && f.k === k);
    // MadCLIP ships its own picks as my<k>-shot.txt; MVFA as <k>-shot.txt.
    const preferMy = protocol === "madclip";
    lists.sort((a, b) => Number(path.basename(b.path).startsWith("my") === preferMy) - Number(path.basename(a.path).startsWith("my") === preferMy));
    listFile = lists[0]?.path;
  }
  if (protocol === "per-category") {
    if (listFile) throw new Error(`${listFile}: list files give k abnormal images in total; the per-category protocol draws k per anomaly category, so leave listFile out`);
    return perCategory(ds, { k, category, split, normals, abnormals, seed: opts.seed ?? 0, rel });
  }
  if (listFile) {
    const iteration = opts.iteration ?? 0;
    const { iterations, dropped } = parseFewShotList(fs.readFileSync(listFile, "utf8"), listFile, protocol !== "mvfa");
    const entry = iterations.get(iteration);
    if (!entry) throw new Error(`${listFile}: no n-${iteration}/a-${iteration} lines (iterations: ${[...iterations.keys()].join(", ") || "none"})`);
    if (dropped.length) throw new Error(`${listFile}: ${dropped.join(", ")} would be dropped by the ${protocol} reader (only .png/.jpeg${protocol === "mvfa" ? "" : "/.jpg"}); rename the files or the entries`);
    const find = (names: string[], from: Sample[], kind: string) =>
      names.map((n) => {
        const s = from.find((c) => path.basename(c.path) === n);
        if (!s) throw new Error(`${listFile}: ${kind} '${n}' is not in ${ds.root} (${category}/${split}); the list belongs to another copy of the dataset`);
        return s;
      });
    const normal = find(entry.normal, normals, "normal image");
    const abnormal = needAbnormal ? find(entry.abnormal, abnormals, "abnormal image") : [];
    if (normal.length !== k || (needAbnormal && abnormal.length !== k)) {
      throw new Error(`${listFile}: iteration ${iteration} lists ${normal.length} normal and ${abnormal.length} abnormal images, not k=${k} each`);
    }
    return {
      normal, abnormal,
      record: { protocol, k, category, split, source: "list-file", seed: null, listFile, iteration, normal: normal.map(rel), abnormal: abnormal.map(rel) },
    };
  }
  const seed = opts.seed ?? 0;
  if (normals.length < k) throw new Error(`${ds.root}: ${category}/${split} has ${normals.length} normal images; k=${k} needs ${k}`);
  if (needAbnormal && abnormals.length < k) throw new Error(notEnoughAbnormal(ds.root, category, split, abnormals.length, k, protocol, opts.method));
  const rng = new Rng(seed);
  const normal = rng.sample(normals, k);
  const abnormal = needAbnormal ? rng.sample(abnormals, k) : [];
  return {
    normal, abnormal,
    record: { protocol, k, category, split, source: "seeded", seed, listFile: null, iteration: null, normal: normal.map(rel), abnormal: abnormal.map(rel) },
  };
}

/**
 * Multi-anomaly support (SD-MAD): k normal images plus k abnormal images of every anomaly category found among the
 * split's abnormal images (`anomalyType`, see anomalyCategories.ts), categories in sorted order, each drawn from the
 * images not already picked for an earlier category. Every abnormal image of the split must have a category.
 */
function perCategory(
  ds: Dataset,
  o: { k: number; category: string; split: Split; normals: Sample[]; abnormals: Sample[]; seed: number; rel: (s: Sample) => string },
): FewShotSet {
  const untyped = o.abnormals.filter((s) => anomalyCategories(s).length === 0);
  if (untyped.length) {
    throw new Error(`${ds.root}: ${untyped.length} abnormal ${o.category}/${o.split} image(s) have no anomaly category (e.g. ${o.rel(untyped[0])}); add an anomaly_type column to manifest.csv (or the CSV manifest) — see docs/sd-mad.md`);
  }
  const names = [...new Set(o.abnormals.flatMap(anomalyCategories))].sort();
  if (names.length === 0) throw new Error(`${ds.root}: ${o.category}/${o.split} has no abnormal images; the per-category protocol needs k per anomaly category`);
  if (o.normals.length < o.k) throw new Error(`${ds.root}: ${o.category}/${o.split} has ${o.normals.length} normal images; k=${o.k} needs ${o.k}`);
  const rng = new Rng(o.seed);
  const normal = rng.sample(o.normals, o.k);
  const picked = new Set<Sample>();
  const byCategory: Record<string, string[]> = {};
  for (const c of names) {
    const pool = o.abnormals.filter((s) => anomalyCategories(s).includes(c) && !picked.has(s));
    if (pool.length < o.k) throw new Error(`${ds.root}: anomaly category '${c}' has ${pool.length} unused abnormal ${o.category}/${o.split} images; k=${o.k} per category needs ${o.k} (lower shots)`);
    const draw = rng.fork(names.indexOf(c) + 1).sample(pool, o.k);
    draw.forEach((s) => picked.add(s));
    byCategory[c] = draw.map(o.rel);
  }
  const abnormal = o.abnormals.filter((s) => picked.has(s));
  return {
    normal, abnormal,
    record: { protocol: "per-category", k: o.k, category: o.category, split: o.split, source: "seeded", seed: o.seed, listFile: null, iteration: null, normal: normal.map(o.rel), abnormal: abnormal.map(o.rel), abnormalByCategory: byCategory },
  };
}
