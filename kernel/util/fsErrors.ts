/**
 * The one place that turns a file-system error code into what the user should do about it. Every writer that
 * reports a disk failure (checkpoints, the feature cache, notebook output, model pulls, the demo dataset) names
 * the file itself and appends `fsFix(code)`.
 */

/** Codes that no retry can fix: the disk is full, read-only, or the path is not ours to write. */
export const FATAL_WRITE_CODES: ReadonlySet<string> = new Set([
  "ENOSPC",
  "EDQUOT",
  "EROFS",
  "EACCES",
  "EPERM",
  "EISDIR",
]);

/** The errno code of a Node file-system error, or undefined for anything else. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** What to do about a failed write with this code (one sentence, ending with a full stop). */
export function fsFix(code: string | undefined): string {
  switch (code) {
    case "ENOSPC":
      return "The disk is full: free space there or choose a path on another disk.";
    case "EDQUOT":
      return "Your disk quota is used up: free space in it or choose a path on another disk.";
    case "EROFS":
      return "That file system is read-only: choose a path on a writable disk.";
    case "EACCES":
    case "EPERM":
      return "You may not write there: choose a folder you own or fix its permissions.";
    case "EISDIR":
      return "That path is a folder: give a file path (e.g. a name inside that folder).";
    case "ENOENT":
      return "Its folder does not exist: create it or choose another path.";
    case "ENOTDIR":
      return "A part of that path is a file, not a folder: choose another path.";
    default:
      return "Check that the path is writable and the disk has space.";
  }
}

/** "`file`: cannot write it (ENOSPC: no space left on device). The disk is full: …" */
export function describeWriteFailure(file: string, err: unknown): string {
  const code = errnoCode(err);
  const reason = (err as Error | undefined)?.message ?? String(err);
  return `${file}: cannot write it (${code && !reason.startsWith(code) ? `${code}: ` : ""}${reason}). ${fsFix(code)}`;
}
