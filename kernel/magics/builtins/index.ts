import { MagicRegistry } from "../registry";
import { cdMagic, pwdMagic } from "./cwd";
import { envMagic } from "./env";
import { helpMagic, lsmagicMagic } from "./introspection";
import { timeMagic } from "./time";
import { datasetMagic } from "../ml/dataset";
import { compareMagic } from "../ml/compare";
import { fewshotMagic } from "../ml/fewshot";
import { synthMagic } from "../ml/synth";
import { modelsMagic } from "../ml/models";
import { exploreMagic, heatmapMagic, rocMagic, tsneMagic } from "../ml/views";
import { loadMagic, saveMagic } from "../ml/saveLoad";
import { detectMagic } from "../ml/detect";

/** A registry holding the built-in magics and the ML magics (kernel/magics/ml). */
export function createDefaultRegistry(): MagicRegistry {
  const registry = new MagicRegistry();
  for (const magic of [
    timeMagic,
    envMagic,
    pwdMagic,
    cdMagic,
    lsmagicMagic,
    helpMagic,
    datasetMagic,
    fewshotMagic,
    compareMagic,
  ])
    registry.register(magic);
  registry.register(synthMagic);
  for (const magic of [modelsMagic, rocMagic, tsneMagic, heatmapMagic, exploreMagic, saveMagic, loadMagic])
    registry.register(magic);
  registry.register(detectMagic);
  return registry;
}
