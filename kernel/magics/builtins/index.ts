import { MagicRegistry } from "../registry";
import { cdMagic, pwdMagic } from "./cwd";
import { envMagic } from "./env";
import { helpMagic, lsmagicMagic } from "./introspection";
import { timeMagic } from "./time";
import { datasetMagic } from "../ml/dataset";

/** A registry holding the built-in magics and the ML magics (kernel/magics/ml). */
export function createDefaultRegistry(): MagicRegistry {
  const registry = new MagicRegistry();
  for (const magic of [timeMagic, envMagic, pwdMagic, cdMagic, lsmagicMagic, helpMagic, datasetMagic]) registry.register(magic);
  return registry;
}
