import { CliCommand, processIo, UsageError } from "./command";
import { parseArgs } from "./args";
import { formatBytes, pullModel, readChecksumManifest } from "../models";
import { makeProgressPrinter } from "./progressPrinter";

const usage = `usage: medad models pull <org/name> [--revision REV] [--cache DIR] [--endpoint URL] [--sha256 FILE] [--force]
                        [--idle-timeout SECONDS]

Downloads a CLIP model into the model cache, trying the known file sets in order: a Hugging Face CLIP
config.json with model.safetensors or pytorch_model.bin, then open_clip_config.json with
open_clip_model.safetensors or open_clip_pytorch_model.bin; plus vocab.json/merges.txt when the repo has them
(else the vendored CLIP BPE). PyTorch weights are converted once to safetensors in <cache>/converted/.
An interrupted pull resumes where it stopped when run again.

  --revision REV   branch, tag or commit (default main)
  --cache DIR      cache root (default $MEDAD_CACHE, else ~/.cache/medad/models)
  --endpoint URL   hub endpoint (default $MEDAD_HF_ENDPOINT, $HF_ENDPOINT, else https://huggingface.co)
  --sha256 FILE    expected digests: sha256sum output or {"file": "hex"} JSON; without it, LFS files are
                   checked against the SHA-256 the hub sends in its ETag
  --force          download again even if files are present
  --idle-timeout S a connection that sends no byte for S seconds is dropped and resumed (default 60)
Set HF_TOKEN for gated or private repos.
`;

export const modelsPullCommand: CliCommand = {
  path: ["models", "pull"],
  summary: "download a CLIP model from a Hugging Face repo into the cache",
  usage,
  async run(args, io) {
    const { positional, options } = parseArgs(
      args,
      ["revision", "cache", "endpoint", "sha256", "idle-timeout"],
      ["force"],
    );
    if (positional.length !== 1)
      throw new UsageError(positional.length ? "give exactly one repo" : "missing <org/name>");
    const idleText = options.get("idle-timeout");
    const idleTimeoutS = idleText === undefined ? undefined : Number(idleText);
    if (idleTimeoutS !== undefined && !(idleTimeoutS > 0))
      throw new UsageError(`--idle-timeout needs a positive number of seconds, got '${idleText}'`);
    const progress = makeProgressPrinter((t) => io.err(t), io === processIo && Boolean(process.stderr.isTTY));
    try {
      const checksums = options.has("sha256") ? readChecksumManifest(options.get("sha256")!) : undefined;
      const result = await pullModel({
        repo: positional[0],
        revision: options.get("revision"),
        cacheRoot: options.get("cache"),
        endpoint: options.get("endpoint"),
        checksums,
        force: options.has("force"),
        idleTimeoutMs: idleTimeoutS === undefined ? undefined : idleTimeoutS * 1000,
        onProgress: (p) => progress.update(p),
        onFileEvent: (e) => {
          if (e.kind === "start" && e.resumeFrom > 0) io.err(`${e.file}: resuming at ${formatBytes(e.resumeFrom)}\n`);
          if (e.kind === "retry") {
            progress.finish();
            io.err(`${e.file}: ${e.reason}; resuming (retry ${e.attempt} of ${e.maxRetries})\n`);
          }
          if (e.kind === "present") io.err(`${e.file}: already in the cache\n`);
          if (e.kind === "absent") io.err(`${e.file}: not in the repo\n`);
          if (e.kind === "ignored") io.err(`${e.file}: ignored, ${e.reason}\n`);
          if (e.kind === "fileset") {
            io.err(
              `found file set ${e.layout}: ${e.weights}, tokenizer ${e.tokenizer === "repo" ? "from the repo" : "vendored CLIP BPE (the repo has none)"}\n`,
            );
          }
          if (e.kind === "converted") {
            io.err(
              `${e.from}: ${e.fresh ? `converted to safetensors in ${e.seconds.toFixed(1)} s` : "already converted"} (${e.dir})\n`,
            );
          }
          if (e.kind === "done") {
            progress.finish();
            const check =
              e.verifiedBy === "none"
                ? "size checked"
                : `sha256 verified (${e.verifiedBy === "etag" ? "hub ETag" : "checksum file"})`;
            io.err(`${e.file}: ${formatBytes(e.bytes)}, ${check}\n`);
          }
        },
      });
      io.out(`${result.dir}\n`);
      return 0;
    } catch (err) {
      progress.finish();
      io.err(`medad models pull: ${(err as Error).message}\n`);
      return 1;
    }
  },
};
