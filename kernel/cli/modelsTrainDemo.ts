import * as os from "os";
import * as path from "path";
import { CliCommand, UsageError } from "./command";
import { parseArgs } from "./args";
import { AbortError } from "../util/cancellation";
import { exportDemoClip, paramsFromCheckpoint, pretrainDemoClip } from "../models/demoClip/pretrain";
import { DEMO_CLIP_ARCH, DEMO_CLIP_ID, DEMO_CLIP_RECIPE } from "../models/demoClip/recipe";
import { rebuildDemoCorpus } from "../models/demoClip/corpus";

const root = path.join(os.homedir(), ".cache", "medad", "pretrain");

const usage = `usage: medad models train-demo [--corpus DIR] [--ckpt DIR] [--out DIR] [--steps N] [--rebuild-corpus] [--export-only]

Pretrains ${DEMO_CLIP_ID} with MedAD Lab's own engine (contrastive image–text, AdamW + cosine, seed
${DEMO_CLIP_RECIPE.seed}, ${DEMO_CLIP_RECIPE.steps} steps of ${DEMO_CLIP_RECIPE.batch} pairs on one CPU core) and
exports it as a Hugging Face folder. Resumes from the checkpoint in --ckpt when there is one; the same seed gives the
same weights. The shipped weights in data/models/demo-clip came from this command.
  --corpus DIR        image–caption corpus (default ${path.join(root, "corpus")}); built first when missing or with
                      --rebuild-corpus (medad data build-corpus with the recipe's seed)
  --ckpt DIR          checkpoint folder (default ${path.join(root, "ckpt")})
  --out DIR           exported model folder (default ${path.join(root, "model")})
  --steps N           train for N steps instead of the recipe's (the schedule still spans N)
  --export-only       export the latest checkpoint without training
`;

export const modelsTrainDemoCommand: CliCommand = {
  path: ["models", "train-demo"],
  summary: `pretrain ${DEMO_CLIP_ID} from its corpus (long CPU job; resumes from checkpoints)`,
  usage,
  async run(args, io) {
    const { positional, options } = parseArgs(
      args,
      ["corpus", "ckpt", "out", "steps"],
      ["rebuild-corpus", "export-only"],
    );
    if (positional.length) throw new UsageError(`unexpected argument '${positional[0]}'`);
    const corpusDir = path.resolve(options.get("corpus") ?? path.join(root, "corpus"));
    const ckptDir = path.resolve(options.get("ckpt") ?? path.join(root, "ckpt"));
    const outDir = path.resolve(options.get("out") ?? path.join(root, "model"));
    const stepsText = options.get("steps");
    const steps = stepsText === undefined ? undefined : Number(stepsText);
    if (steps !== undefined && !(Number.isInteger(steps) && steps > 0))
      throw new UsageError(`--steps must be a positive integer, got '${stepsText}'`);
    const log = (line: string) => io.out(`[${new Date().toISOString()}] ${line}\n`);
    if (!options.has("export-only")) {
      await rebuildDemoCorpus(corpusDir, { force: options.has("rebuild-corpus"), log });
      const abort = new AbortController();
      const onSignal = () => {
        abort.abort();
        log("stop requested: finishing the step and writing a checkpoint");
      };
      process.once("SIGTERM", onSignal);
      process.once("SIGINT", onSignal);
      try {
        await pretrainDemoClip({ corpusDir, ckptDir, recipe: steps ? { steps } : {}, log, signal: abort.signal });
      } catch (err) {
        if (!(err instanceof AbortError)) throw err;
        log(err.message);
        return 130;
      } finally {
        process.removeListener("SIGTERM", onSignal);
        process.removeListener("SIGINT", onSignal);
      }
    }
    const ck = paramsFromCheckpoint(path.join(ckptDir, "latest.safetensors"));
    if (JSON.stringify(ck.arch) !== JSON.stringify(DEMO_CLIP_ARCH))
      log("note: the checkpoint's architecture differs from the current recipe; exporting it as it is");
    exportDemoClip(outDir, ck.arch, ck.params, { step: String(ck.step), seed: String(DEMO_CLIP_RECIPE.seed) });
    log(`exported step ${ck.step} to ${outDir}`);
    return 0;
  },
};
