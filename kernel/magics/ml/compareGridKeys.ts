import type { CompareOptions } from "../../api/compare";
import { MagicError } from "../errors";
import type { BodyEntry, BodySchema } from "../keyValueBody";

/** `%%compare` keys that choose where the grid runs (docs/scale-out.md); the rest of the body is the grid itself. */
export const compareGridKeys: BodySchema = {
  backend: {
    type: "enum",
    values: ["local", "slurm"],
    description: "where the runs go: local (default: this kernel's worker) or slurm (an sbatch --array job)",
  },
  parallel: { type: "integer", min: 1, max: 64, description: "local backend: run cells in N worker processes" },
  grid_dir: { type: "path", description: "slurm backend: grid folder on a shared filesystem (manifest, results)" },
  partition: { type: "string", description: "slurm backend: sbatch --partition" },
  gpus: { type: "integer", min: 0, description: "slurm backend: GPUs per cell (--gres=gpu:N)" },
  cpus: { type: "integer", min: 1, description: "slurm backend: CPUs per cell (--cpus-per-task)" },
  time: { type: "string", description: "slurm backend: time limit per cell, e.g. 00:30:00" },
  mem: { type: "string", description: "slurm backend: memory per cell, e.g. 8G" },
  throttle: { type: "integer", min: 1, description: "slurm backend: at most N cells at once (--array=…%N)" },
};

/** The backend part of CompareOptions from a parsed `%%compare` body. */
export function gridOptionsFromBody(
  body: Map<string, BodyEntry>,
): Pick<CompareOptions, "backend" | "parallel" | "slurm"> {
  const get = <T>(key: string): T | undefined => body.get(key)?.value as T | undefined;
  const backend = get<"local" | "slurm">("backend");
  const slurmKeys = ["grid_dir", "partition", "gpus", "cpus", "time", "mem", "throttle"];
  const given = slurmKeys.find((k) => body.has(k));
  if (given && backend !== "slurm") {
    const e = body.get(given)!;
    throw new MagicError(`${given}: only the slurm backend uses it.`, e.line, e.column, "a line 'backend: slurm'");
  }
  if (body.has("parallel") && backend === "slurm") {
    const e = body.get("parallel")!;
    throw new MagicError(
      "parallel: the slurm backend runs each cell as its own task.",
      e.line,
      e.column,
      "throttle: N",
    );
  }
  return {
    backend,
    parallel: get<number>("parallel"),
    slurm:
      backend === "slurm"
        ? {
            dir: get<string>("grid_dir"),
            partition: get<string>("partition"),
            gpus: get<number>("gpus"),
            cpus: get<number>("cpus"),
            time: get<string>("time"),
            mem: get<string>("mem"),
            throttle: get<number>("throttle"),
          }
        : undefined,
  };
}
