// Builds the pretraining corpus (kernel/data/corpus) when it is missing or on request, with the recipe's seed and size.
import * as fs from "fs";
import * as path from "path";
import { buildCorpus } from "../../data/corpus";
import { DEMO_CORPUS_SEED, DEMO_CORPUS_SIZE } from "./recipe";

export async function rebuildDemoCorpus(
  dir: string,
  o: { force?: boolean; log?: (l: string) => void } = {},
): Promise<void> {
  if (!o.force && fs.existsSync(path.join(dir, "manifest.jsonl"))) return;
  o.log?.(`building the corpus in ${dir} (seed ${DEMO_CORPUS_SEED}, ${DEMO_CORPUS_SIZE} images)`);
  const summary = await buildCorpus({ outDir: dir, seed: DEMO_CORPUS_SEED, size: DEMO_CORPUS_SIZE });
  for (const w of summary.warnings) o.log?.(`warning: ${w}`);
  o.log?.(`corpus: ${summary.total} images`);
}
