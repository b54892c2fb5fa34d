/**
 * npm run bench:metrics [-- --n 200000000 --seed 1]
 *
 * Pixel AUROC over N synthetic scores (bench/syntheticMaps.ts): the streaming PixelAurocAccumulator against the
 * sort-based exact baseline, each in its own child process so that peak memory (maxRSS) belongs to one method. Prints
 * time, peak RSS and the ratios ours/baseline, and checks both AUROCs are identical. Never run from tests: timings are
 * not asserted anywhere.
 */
import { execFileSync } from "child_process";
import { PixelAurocAccumulator } from "../kernel/metrics/pixelAurocAccumulator";
import { SortBaselineAuroc } from "./sortBaselineAuroc";
import { syntheticMaps } from "./syntheticMaps";

interface Options {
  n: number;
  seed: number;
  mode: "both" | "ours" | "baseline";
}

interface Measurement {
  method: string;
  auroc: number;
  /** Seconds spent inside add() calls (generation excluded). */
  addSeconds: number;
  /** Seconds of the final computation. */
  resultSeconds: number;
  /** CPU seconds (user + system) of add() and the final computation: robust to other processes sharing the cores. */
  cpuSeconds: number;
  /** Bytes the method's own data structure holds at the end (scores and labels for the baseline). */
  structureMiB: number;
  /** Peak resident set of the whole process, MiB. */
  peakRssMiB: number;
  /** Resident set before the method allocated anything (Node itself plus the generator), MiB. */
  idleRssMiB: number;
  generateSeconds: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { n: 200_000_000, seed: 1, mode: "both" };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--n") options.n = Math.round(Number(value));
    else if (flag === "--seed") options.seed = Number(value);
    else if (flag === "--mode" && (value === "ours" || value === "baseline" || value === "both")) options.mode = value;
    else
      throw new Error(
        `bench:metrics: unknown option ${flag} ${value ?? ""}; use --n COUNT, --seed INT, --mode ours|baseline|both.`,
      );
  }
  if (!(options.n > 0)) throw new Error("bench:metrics: --n must be a positive number of scores (e.g. --n 2e7).");
  return options;
}

const MiB = 1024 * 1024;
const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

function measure(options: Options, method: "ours" | "baseline"): Measurement {
  const idleRssMiB = process.memoryUsage().rss / MiB;
  const accumulator = method === "ours" ? new PixelAurocAccumulator() : new SortBaselineAuroc(options.n);
  let addSeconds = 0;
  let cpuMicros = 0;
  const generateStart = process.hrtime.bigint();
  for (const map of syntheticMaps(options.n, options.seed)) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    accumulator.add(map.scores, map.mask);
    const cpu = process.cpuUsage(cpuStart);
    cpuMicros += cpu.user + cpu.system;
    addSeconds += seconds(start);
  }
  const generateSeconds = seconds(generateStart) - addSeconds;
  const resultStart = process.hrtime.bigint();
  const resultCpuStart = process.cpuUsage();
  const auroc = accumulator.auroc();
  const resultCpu = process.cpuUsage(resultCpuStart);
  const resultSeconds = seconds(resultStart);
  const structureBytes = accumulator instanceof PixelAurocAccumulator ? accumulator.approximateBytes() : options.n * 5;
  return {
    method,
    auroc,
    addSeconds,
    resultSeconds,
    cpuSeconds: (cpuMicros + resultCpu.user + resultCpu.system) / 1e6,
    structureMiB: structureBytes / MiB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    idleRssMiB,
    generateSeconds,
  };
}

function runChild(options: Options, mode: "ours" | "baseline"): Measurement {
  const output = execFileSync(
    process.execPath,
    [__filename, "--n", String(options.n), "--seed", String(options.seed), "--mode", mode],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return JSON.parse(output.trim().split("\n").pop() as string) as Measurement;
}

function printTable(ours: Measurement, baseline: Measurement, n: number): void {
  const row = (m: Measurement): string =>
    `| ${m.method} | ${(m.addSeconds + m.resultSeconds).toFixed(2)} | ${m.addSeconds.toFixed(2)} | ${m.resultSeconds.toFixed(2)} | ` +
    `${m.cpuSeconds.toFixed(2)} | ${m.peakRssMiB.toFixed(0)} | ${(m.peakRssMiB - m.idleRssMiB).toFixed(0)} | ${m.structureMiB.toFixed(0)} | ${m.auroc} |`;
  console.log(`pixel AUROC, ${n.toLocaleString("en-US")} scores, node ${process.version}`);
  console.log(
    "| method | wall s | add s | result s | CPU s | peak RSS MiB | peak RSS above idle MiB | structure MiB | AUROC |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  console.log(row(ours));
  console.log(row(baseline));
  const time = (ours.addSeconds + ours.resultSeconds) / (baseline.addSeconds + baseline.resultSeconds);
  const cpu = ours.cpuSeconds / baseline.cpuSeconds;
  console.log(
    `ratio ours/baseline: wall time ${time.toFixed(3)} (${(1 / time).toFixed(1)}x faster), CPU time ${cpu.toFixed(3)} (${(1 / cpu).toFixed(1)}x), peak RSS ${(ours.peakRssMiB / baseline.peakRssMiB).toFixed(3)}, ` +
      `RSS above idle ${((ours.peakRssMiB - ours.idleRssMiB) / (baseline.peakRssMiB - baseline.idleRssMiB)).toFixed(3)}`,
  );
  console.log(`identical AUROC: ${ours.auroc === baseline.auroc ? "yes" : `NO (${ours.auroc} vs ${baseline.auroc})`}`);
  console.log(`(data generation, excluded from the times above: ${ours.generateSeconds.toFixed(1)} s per method)`);
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  if (options.mode !== "both") {
    console.log(JSON.stringify(measure(options, options.mode)));
    return;
  }
  const ours = runChild(options, "ours");
  const baseline = runChild(options, "baseline");
  printTable(ours, baseline, options.n);
  if (ours.auroc !== baseline.auroc) process.exitCode = 1;
}

main();
