import * as path from "path";
import type { FewshotJobParams } from "../worker/fewshotJob";
import { checkFewshotOptions } from "../methods/fewshotOptions";
import { specHash } from "./canonical";

/** Options shared by every run of a grid: what crosses a process boundary (dataset by path, no callbacks). */
export type GridCommon = Omit<FewshotJobParams, "method" | "shots" | "seed">;

/** methods × shots × seeds over one dataset and model: the `%%compare` body, or a grid spec file. */
export interface GridSpec {
  methods: string[];
  shots: number[];
  seeds: number[];
  common: GridCommon;
}

/** One run of the grid: one `fewshot` call. `id` is a hash of `params`, so it survives re-planning. */
export interface GridCell {
  id: string;
  /** Position in the manifest (the array task index). */
  index: number;
  method: string;
  shots: number;
  seed: number;
  params: FewshotJobParams;
}

/** A relative dataset or model folder means "relative to the folder the grid was planned from". */
function absoluteIfLocal(p: string): string {
  return p.startsWith(".") || path.isAbsolute(p) ? path.resolve(p) : p;
}

/** Normalises paths and drops settings that cannot change a result (where the feature cache lives). */
export function normaliseCommon(common: GridCommon): GridCommon {
  const out: GridCommon = { ...common, dataset: path.resolve(common.dataset), model: absoluteIfLocal(common.model) };
  delete out.featureCache;
  return JSON.parse(JSON.stringify(out)) as GridCommon;
}

/** The id of one run: what a cached result must match to be reused. */
export function cellId(params: FewshotJobParams): string {
  const { featureCache: _ignored, ...rest } = params;
  return specHash(rest);
}

/**
 * The runs of a grid in the order `%%compare` has always run them (method, then shots, then seed), which is also
 * the order of `CompareResult.runs`.
 */
export function gridCells(spec: GridSpec): GridCell[] {
  if (spec.methods.length === 0 || spec.shots.length === 0 || spec.seeds.length === 0)
    throw new Error("a grid needs at least one method, one shot count and one seed");
  const common = normaliseCommon(spec.common);
  const featureCache = spec.common.featureCache;
  const cells: GridCell[] = [];
  for (const method of spec.methods) {
    for (const shots of spec.shots) {
      for (const seed of spec.seeds) {
        const params: FewshotJobParams = { ...common, method, shots, seed };
        checkFewshotOptions(params, `grid: ${method} · ${shots}-shot · seed ${seed}`);
        const id = cellId(params);
        if (featureCache !== undefined) params.featureCache = featureCache;
        cells.push({ id, index: cells.length, method, shots, seed, params });
      }
    }
  }
  const seen = new Set<string>();
  for (const c of cells) {
    if (seen.has(c.id)) throw new Error(`grid: ${c.method} · ${c.shots}-shot · seed ${c.seed} is listed twice`);
    seen.add(c.id);
  }
  return cells;
}
