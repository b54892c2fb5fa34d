/**
 * How the CCB and TSC plug-ins (ccb.ts, tsc.ts) enter a method's scoring: a method hands each image's per-level
 * token features (after its adapter) and its own branch function to `pluginBranches`, and its memory-bank images to
 * `pluginTokens`; TSC-samples runs later in evaluate() on the fused image scores. Any method that scores through these
 * two helpers gets both modules; fewshot() refuses a module a method did not apply (see `checkApplied`).
 */
import type { BranchScores } from "../result";
import { l2NormalizedRows } from "../branches";
import { ccbLevel, resolveCcb, stringKey, type CcbOptions, type ResolvedCcb } from "./ccb";
import { calibratePatches, resolveTsc, topMean, type ResolvedTsc, type TscOptions } from "./tsc";

/** `plugins` of medad.fewshot: true = defaults, an object = some settings changed. */
export interface PluginOptions {
  ccb?: boolean | CcbOptions;
  tsc?: boolean | TscOptions;
}

/** Resolved settings plus what the run did with them (filled while scoring). */
export interface ActivePlugins {
  ccb?: ResolvedCcb;
  tsc?: ResolvedTsc;
  /** The run seed (CCB's k-means init). */
  seed: number;
  applied: { ccbImages: number; tscPatchImages: number };
}

export function resolvePlugins(o: PluginOptions | undefined, seed: number): ActivePlugins | undefined {
  if (o === undefined) return undefined;
  if (typeof o !== "object" || o === null)
    throw new Error(`plugins: expected { ccb?, tsc? }, got ${JSON.stringify(o)}`);
  const unknown = Object.keys(o).filter((k) => k !== "ccb" && k !== "tsc");
  if (unknown.length) throw new Error(`plugins: unknown module '${unknown[0]}' (available: ccb, tsc)`);
  const ccb = resolveCcb(o.ccb);
  const tsc = resolveTsc(o.tsc);
  return ccb || tsc ? { ccb, tsc, seed, applied: { ccbImages: 0, tscPatchImages: 0 } } : undefined;
}

export interface Geometry {
  dim: number;
  grid: number;
  /** Map side S. */
  size: number;
}

/** CCB on every level of one image (identity without CCB). `key` names the image (path, plus a version suffix). */
export function pluginTokens(
  p: ActivePlugins | undefined,
  levels: Float32Array[],
  g: Pick<Geometry, "dim" | "grid">,
  key: string,
): Float32Array[] {
  if (!p?.ccb) return levels;
  p.applied.ccbImages++;
  const k = stringKey(key);
  return levels.map((t) => ccbLevel(t, g.dim, g.grid, p.ccb!, p.seed, k));
}

/** What a plugged-in method returns per image: its branches and, for TSC-samples, the image's node feature. */
export interface PluggedScores {
  branches: BranchScores[];
  node?: Float32Array;
}

/**
 * One image through the plug-ins: CCB on its levels, the method's `branchesOf`, then TSC-patches on every branch
 * level (patch scores propagated over that level's feature graph; level score = mean of the top fraction of the
 * propagated map, branch score = Σ levels) and, for TSC-samples, the node feature.
 */
export async function pluginBranches(
  p: ActivePlugins | undefined,
  levels: Float32Array[],
  g: Geometry,
  key: string,
  branchesOf: (levels: Float32Array[]) => BranchScores[] | Promise<BranchScores[]>,
  /** The levels already went through CCB (e.g. a support image taken back out of the memory bank). */
  o: { ccbDone?: boolean } = {},
): Promise<PluggedScores> {
  const feats = o.ccbDone ? levels : pluginTokens(p, levels, g, key);
  let branches = await branchesOf(feats);
  const tsc = p?.tsc;
  if (tsc?.mode === "patches") {
    p!.applied.tscPatchImages++;
    const unit = feats.map((t) => l2NormalizedRows(t, g.dim, 1));
    branches = branches.map((b) => {
      if (b.levels.length !== feats.length)
        throw new Error(
          `tsc patches: branch '${b.name}' has ${b.levels.length} levels for ${feats.length} feature levels`,
        );
      const lv = b.levels.map((l, i) => {
        const propagated = { ...l, grid: calibratePatches(l.grid, l.g, unit[i], g.dim, tsc) };
        return { ...propagated, image: topMean(b.render(propagated, g.size), tsc.topFraction) };
      });
      return { ...b, levels: lv, image: lv.reduce((s, l) => s + l.image, 0) };
    });
  }
  return {
    branches,
    node: tsc?.mode === "samples" ? nodeFeature(feats[feats.length - 1], g.dim, tsc.node) : undefined,
  };
}

/** TSC-samples' node: L2norm(mean of the unit patch rows) or the unit CLS row of the last level. */
export function nodeFeature(tokens: Float32Array, dim: number, node: ResolvedTsc["node"]): Float32Array {
  if (node === "global") return Float32Array.from(l2NormalizedRows(tokens, dim, 0, 1));
  const rows = l2NormalizedRows(tokens, dim, 1);
  const n = rows.length / dim;
  const mean = new Float64Array(dim);
  for (let r = 0; r < n; r++) for (let d = 0; d < dim; d++) mean[d] += rows[r * dim + d];
  return Float32Array.from(l2NormalizedRows(mean, dim));
}

/** Methods whose scoring does not expose per-level patch features to CCB or TSC-patches, and why (checked before a
 * run starts; `checkApplied` catches any other method afterwards). */
export const PATCH_PLUGINS_UNSUPPORTED: Record<string, string> = {
  madclip:
    "MadCLIP's patch features stay inside its ONNX score graph (adapters + dual-contrast head), so they cannot be replaced or used for a patch graph; use plugins: { tsc: true } (TSC-samples) only",
  "sd-mad":
    "SD-MAD computes its sign cosines from the last tap inside its own shift-adapter graph and keys its multi-anomaly decisions on its own branch objects, so its patch features are not passed through the plug-ins; use plugins: { tsc: true } (TSC-samples, binary image score only) only",
};

/** Before a run: refuses CCB / TSC-patches on a method known not to expose its patch features. */
export function checkSupported(method: string, p: ActivePlugins | undefined): void {
  const why = PATCH_PLUGINS_UNSUPPORTED[method];
  if (!why || !p) return;
  if (p.ccb) throw new Error(`method '${method}' cannot take the CCB plug-in: ${why}`);
  if (p.tsc?.mode === "patches") throw new Error(`method '${method}' cannot take the TSC-patches plug-in: ${why}`);
}

/** After a run: a requested module the method did not apply is an error, not a silent no-op. */
export function checkApplied(method: string, p: ActivePlugins | undefined): void {
  if (!p) return;
  if (p.ccb && p.applied.ccbImages === 0)
    throw new Error(
      `method '${method}' does not support the CCB plug-in (it never passed patch features through it); remove plugins.ccb`,
    );
  if (p.tsc?.mode === "patches" && p.applied.tscPatchImages === 0)
    throw new Error(
      `method '${method}' does not support the TSC-patches plug-in; use plugins: { tsc: { mode: "samples" } }`,
    );
}
