import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { packageRoot, packageVersion } from "./packageRoot";

/** Which code produced a result: the package version, plus the git commit when running from a checkout. */
export interface CodeVersion {
  /** package.json version. */
  version: string;
  /** Short commit hash, or null when the package is not a git checkout (an installed extension) or git is missing. */
  commit: string | null;
  /** Tracked files differ from the commit (untracked files are ignored); null without a commit. */
  dirty: boolean | null;
  /** "d44240c", "d44240c-dirty", or "0.1.0" without git: the one string to quote. */
  describe: string;
}

let cached: CodeVersion | undefined;

function git(root: string, args: string[]): string {
  return execFileSync("git", ["-C", root, ...args], {
    encoding: "utf8",
    timeout: 5000,
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
}

/** Computed once per process (results of one kernel session share it). */
export function codeVersion(): CodeVersion {
  if (cached) return cached;
  const root = packageRoot();
  const version = packageVersion();
  let commit: string | null = null;
  let dirty: boolean | null = null;
  try {
    // Only the package's own repository counts: an installed extension may sit inside someone else's checkout.
    if (
      fs.existsSync(path.join(root, ".git")) &&
      path.resolve(git(root, ["rev-parse", "--show-toplevel"])) === fs.realpathSync(root)
    ) {
      commit = git(root, ["rev-parse", "--short", "HEAD"]);
      dirty = git(root, ["status", "--porcelain", "--untracked-files=no"]) !== "";
    }
  } catch {
    commit = null; // no git on PATH, or not a repository: the package version is all we can say
    dirty = null;
  }
  return (cached = { version, commit, dirty, describe: commit ? `${commit}${dirty ? "-dirty" : ""}` : version });
}
