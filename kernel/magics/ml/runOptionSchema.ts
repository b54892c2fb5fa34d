import type { FewshotOptions } from "../../methods/runFewshot";
import { defaultText, fewshotOptionsFrom, optionsOn, type RunOption } from "../../methods/fewshotOptions";
import type { BodyEntry, BodySchema, KeySpec } from "../keyValueBody";

type BodySurface = "cell" | "compare";

/** One table entry as a body key: its type, and its doc with the default appended (what hovers show). */
function keySpec(o: RunOption, surface: BodySurface): KeySpec {
  const d = defaultText(o);
  return {
    ...o.value,
    description: d ? `${o.doc} (default ${d})` : o.doc,
    ...(o.required?.includes(surface) ? { required: true } : {}),
  };
}

/** The body keys of `%%fewshot` ("cell") or the keys `%%compare` shares with it, derived from fewshotOptions.ts. */
export function runOptionSchema(surface: BodySurface): BodySchema {
  return Object.fromEntries(optionsOn(surface).map((o) => [o.key, keySpec(o, surface)]));
}

/** The `FewshotOptions` a parsed body sets through the table's keys (other keys of the body are ignored). */
export function runOptionsFromBody(
  body: ReadonlyMap<string, BodyEntry>,
  surface: BodySurface,
): Partial<FewshotOptions> {
  const keys = new Set(optionsOn(surface).map((o) => o.key));
  const values = new Map([...body].filter(([k]) => keys.has(k)).map(([k, e]) => [k, e.value]));
  return fewshotOptionsFrom(values) as Partial<FewshotOptions>;
}
