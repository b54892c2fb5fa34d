// Installs a model that needs no download (generated, or shipped with MedAD Lab) into the cache: every file is written
// into a temporary folder beside the target and renamed into place in one step, so a crash or a second process doing
// the same never leaves a half-written model; the loser of a race keeps the winner's copy when it is complete.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../util/atomicWrite";
import { MANIFEST_NAME, type ModelManifest } from "./modelManifest";

export interface LocalInstall {
  /** Target folder in the cache. */
  dir: string;
  /** Repo id recorded in the manifest, also used in error messages. */
  repo: string;
  /** Where the files came from (the manifest's `endpoint` field). */
  origin: string;
  files: Record<string, Buffer>;
  /** Files a pulled repo might have that this one lacks. */
  absent: string[];
  /** Replace an existing folder (rename() cannot replace a non-empty one, so the old copy is moved aside first). */
  replace: boolean;
  /** Whether `dir` already holds a good copy (checked when another process installed it first). */
  isComplete: (dir: string) => boolean;
  /** Test hook: runs on the temporary folder just before it is renamed into place. */
  beforeInstall?: (tmp: string) => void;
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

export function installLocalModel(o: LocalInstall): string {
  const root = path.dirname(o.dir);
  fs.mkdirSync(root, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(root, `.${path.basename(o.dir)}.tmp-`));
  fs.chmodSync(tmp, 0o755); // mkdtemp makes it private; the cache folder is not
  try {
    const manifest: ModelManifest = {
      repo: o.repo,
      revision: "main",
      endpoint: o.origin,
      files: Object.fromEntries(
        Object.entries(o.files).map(([n, b]) => [
          n,
          { size: b.length, sha256: sha256(b), verifiedBy: "none" as const },
        ]),
      ),
      absent: o.absent,
      expectedSizes: {},
      updatedAt: new Date().toISOString(),
    };
    for (const [name, bytes] of Object.entries(o.files)) writeFileAtomic(path.join(tmp, name), bytes);
    writeFileAtomic(path.join(tmp, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + "\n");
    o.beforeInstall?.(tmp);
    if (o.replace && fs.existsSync(o.dir)) {
      const old = `${tmp}-old`;
      fs.renameSync(o.dir, old);
      fs.rmSync(old, { recursive: true, force: true });
    }
    try {
      fs.renameSync(tmp, o.dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === "ENOTEMPTY" || code === "EEXIST") && o.isComplete(o.dir)) return o.dir; // another process won
      const why = code ?? (err as Error).message;
      throw new Error(
        `cannot install ${o.repo} into ${o.dir} (${why}); check that the cache folder is writable or set MEDAD_CACHE`,
      );
    }
    return o.dir;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
