import type { Labels } from "../../metrics/validate";

/** Image-level scores of one method on a test set, with 0/1 ground truth (1 = anomalous). */
export interface ScoredMethod {
  name: string;
  scores: ArrayLike<number>;
  labels: Labels;
}

export function asMethodList(input: ScoredMethod | ScoredMethod[]): ScoredMethod[] {
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0) throw new Error("no methods given: pass { name, scores, labels } or a list of them.");
  return list;
}

/** Drops keys whose value is undefined, so a payload equals itself after a JSON round trip (a saved notebook). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** JSON has no Infinity or NaN; payloads carry null for them. */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
