import { MagicRegistry } from "../registry";
import { cdMagic, pwdMagic } from "./cwd";
import { envMagic } from "./env";
import { helpMagic, lsmagicMagic } from "./introspection";
import { timeMagic } from "./time";

/** A registry holding the built-in magics; ML magics are registered beside them by their own modules. */
export function createDefaultRegistry(): MagicRegistry {
  const registry = new MagicRegistry();
  for (const magic of [timeMagic, envMagic, pwdMagic, cdMagic, lsmagicMagic, helpMagic]) registry.register(magic);
  return registry;
}
