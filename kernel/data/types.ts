// The typed dataset every loader returns, whatever the on-disk layout.

export type Split = "train" | "valid" | "test";
export type Label = "normal" | "abnormal" | "unknown";
export type LayoutKind = "mvfa" | "mediclip" | "mvtec" | "folder" | "csv";

export interface Sample {
  /** Absolute path of the image. */
  readonly path: string;
  readonly label: Label;
  readonly split: Split;
  /** Absolute path of the pixel mask; undefined for normals and image-level sets. */
  readonly maskPath?: string;
  /** The object/organ class: MVFA `<Name>_AD`, MVTec category, MediCLIP `clsname`, CSV `category`. */
  readonly category: string;
  /** Kind of anomaly when the layout says it: MVTec defect folder, demo `mass` | `small_lesions`, CSV `anomaly_type`. */
  readonly anomalyType?: string;
  /** Pixel size read from the file header (no decoding); undefined when the header could not be read. */
  readonly width?: number;
  readonly height?: number;
  /** Mask binarisation rule for this sample: > 0 (PNG masks) or > 127 (JPEG masks, against ringing). */
  readonly maskThreshold?: number;
}

export interface DatasetIssue {
  readonly severity: "error" | "warning";
  /** A stable code tests and tools can match, e.g. "mask-without-image". */
  readonly code: string;
  readonly message: string;
  /** The files concerned (absolute paths). */
  readonly files: readonly string[];
}

export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

export interface FewShotListFile {
  readonly category: string;
  readonly k: number;
  readonly path: string;
}

export interface SplitCounts {
  normal: number;
  abnormal: number;
  unknown: number;
  masks: number;
}

export interface DatasetSummary {
  readonly layout: LayoutKind;
  readonly categories: readonly string[];
  /** counts[category][split]. */
  readonly counts: Readonly<Record<string, Partial<Record<Split, SplitCounts>>>>;
  readonly total: number;
  /** Distinct image sizes "WxH" with how many images have each. */
  readonly sizes: Readonly<Record<string, number>>;
  readonly anomalyTypes: Readonly<Record<string, number>>;
  readonly masksPresent: boolean;
  readonly skipped: number;
  readonly errors: number;
  readonly warnings: number;
}

export interface Dataset {
  readonly root: string;
  readonly name: string;
  readonly layout: LayoutKind;
  readonly samples: readonly Sample[];
  readonly skipped: readonly SkippedFile[];
  readonly issues: readonly DatasetIssue[];
  readonly fewShotLists: readonly FewShotListFile[];
  readonly summary: DatasetSummary;
}

/** A dataset that cannot be loaded at all (missing path, empty folder, unknown layout). */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatasetError";
  }
}
