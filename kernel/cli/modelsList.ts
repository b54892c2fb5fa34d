import { CliCommand, UsageError } from "./command";
import { parseArgs } from "./args";
import { DEMO_MODEL_ID, formatBytes, listCachedModels, resolveCacheRoot } from "../models";

const demoHint = `${DEMO_MODEL_ID} is built in: random weights generated on first use (or 'medad models make-demo'), for demos only\n`;

const usage = `usage: medad models list [--cache DIR]

Lists the models in the cache with their size and whether every file is complete.
  --cache DIR   cache root (default $MEDAD_CACHE, else ~/.cache/medad/models)
`;

export const modelsListCommand: CliCommand = {
  path: ["models", "list"],
  summary: "show cached models, their size and completeness",
  usage,
  async run(args, io) {
    const { positional, options } = parseArgs(args, ["cache"]);
    if (positional.length) throw new UsageError(`unexpected argument '${positional[0]}'`);
    const root = resolveCacheRoot(options.get("cache"));
    const models = listCachedModels(root);
    if (models.length === 0) {
      io.out(`no models in ${root}; fetch one with 'medad models pull <org/name>'\n`);
      io.out(demoHint);
      return 0;
    }
    const rows = models.map((m) => {
      const name = m.revision === "main" ? m.repo : `${m.repo}@${m.revision}`;
      let state = "complete";
      if (!m.complete) {
        const parts = m.partial.map(
          (p) => `${p.file} ${p.total ? `${((100 * p.bytes) / p.total).toFixed(0)}%` : formatBytes(p.bytes)}`,
        );
        const missing = m.missing.filter((f) => !m.partial.some((p) => p.file === f));
        state = `incomplete (${[...parts.map((p) => `partial ${p}`), ...missing.map((f) => `missing ${f}`)].join(", ")}); run 'medad models pull ${m.repo}${m.revision === "main" ? "" : ` --revision ${m.revision}`}' to finish`;
      }
      if (m.repo === DEMO_MODEL_ID && m.complete) state = "complete (built in, random weights: for demos only)";
      return [name, formatBytes(m.bytes), state];
    });
    const w0 = Math.max(5, ...rows.map((r) => r[0].length));
    const w1 = Math.max(4, ...rows.map((r) => r[1].length));
    io.out(`${"MODEL".padEnd(w0)}  ${"SIZE".padStart(w1)}  STATE\n`);
    for (const r of rows) io.out(`${r[0].padEnd(w0)}  ${r[1].padStart(w1)}  ${r[2]}\n`);
    io.out(`(cache: ${root})\n`);
    if (!models.some((m) => m.repo === DEMO_MODEL_ID)) io.out(demoHint);
    return 0;
  },
};
