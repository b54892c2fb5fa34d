import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { packageRoot } from "../util/packageRoot";
import { writeFileAtomic } from "../util/atomicWrite";
import type { GridManifest } from "./manifest";

/** sbatch settings of a grid's array job; every one is optional (the cluster's defaults apply). */
export interface SlurmOptions {
  partition?: string;
  /** GPUs per cell, as --gres=gpu:N (works with both select/linear and cons_tres). */
  gpus?: number;
  cpus?: number;
  /** Time limit per cell, e.g. "00:30:00". */
  time?: string;
  /** Memory per cell, e.g. "8G". */
  mem?: string;
  /** At most this many cells at once: --array=…%N. */
  throttle?: number;
  account?: string;
  /** More `#SBATCH` lines, e.g. ["--qos=short"]. */
  extra?: string[];
  /** Node.js on the compute nodes (default: the node running this). */
  node?: string;
}

/** One `sbatch` of a grid: which cells it ran, kept in `<dir>/slurm/jobs.json` for status and log paths. */
export interface Submission {
  jobId: string;
  indices: number[];
  script: string;
  submittedAt: string;
}

/** [0,1,2,3,5,7,8] → "0-3,5,7-8"; the throttle becomes "%N". */
export function arrayRange(indices: number[], throttle?: number): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",") + (throttle ? `%${throttle}` : "");
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** The log of one array task (`#SBATCH --output` uses the same pattern). */
export function taskLog(dir: string, jobId: string, index: number): string {
  return path.join(dir, "logs", `${jobId}_${index}.out`);
}

/** The batch script: one array task = one `medad grid run --index $SLURM_ARRAY_TASK_ID`. */
export function sbatchScript(dir: string, manifest: GridManifest, indices: number[], o: SlurmOptions = {}): string {
  if (indices.length === 0) throw new Error("sbatchScript: no cells to submit");
  const lines = [
    "#!/bin/bash",
    `#SBATCH --job-name=medad-grid-${manifest.id.slice(0, 8)}`,
    `#SBATCH --array=${arrayRange(indices, o.throttle)}`,
    `#SBATCH --output=${path.join(dir, "logs", "%A_%a.out")}`,
    "#SBATCH --ntasks=1",
  ];
  if (o.partition) lines.push(`#SBATCH --partition=${o.partition}`);
  if (o.account) lines.push(`#SBATCH --account=${o.account}`);
  if (o.gpus) lines.push(`#SBATCH --gres=gpu:${o.gpus}`);
  if (o.cpus) lines.push(`#SBATCH --cpus-per-task=${o.cpus}`);
  if (o.time) lines.push(`#SBATCH --time=${o.time}`);
  if (o.mem) lines.push(`#SBATCH --mem=${o.mem}`);
  for (const e of o.extra ?? []) lines.push(`#SBATCH ${e}`);
  const node = o.node ?? process.execPath;
  const medad = path.join(packageRoot(), "bin", "medad.js");
  lines.push(
    "# One array task runs one grid cell; a cell whose result is already in results/ is skipped.",
    "set -euo pipefail",
    `exec ${shellQuote(node)} ${shellQuote(medad)} grid run ${shellQuote(dir)} --index "$SLURM_ARRAY_TASK_ID"`,
    "",
  );
  return lines.join("\n");
}

export function readSubmissions(dir: string): Submission[] {
  const file = path.join(dir, "slurm", "jobs.json");
  if (!fs.existsSync(file)) return [];
  return JSON.parse(fs.readFileSync(file, "utf8")) as Submission[];
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30000 });
}

/** Writes the script under `<dir>/slurm/`, submits it with `sbatch --parsable` and records the job. */
export function submitArray(dir: string, manifest: GridManifest, indices: number[], o: SlurmOptions = {}): Submission {
  const text = sbatchScript(dir, manifest, indices, o);
  const slurmDir = path.join(dir, "slurm");
  fs.mkdirSync(slurmDir, { recursive: true });
  fs.mkdirSync(path.join(dir, "logs"), { recursive: true });
  const script = path.join(slurmDir, `array-${new Date().toISOString().replace(/[:.]/g, "-")}.sh`);
  writeFileAtomic(script, text);
  let out: string;
  try {
    out = run("sbatch", ["--parsable", script]);
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === "ENOENT") throw new Error("sbatch is not on PATH: run this on a Slurm login node");
    throw new Error(`sbatch ${script} failed: ${(e.stderr || e.message).trim()}`);
  }
  const jobId = out.trim().split(";")[0];
  const submission: Submission = {
    jobId,
    indices: [...indices].sort((a, b) => a - b),
    script,
    submittedAt: new Date().toISOString(),
  };
  writeFileAtomic(
    path.join(slurmDir, "jobs.json"),
    JSON.stringify([...readSubmissions(dir), submission], null, 1) + "\n",
  );
  return submission;
}

/** Slurm's word for an array task (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, …). */
export type TaskStates = Map<string, string>;

const key = (jobId: string, index: number) => `${jobId}_${index}`;

/**
 * States of the array tasks of these jobs: sacct where accounting is on, then squeue (`-t all`: finished tasks
 * too, for MinJobAge after they end), whose answer wins. A cluster without accounting answers sacct with an
 * error; tasks the controller has forgotten then have no state here and the caller judges them by their result.
 */
export function taskStates(jobIds: string[]): { states: TaskStates; accounting: boolean } {
  const states: TaskStates = new Map();
  if (jobIds.length === 0) return { states, accounting: true };
  let accounting = true;
  try {
    const out = run("sacct", ["-n", "-P", "-X", "-j", jobIds.join(","), "-o", "JobID,State"]);
    for (const line of out.split("\n")) {
      const [id, state] = line.trim().split("|");
      if (id && state && /^\d+_\d+$/.test(id)) states.set(id, state.split(" ")[0]);
    }
  } catch {
    accounting = false; // no slurmdbd / accounting storage: squeue and the results folder have to do
  }
  for (const jobId of jobIds) {
    try {
      const out = run("squeue", ["-h", "-r", "-t", "all", "-j", jobId, "-o", "%F|%K|%T"]);
      for (const line of out.split("\n")) {
        const [job, index, state] = line.trim().split("|");
        if (job && index && state && /^\d+$/.test(index)) states.set(key(job, Number(index)), state);
      }
    } catch {
      // squeue fails for a job the controller has forgotten (MinJobAge after it ended); sacct, if on, answered
    }
  }
  return { states, accounting };
}

/** The latest submission that ran this cell, its task's Slurm state and log. */
export function latestTask(
  dir: string,
  submissions: Submission[],
  states: TaskStates,
  index: number,
): { jobId: string; state?: string; log: string } | undefined {
  for (let i = submissions.length - 1; i >= 0; i--) {
    const s = submissions[i];
    if (s.indices.includes(index))
      return { jobId: s.jobId, state: states.get(key(s.jobId, index)), log: taskLog(dir, s.jobId, index) };
  }
  return undefined;
}

export function cancelTask(jobId: string, index: number): void {
  run("scancel", [key(jobId, index)]);
}
