/**
 * What the editor needs to know about magics — names, kinds, one-line summaries, usage and body-key schemas — taken
 * from the kernel's own registry, so completions, hovers and diagnostics can never disagree with what runs. Loading
 * the registry loads only plain JavaScript (no native code, nothing is run): safe in the extension host.
 */
import { createDefaultRegistry } from "../builtins";
import type { BodySchema } from "../keyValueBody";
import type { MagicRegistry } from "../registry";

export interface MagicSpec {
  name: string;
  kinds: ReadonlyArray<"line" | "cell">;
  summary: string;
  usage: string;
  bodySchema?: BodySchema;
}

export interface MagicCatalog {
  magics: readonly MagicSpec[];
  /** Resolves names exactly as the kernel does (for diagnostics). */
  registry: MagicRegistry;
}

let cached: MagicCatalog | undefined;

export function magicCatalog(): MagicCatalog {
  if (!cached) {
    const registry = createDefaultRegistry();
    cached = {
      registry,
      magics: registry
        .all()
        .map(({ name, kinds, summary, usage, bodySchema }) => ({ name, kinds, summary, usage, bodySchema })),
    };
  }
  return cached;
}
