import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SafetensorsFile } from "../engine/weights/safetensors";
import { writeSafetensors } from "../engine/weights/safetensorsWrite";
import type { NamedTensor } from "../engine/train/checkpoint";
import { fsFix } from "../util/fsErrors";

/** Everything that determines an image's features; any change gives a different cache entry. */
export interface FeatureKey {
  /** Hash of the frozen model weights. */
  modelHash: string;
  /** The image file (its bytes are hashed, so a replaced file with the same name is not mistaken). */
  imagePath: string;
  /** Preprocessing and graph options: size, filter, normalisation, taps, activation, augmentation id… */
  recipe: Record<string, unknown>;
}

/** `$MEDAD_CACHE/../features` style default: ~/.cache/medad/features. */
export function defaultFeatureCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MEDAD_FEATURE_CACHE || path.join(os.homedir(), ".cache", "medad", "features");
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

export function featureKeyHash(key: FeatureKey): string {
  const imageHash = createHash("sha256").update(fs.readFileSync(key.imagePath)).digest("hex");
  return createHash("sha256")
    .update(sortedJson({ model: key.modelHash, image: imageHash, recipe: key.recipe }))
    .digest("hex");
}

/**
 * Features on disk keyed by model hash + image hash + recipe, so rerunning a cell (or another method on the same
 * model and images) skips the encoder. Entries are written atomically; an unreadable entry is recomputed.
 */
export class FeatureCache {
  hits = 0;
  misses = 0;
  /** Set by the first failed write (full disk, read-only folder): the run goes on uncached and says why. */
  writeFailure: string | undefined;

  constructor(readonly dir: string = defaultFeatureCacheDir()) {}

  async get(
    key: FeatureKey,
    compute: () => Promise<Record<string, NamedTensor>>,
  ): Promise<Record<string, NamedTensor>> {
    const cached = this.lookup(key);
    if (cached) return cached;
    const value = await compute();
    this.store(key, value);
    return value;
  }

  /** The stored features, or undefined (counted as a miss) when there are none or they are unreadable. */
  lookup(key: FeatureKey): Record<string, NamedTensor> | undefined {
    const found = this.read(this.fileFor(key));
    if (found) this.hits++;
    else this.misses++;
    return found;
  }

  /**
   * Never throws for the disk: a cache is an optimisation, so a failed write (ENOSPC, EROFS, EACCES) is recorded
   * in `writeFailure` and later entries are not attempted; the features are still returned to the run.
   */
  store(key: FeatureKey, value: Record<string, NamedTensor>): void {
    if (this.writeFailure) return;
    const file = this.fileFor(key);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeSafetensors(
        file,
        Object.fromEntries(
          Object.entries(value).map(([n, t]) => [n, { dtype: "F32" as const, shape: t.shape, data: t.data }]),
        ),
      );
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (!e.code) throw err; // not a file-system error: a bug, not a disk problem
      this.writeFailure =
        `feature cache ${this.dir}: cannot write ${file} (${e.code}: ${e.message}); the run continued without ` +
        `caching features. ${fsFix(e.code)} Or set MEDAD_FEATURE_CACHE to another folder, or run with cache: false.`;
    }
  }

  private fileFor(key: FeatureKey): string {
    const hash = featureKeyHash(key);
    return path.join(this.dir, hash.slice(0, 2), `${hash}.safetensors`);
  }

  private read(file: string): Record<string, NamedTensor> | undefined {
    if (!fs.existsSync(file)) return undefined;
    try {
      const st = SafetensorsFile.open(file);
      try {
        return Object.fromEntries(
          st.names().map((n) => {
            const t = st.readFloat32(n);
            return [n, { shape: [...t.shape], data: t.data }];
          }),
        );
      } finally {
        st.close();
      }
    } catch {
      return undefined; // a damaged entry (e.g. from an older version) is simply recomputed and replaced
    }
  }
}
