// Pretrains medad/demo-clip on a corpus folder and exports it as a Hugging Face folder. Resumes from
// `<ckptDir>/latest.safetensors` when present (same seed → same batches, augmentations and weights).
import * as fs from "fs";
import * as path from "path";
import { resizePositionEmbedding } from "../../engine/clip/posEmbedResize";
import { type ClipArch } from "../../engine/train/clipParams";
import { type TrainProgress, trainContrastive } from "../../engine/train/contrastive";
import { writeHfModel } from "../../engine/train/exportHf";
import { SafetensorsFile } from "../../engine/weights/safetensors";
import { ClipTokenizer } from "../../tokenizer/clipTokenizer";
import { clipBpeDir } from "../demoModel";
import { corpusPairs } from "./corpusPairs";
import {
  DEMO_CLIP_ARCH,
  DEMO_CLIP_ID,
  DEMO_CLIP_NOTE,
  DEMO_CLIP_RECIPE,
  type DemoRecipe,
  SHIPPED_IMAGE_SIZE,
  STORE_SIZE,
} from "./recipe";

const POS = "vision_model.embeddings.position_embedding.weight";

export interface PretrainOptions {
  corpusDir: string;
  ckptDir: string;
  recipe?: Partial<DemoRecipe>;
  checkpointEvery?: number;
  log?: (line: string) => void;
  /** Stops after the current step (checkpoint written) with AbortError. */
  signal?: AbortSignal;
}

export async function pretrainDemoClip(
  o: PretrainOptions,
): Promise<{ params: Record<string, Float32Array>; step: number }> {
  const log = o.log ?? (() => undefined);
  const recipe = { ...DEMO_CLIP_RECIPE, ...o.recipe };
  const tokenizer = ClipTokenizer.fromDirectory(clipBpeDir());
  const t0 = Date.now();
  const data = corpusPairs(o.corpusDir, tokenizer, DEMO_CLIP_ARCH.vision.imageSize, STORE_SIZE);
  log(`corpus ${o.corpusDir}: ${data.count} pairs loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  log(`recipe ${JSON.stringify(recipe)}`);
  const started = Date.now();
  const res = await trainContrastive(DEMO_CLIP_ARCH, data, {
    ...recipe,
    checkpointDir: o.ckptDir,
    checkpointEvery: o.checkpointEvery ?? 50,
    intraOpThreads: 1,
    signal: o.signal,
    onProgress: (p: TrainProgress) => {
      if (p.event === "step" && p.step % 10 !== 0 && p.step !== 1) return;
      const el = ((Date.now() - started) / 1000).toFixed(0);
      log(
        `${p.event} ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} lr ${p.lr.toExponential(2)} scale ${p.logitScale.toFixed(2)} ${p.imagesPerSecond.toFixed(1)} img/s elapsed ${el} s`,
      );
    },
  });
  return { params: res.params, step: res.step };
}

/** The parameters stored in a training checkpoint (for exporting an intermediate one). */
export function paramsFromCheckpoint(file: string): {
  params: Record<string, Float32Array>;
  step: number;
  arch: ClipArch;
} {
  const st = SafetensorsFile.open(file);
  const params: Record<string, Float32Array> = {};
  for (const n of st.names()) if (n.startsWith("param/")) params[n.slice(6)] = st.readFloat32(n).data;
  const out = { params, step: Number(st.metadata.step), arch: JSON.parse(st.metadata.arch) as ClipArch };
  st.close();
  return out;
}

/**
 * Writes the shipped folder: config.json at SHIPPED_IMAGE_SIZE with the position table resized to its grid,
 * model.safetensors in fp16, the vendored tokenizer files. Returns the safetensors bytes.
 */
export function exportDemoClip(
  outDir: string,
  arch: ClipArch,
  params: Record<string, Float32Array>,
  info: Record<string, string>,
): Buffer {
  const grid = Math.floor(SHIPPED_IMAGE_SIZE / arch.vision.patchSize);
  const pos = resizePositionEmbedding(
    {
      data: params[POS],
      shape: [Math.floor(arch.vision.imageSize / arch.vision.patchSize) ** 2 + 1, arch.vision.hiddenSize],
    },
    grid,
  );
  const shipped: ClipArch = { ...arch, vision: { ...arch.vision, imageSize: SHIPPED_IMAGE_SIZE } };
  const bytes = writeHfModel(
    outDir,
    shipped,
    { ...params, [POS]: pos.data },
    {
      dtype: "F16",
      metadata: { generator: DEMO_CLIP_ID, ...info },
      config: {
        medad_demo: { id: DEMO_CLIP_ID, trained_image_size: arch.vision.imageSize, note: DEMO_CLIP_NOTE, ...info },
      },
    },
  );
  for (const f of ["vocab.json", "merges.txt"]) fs.copyFileSync(path.join(clipBpeDir(), f), path.join(outDir, f));
  return bytes;
}
