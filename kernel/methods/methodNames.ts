/** The few-shot methods `medad.fewshot` runs (its `method:`), in the order menus and help list them. */
export const AVAILABLE_METHODS = [
  "zero-shot",
  "patchcore",
  "mvfa-frozen",
  "mvfa",
  "madclip",
  "mediclip",
  "sd-mad",
  "ccb-tsc",
] as const;

export type FewshotMethod = (typeof AVAILABLE_METHODS)[number];
