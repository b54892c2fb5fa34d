/**
 * Directory listing that survives hostile trees: symlink loops, broken links and unreadable folders become
 * skipped-file entries with a reason, never an exception or an endless walk.
 */
import * as fs from "fs";
import * as path from "path";
import { SkippedFile } from "./types";

export interface Entry {
  readonly name: string;
  readonly path: string;
  readonly isDir: boolean;
}

/** Lists one folder, following symlinks; problems go to `skipped`. Sorted by name for reproducible order. */
export function listDir(dir: string, skipped: SkippedFile[]): Entry[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    skipped.push({ path: dir, reason: `cannot list folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
    return [];
  }
  const out: Entry[] = [];
  for (const name of names.sort()) {
    const p = path.join(dir, name);
    try {
      out.push({ name, path: p, isDir: fs.statSync(p).isDirectory() });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const reason = code === "ELOOP" ? "symlink loop" : code === "ENOENT" ? "broken symlink" : `cannot stat (${code ?? (err as Error).message})`;
      skipped.push({ path: p, reason });
    }
  }
  return out;
}

export function subdirs(dir: string, skipped: SkippedFile[]): Entry[] {
  return listDir(dir, skipped).filter((e) => e.isDir);
}

function realParent(p: string): string | undefined {
  try {
    return fs.realpathSync(path.dirname(p));
  } catch {
    return undefined;
  }
}

function insideOrSame(child: string | undefined, folder: string): boolean {
  if (child === undefined) return false;
  const rel = path.relative(folder, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * All files under `dir`, recursively. A folder reached again through a symlink (same real path) is a loop: it is
 * reported once and not entered.
 */
export function walkFiles(dir: string, skipped: SkippedFile[], maxDepth = 16): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  const visit = (d: string, depth: number) => {
    let real: string;
    try {
      real = fs.realpathSync(d);
    } catch (err) {
      skipped.push({ path: d, reason: `cannot resolve (${(err as NodeJS.ErrnoException).code})` });
      return;
    }
    if (seen.has(real)) {
      skipped.push({ path: d, reason: `symlink loop (points back to ${real}); not followed` });
      return;
    }
    // A link to a folder that contains the link (test/good/up -> ../../..) would pull the whole dataset — other
    // splits, abnormal images — in under this folder's label before the visited set notices: never enter one.
    if (insideOrSame(realParent(d), real)) {
      skipped.push({ path: d, reason: `symlink loop: links to the ancestor folder ${real}; not followed` });
      return;
    }
    if (depth > maxDepth) {
      skipped.push({ path: d, reason: `nested deeper than ${maxDepth} folders` });
      return;
    }
    seen.add(real);
    for (const e of listDir(d, skipped)) {
      if (e.isDir) visit(e.path, depth + 1);
      else files.push(e.path);
    }
  };
  visit(dir, 0);
  return files;
}

/**
 * Reports the files (not folders) directly in `dir` that a layout does not read there, unless they are notes or OS
 * litter, so an image dropped one level too high is listed instead of lost.
 */
export function reportStrayFiles(dir: string, skipped: SkippedFile[], where: string, ignorable: (file: string) => boolean): void {
  for (const e of listDir(dir, skipped)) {
    if (!e.isDir && !ignorable(e.path)) skipped.push({ path: e.path, reason: `file directly in ${where}; the layout reads images only from its class folders` });
  }
}
