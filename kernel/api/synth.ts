/**
 * `medad.synth(...)`: MediCLIP's synthetic anomalies (methods.md §4.5) for a few normal images of a dataset — what
 * the `mediclip` method trains on — returned as arrays and, by default, shown as a grid (synthetic image with the
 * anomaly outlined, label map underneath). Tasks cycle in order over the samples so every requested task is shown;
 * training draws them at random instead (p = 0.25 each).
 */
import * as path from "path";
import { pickCategory, selectFewShot } from "../data/supportSet";
import { loadDataset } from "../data/loadDataset";
import { demoDatasetPath } from "../data/demo/paths";
import { Rng } from "../util/random/rng";
import type { CutPasteBlend } from "../data/synth/cutPaste";
import { readGraySample } from "../data/synth/sampleImage";
import { isSynthTask, synthesize, SYNTH_TASKS, SynthTaskName } from "../data/synth/tasks";
import type { Dataset } from "../data/types";
import { relPath } from "../methods/method";
import { synthGridPng } from "../viz/png/synthGridPng";
import { display } from "./display";

export interface SynthApiOptions {
  /** Dataset folder, a loaded Dataset, or omitted / "demo" for the bundled demo-brainmri set. */
  dataset?: string | Dataset;
  category?: string;
  /** Normal images drawn from the support pool (seeded, MediCLIP's normal-only protocol); CutPaste's sources. Default 4. */
  shots?: number;
  seed?: number;
  /** Synthetic samples to make (default 8). */
  count?: number;
  /** Tasks to cycle through (default: cutpaste, gauss-intensity, source-deformation, identity). */
  tasks?: SynthTaskName[];
  /** Image side (default 224, MediCLIP's input). */
  size?: number;
  /** CutPaste blending: "replace" (the code, default) or "poisson" (the paper). */
  cutPasteBlend?: CutPasteBlend;
  /** Show the grid (image/png) under the running cell (default true). */
  show?: boolean;
}

export interface SynthSampleRecord {
  /** Normal image it was made from (relative to the dataset root). */
  source: string;
  task: SynthTaskName;
  anomalies: number;
  /** Fraction of pixels inside the anomaly mask. */
  maskFraction: number;
  /** S×S synthetic image, 0–255. */
  image: Float32Array;
  /** S×S binary anomaly mask. */
  mask: Uint8Array;
  /** S×S label map in [0, 1] (what the loss trains towards). */
  label: Float32Array;
}

export interface SynthResult {
  schema: "medad.synth/1";
  dataset: { root: string; name: string; category: string };
  seed: number;
  size: number;
  cutPasteBlend: CutPasteBlend;
  sources: string[];
  samples: SynthSampleRecord[];
  /** The grid picture (PNG bytes). */
  png: Uint8Array;
}

function wholeNumber(v: number | undefined, name: string, fallback: number, min: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < min)
    throw new Error(`synth: ${name} must be a whole number ≥ ${min}, got ${String(v)}`);
  return n;
}

export function synth(o: SynthApiOptions = {}): SynthResult {
  const ds =
    typeof o.dataset === "object"
      ? o.dataset
      : loadDataset(o.dataset === undefined || o.dataset === "demo" ? demoDatasetPath() : path.resolve(o.dataset));
  const category = pickCategory(ds, o.category);
  const seed = wholeNumber(o.seed, "seed", 0, 0);
  const shots = wholeNumber(o.shots, "shots", 4, 1);
  const count = wholeNumber(o.count, "count", 8, 1);
  const size = wholeNumber(o.size, "size", 224, 16);
  const tasks = o.tasks ?? [...SYNTH_TASKS];
  const bad = tasks.find((t) => !isSynthTask(t));
  if (tasks.length === 0 || bad !== undefined)
    throw new Error(
      `synth: tasks must be a non-empty list from ${SYNTH_TASKS.join(", ")}${bad !== undefined ? ` ('${String(bad)}' is not one)` : ""}`,
    );
  const blend = o.cutPasteBlend ?? "replace";
  if (blend !== "replace" && blend !== "poisson")
    throw new Error(`synth: cutPasteBlend must be "replace" or "poisson", not '${String(blend)}'`);
  const support = selectFewShot(ds, { k: shots, protocol: "mediclip", seed, category });
  const normals = support.normal.map((s) => readGraySample(s, size));
  const sources = support.normal.map((s) => relPath(ds, s));
  const samples: SynthSampleRecord[] = [];
  for (let i = 0; i < count; i++) {
    const from = i % normals.length;
    const out = synthesize(normals[from], new Rng(seed).fork(i), {
      task: tasks[i % tasks.length],
      sources: normals,
      cutPasteBlend: blend,
      pixels: "uint8",
    });
    let on = 0;
    for (const v of out.mask) on += v;
    samples.push({
      source: sources[from],
      task: out.task,
      anomalies: out.anomalies,
      maskFraction: on / out.mask.length,
      image: Float32Array.from(out.image.data),
      mask: out.mask,
      label: Float32Array.from(out.label),
    });
  }
  const png = synthGridPng(
    samples.map((s) => ({
      ...s,
      size,
      caption: s.anomalies ? `${s.task} x${s.anomalies}` : s.task,
      note: path.basename(s.source),
    })),
  );
  if (o.show !== false) display.png(png);
  return {
    schema: "medad.synth/1",
    dataset: { root: ds.root, name: ds.name, category },
    seed,
    size,
    cutPasteBlend: blend,
    sources,
    samples,
    png,
  };
}
