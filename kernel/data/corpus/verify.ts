/**
 * Re-checks a built corpus folder against the rules the builder follows: every manifest line well-formed, its image
 * present as an 8-bit PNG of the declared size and colour, its origin allowed by the holdout (holdout.ts), abnormal
 * captions exactly on synthesis-altered copies, and summary.json agreeing with the manifest. Used by the tests and
 * after `medad data build-corpus`; reads only PNG headers (a 4,000-image corpus: about 2 s on the shared machine).
 */
import * as fs from "fs";
import * as path from "path";
import { CORPUS_IMAGE_SIZE } from "./build";
import { holdoutViolation } from "./holdout";
import type { ManifestEntry } from "./types";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function readHeader(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    const b = Buffer.alloc(26);
    return fs.readSync(fd, b, 0, 26, 0) === 26 ? b : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function checkEntry(dir: string, e: ManifestEntry, where: string, size: number): string[] {
  const problems: string[] = [];
  for (const k of ["file", "caption", "source", "licence", "origin"] as const) {
    if (typeof e[k] !== "string" || !e[k]) problems.push(`${where}: field "${k}" must be a non-empty string`);
  }
  if (problems.length) return problems;
  const why = holdoutViolation(e.origin);
  if (why) problems.push(`${where}: ${why}`);
  if (/GPL/i.test(e.licence)) problems.push(`${where}: GPL licence '${e.licence}' is not allowed in the corpus`);
  if (e.synth !== null && typeof e.synth !== "string") problems.push(`${where}: "synth" must be null or a task name`);
  if ((e.kind === "abnormal") !== (typeof e.synth === "string")) {
    problems.push(`${where}: kind '${e.kind}' does not match synth ${JSON.stringify(e.synth)}`);
  }
  const header = readHeader(path.join(dir, e.file));
  if (!header || !header.subarray(0, 8).equals(PNG_SIGNATURE)) {
    problems.push(`${where}: ${e.file} is missing or not a PNG; rebuild the corpus`);
    return problems;
  }
  const [w, h, depth, colourType] = [header.readUInt32BE(16), header.readUInt32BE(20), header[24], header[25]];
  if (w !== size || h !== size) problems.push(`${where}: ${e.file} is ${w}×${h}, expected ${size}×${size}`);
  if (depth !== 8) problems.push(`${where}: ${e.file} has bit depth ${depth}, expected 8`);
  const expected = e.color === "gray" ? 0 : e.color === "rgb" ? 2 : -1;
  if (colourType !== expected) {
    problems.push(`${where}: ${e.file} has PNG colour type ${colourType}, manifest says ${e.color}`);
  }
  return problems;
}

/** Problems found in the corpus at `dir` (empty when it is sound); each names the file and line and what is wrong. */
export function verifyCorpus(dir: string): string[] {
  const manifest = path.join(dir, "manifest.jsonl");
  if (!fs.existsSync(manifest)) {
    return [`${manifest} not found; build it with medad data build-corpus --out ${dir} --seed N`];
  }
  const problems: string[] = [];
  const entries: ManifestEntry[] = [];
  const seen = new Set<string>();
  fs.readFileSync(manifest, "utf8").split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${manifest}:${i + 1}`;
    let e: ManifestEntry;
    try {
      e = JSON.parse(line) as ManifestEntry;
    } catch (err) {
      problems.push(`${where}: not JSON (${(err as Error).message})`);
      return;
    }
    if (seen.has(e.file)) problems.push(`${where}: ${e.file} is listed twice`);
    seen.add(e.file);
    entries.push(e);
    problems.push(...checkEntry(dir, e, where, CORPUS_IMAGE_SIZE));
  });
  const summaryFile = path.join(dir, "summary.json");
  try {
    type Summary = { total?: number; bySource?: Record<string, number> };
    const summary = JSON.parse(fs.readFileSync(summaryFile, "utf8")) as Summary;
    const bySource: Record<string, number> = {};
    for (const e of entries) bySource[e.source] = (bySource[e.source] ?? 0) + 1;
    if (summary.total !== entries.length) {
      problems.push(`${summaryFile}: total ${summary.total}, manifest has ${entries.length}`);
    }
    const a = JSON.stringify(Object.entries(summary.bySource ?? {}).sort());
    if (a !== JSON.stringify(Object.entries(bySource).sort())) {
      problems.push(`${summaryFile}: bySource disagrees with the manifest`);
    }
  } catch (err) {
    problems.push(`${summaryFile}: unreadable (${(err as Error).message}); rebuild the corpus`);
  }
  const images = path.join(dir, "images");
  const listed = new Set(entries.map((e) => path.basename(e.file)));
  for (const name of fs.existsSync(images) ? fs.readdirSync(images) : []) {
    if (!listed.has(name)) problems.push(`${path.join(images, name)}: not in the manifest (a stray file)`);
  }
  return problems;
}
