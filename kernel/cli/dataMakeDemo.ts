import { CliCommand, UsageError } from "./command";
import { parseArgs } from "./args";
import { DEMO_SEED, generateDemo } from "../data/demo/generate";
import { errnoCode, fsFix } from "../util/fsErrors";
import { demoDatasetPath, demoSourcePath } from "../data/demo/paths";

const usage = `usage: medad data make-demo [--source FILE] [--out DIR] [--seed N]

Regenerates the demo-brainmri dataset (MVFA layout) from the Colin27 T1 volume. The output is byte-identical on
every run with the same seed; the folder is replaced atomically.
  --source FILE  ch2bet.nii.gz (default: data/source/colin27/ch2bet.nii.gz in the package)
  --out DIR      output folder (default: data/demo-brainmri in the package)
  --seed N       generator seed (default ${DEMO_SEED}; another seed gives another, equally valid set)
`;

export const dataMakeDemoCommand: CliCommand = {
  path: ["data", "make-demo"],
  summary: "regenerate the demo-brainmri dataset from the Colin27 MRI",
  usage,
  async run(args, io) {
    const { positional, options } = parseArgs(args, ["source", "out", "seed"]);
    if (positional.length) throw new UsageError(`unexpected argument '${positional[0]}'`);
    const seedText = options.get("seed");
    const seed = seedText === undefined ? DEMO_SEED : Number(seedText);
    if (!Number.isInteger(seed) || seed < 0)
      throw new UsageError(`--seed must be a non-negative integer, got '${seedText}'`);
    const source = options.get("source") ?? demoSourcePath();
    const out = options.get("out") ?? demoDatasetPath();
    let result;
    try {
      result = generateDemo({ source, out, seed });
    } catch (err) {
      const code = errnoCode(err);
      if (!code || code === "ENOENT") throw err; // a missing source has its own message; a bug keeps its stack
      // The folder is replaced atomically, so a failed write leaves the previous demo dataset as it was.
      io.err(
        `medad data make-demo: cannot write the demo dataset to ${out} (${(err as Error).message}); ` +
          `any previous copy there is unchanged. ${fsFix(code)} Or pass --out DIR.\n`,
      );
      return 1;
    }
    const abnormal = result.images.filter((r) => r.label === "abnormal");
    const mass = abnormal.filter((r) => r.anomalyCategory === "mass").length;
    io.out(
      `wrote ${result.images.length} images + ${abnormal.length} masks (${(result.bytes / 1e6).toFixed(2)} MB) to ${out}\n` +
        `anomaly categories: mass ${mass}, small_lesions ${abnormal.length - mass}; seed ${seed}\n`,
    );
    return 0;
  },
};
