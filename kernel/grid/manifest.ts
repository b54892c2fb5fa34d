import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../util/atomicWrite";
import { specHash } from "./canonical";
import { gridCells, normaliseCommon, type GridCell, type GridSpec } from "./spec";

/**
 * A planned grid: the spec and its cells with stable ids. Lives in `<dir>/manifest.json`; results go to
 * `<dir>/results/<id>.json`, array-task logs to `<dir>/logs/`, submitted scripts to `<dir>/slurm/`.
 */
export interface GridManifest {
  schema: "medad.grid-manifest/1";
  /** Hash of the normalised spec: two plans of the same grid share it. */
  id: string;
  spec: GridSpec;
  cells: GridCell[];
}

export const MANIFEST_FILE = "manifest.json";

export function planGrid(spec: GridSpec): GridManifest {
  const cells = gridCells(spec);
  const normalised: GridSpec = { ...spec, common: normaliseCommon(spec.common) };
  if (spec.common.featureCache !== undefined) normalised.common.featureCache = spec.common.featureCache;
  return {
    schema: "medad.grid-manifest/1",
    id: specHash({ methods: spec.methods, shots: spec.shots, seeds: spec.seeds, cells: cells.map((c) => c.id) }),
    spec: normalised,
    cells,
  };
}

/** Writes (or rewrites: the same spec gives the same ids, so finished results stay valid) `<dir>/manifest.json`. */
export function writeManifest(dir: string, manifest: GridManifest): string {
  fs.mkdirSync(path.join(dir, "results"), { recursive: true });
  fs.mkdirSync(path.join(dir, "logs"), { recursive: true });
  const file = path.join(dir, MANIFEST_FILE);
  writeFileAtomic(file, JSON.stringify(manifest, null, 1) + "\n");
  return file;
}

/** A grid folder or its manifest.json → the folder and the parsed manifest (errors name the file and the fix). */
export function readManifest(dirOrFile: string): { dir: string; file: string; manifest: GridManifest } {
  const isFile = dirOrFile.endsWith(".json") && !(fs.existsSync(dirOrFile) && fs.statSync(dirOrFile).isDirectory());
  const file = path.resolve(isFile ? dirOrFile : path.join(dirOrFile, MANIFEST_FILE));
  if (!fs.existsSync(file)) throw new Error(`${file}: no grid manifest here; write one with 'medad grid plan SPEC'`);
  let manifest: GridManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8")) as GridManifest;
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message}); plan the grid again`);
  }
  if (manifest.schema !== "medad.grid-manifest/1" || !Array.isArray(manifest.cells))
    throw new Error(`${file}: not a medad grid manifest (schema '${String(manifest.schema)}')`);
  return { dir: path.dirname(file), file, manifest };
}

/** `--cell ID` or `--index N` (SLURM_ARRAY_TASK_ID and its cousins fill in N) → the cell. */
export function findCell(manifest: GridManifest, file: string, by: { id?: string; index?: number }): GridCell {
  if (by.id !== undefined) {
    const cell = manifest.cells.find((c) => c.id === by.id || (by.id!.length >= 6 && c.id.startsWith(by.id!)));
    if (!cell) throw new Error(`${file}: no cell '${by.id}'; 'medad grid status' lists the ids`);
    return cell;
  }
  const i = by.index!;
  const cell = manifest.cells[i];
  if (!Number.isInteger(i) || !cell)
    throw new Error(
      `${file}: no cell at index ${i}; the grid has ${manifest.cells.length} (0 to ${manifest.cells.length - 1})`,
    );
  return cell;
}
