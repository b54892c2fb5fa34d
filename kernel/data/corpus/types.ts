/** Shapes shared by the image–caption corpus builder (issue 17, deliverable 2). */

/** What a caption describes; picks the template family in captions.ts. */
export interface CaptionSubject {
  /** e.g. "brain MRI", "fundus photograph", "histology image". */
  modality: string;
  /** e.g. "brain", "retina", "colon tissue"; undefined for non-medical subjects. */
  organ?: string;
  /** Slice plane for volumes. */
  view?: "axial" | "coronal" | "sagittal";
  /** Free noun phrase for non-medical images ("a shoe", "a red circle on a grey background"). */
  phrase?: string;
}

/** A decoded source picture before augmentation: row-major, channels interleaved, values in [0, 1]. */
export interface BaseImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Float32Array;
  /** Package and path (plus slice) it came from, as written to the manifest's `origin`. */
  origin: string;
  subject: CaptionSubject;
}

export type CaptionKind = "normal" | "abnormal" | "plain";

export interface ManifestEntry {
  file: string;
  caption: string;
  source: string;
  licence: string;
  origin: string;
  /** The synthesis task that altered this copy, or null. */
  synth: null | string;
  /** How the PNG is stored: one grey channel or RGB. */
  color: "gray" | "rgb";
  kind: CaptionKind;
}

export interface CorpusSummary {
  outDir: string;
  seed: number;
  size: number;
  imageSize: number;
  total: number;
  bySource: Record<string, number>;
  byLicence: Record<string, number>;
  byKind: Record<string, number>;
  bySynth: Record<string, number>;
  byColor: Record<string, number>;
  /** Sources that could not be read, with the fix (e.g. which Debian package to install). */
  warnings: string[];
}

export interface BuildCorpusOptions {
  outDir: string;
  seed: number;
  /** Number of images (default 4000). */
  size?: number;
  onProgress?: (done: number, total: number, what: string) => void;
  signal?: AbortSignal;
}
