// Shared test helpers for the engine: fixture paths, temp dirs, and the fixture README's tolerance check.
import * as path from "path";
import { tinyClipDir } from "../../helpers/fixturePaths";
import { tempDir as makeTempDir } from "../../helpers/tempTree";

export const FIXTURE = tinyClipDir;
export const fixturePath = (...p: string[]) => path.join(FIXTURE, ...p);

export function tempDir(): string {
  return makeTempDir("medad-engine-test-");
}

export interface Diff {
  maxAbs: number;
  maxRel: number;
  bound: number;
  ok: boolean;
}

/**
 * The fixture README's criterion: max|a − b| ≤ atol + rtol · max|b|; maxRel = max|a − b| / max|b|.
 * Also fails on any length mismatch or non-finite value, so it cannot pass vacuously.
 */
export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-4, atol = 1e-5): Diff {
  if (actual.length !== expected.length || expected.length === 0)
    return { maxAbs: Infinity, maxRel: Infinity, bound: 0, ok: false };
  let maxAbs = 0;
  let maxRef = 0;
  let finite = true;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!Number.isFinite(d)) finite = false;
    if (d > maxAbs) maxAbs = d;
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  const bound = atol + rtol * maxRef;
  return { maxAbs, maxRel: maxRef > 0 ? maxAbs / maxRef : maxAbs, bound, ok: finite && maxAbs <= bound };
}

export function fmt(d: Diff): string {
  return `max abs ${d.maxAbs.toExponential(2)}, max rel ${d.maxRel.toExponential(2)} (bound ${d.bound.toExponential(2)})`;
}
