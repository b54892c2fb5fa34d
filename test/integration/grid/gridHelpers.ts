import { spawnSync } from "child_process";
import * as path from "path";
import { loadResult } from "../../../kernel/api/savedResults";
import type { CompareResult } from "../../../kernel/grid/summary";

export const ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const MEDAD = path.join(ROOT, "bin", "medad.js");

/** A small grid on the bundled demo data with the built-in random-weight demo model: 4 runs of about a second. */
export const SPEC_LINES = [
  "methods: [zero-shot, patchcore]",
  "shots: [1]",
  "seeds: [0, 1]",
  "model: medad/demo-tiny-clip",
  "dataset: demo",
  "max_test: 6",
];

export function medad(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [MEDAD, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 120000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * What may differ between two runs of the same cell: when it ran, how long it took and whether the text-prompt
 * matrix came from the process's in-memory cache (one process ran every cell before, one per cell now) — records
 * of where a value came from, not of the value. Every other field (scores, metrics, support files, normalisation,
 * the rest of the settings, code version) must be equal.
 */
export function withoutClock(result: CompareResult): unknown {
  return {
    cells: result.cells,
    runs: result.runs.map((r) => {
      const { createdAt: _c, timings: _t, ...rest } = r;
      const { textMatrix: _m, ...settings } = rest.settings;
      return { ...rest, settings };
    }),
  };
}

export function loadCompare(file: string): CompareResult {
  return loadResult(file) as CompareResult;
}
