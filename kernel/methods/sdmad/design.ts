// The constants of our SD-MAD-inspired design (methods.md §6.2), in one place for the graphs, the TypeScript scores
// and the result's settings.

/** Shift adapter: x' = λx + (1 − λ)·a. */
export const SHIFT_KEEP = 0.8;
/** Logit temperature τ. */
export const TEMPERATURE = 0.07;
/** Inter-category margin m (cosine units) and its weight λ_d. */
export const MARGIN = 0.1;
export const MARGIN_WEIGHT = 1;
/** Sign selection keeps at least this many signs per category. */
export const MIN_SIGNS = 2;
/** Test images whose decision entropy is above this percentile of the support set's fall back to all signs. */
export const UNCERTAIN_PERCENTILE = 90;

/** Patches averaged for a sign's local score: ⌈1 %⌉ of them, at least one. */
export function topCount(patches: number): number {
  return Math.max(1, Math.ceil(0.01 * patches));
}
