/**
 * Generates `demo-brainmri` (data.md §3.1) from the Colin27 T1 volume: axial slices, 12 pseudo-subjects,
 * synthetic masses / small lesions with 0/255 masks, in the exact MVFA layout under `Brain_AD/`, plus meta.json,
 * manifest.csv (with each abnormal image's anomaly category), MVFA-format few-shot lists and the data licence.
 * Deterministic: a fixed seed drives every draw and the PNG encoder settings are fixed.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { axialSlices, readNifti } from "../../imaging/nifti";
import { encodePng8 } from "../../imaging/pngEncode";
import { replaceDirAtomic } from "../../util/atomicWrite";
import { Rng } from "../../util/random/rng";
import { Grid } from "./grid";
import { addMass, addSmallLesions, AnomalyCategory, LesionResult } from "./lesions";
import { LICENSE_DATA, README_DATA } from "./notices";
import { CANVAS, makeSubject, Subject, toFlair, warpSlice } from "./subject";

export interface DemoOptions {
  /** Path of ch2bet.nii.gz. */
  source: string;
  /** Output folder (replaced atomically). */
  out: string;
  seed?: number;
  validPerClass?: number;
  testPerClass?: number;
}

export interface DemoImageRecord {
  file: string;
  split: "valid" | "test";
  label: "normal" | "abnormal";
  mask: string | null;
  anomalyCategory: AnomalyCategory | null;
  subject: number;
  sourceSliceZ: number;
  noiseSigma: number;
  lesion: Record<string, unknown> | null;
  lesionAreaPx: number;
}

export interface DemoResult {
  out: string;
  images: DemoImageRecord[];
  bytes: number;
}

export const DEMO_SEED = 27;
const CLASS = "Brain";
const SUBJECTS = 12;
const VALID_SUBJECTS = 4; // subjects 0-3 -> valid, 4-11 -> test: no pseudo-subject in both splits
const Z_RANGE: readonly [number, number] = [55, 110]; // data.md §3.1: midbrain to centrum semiovale
const MASS_SHARE = 0.7;
const SHOTS = [1, 2, 4, 8, 16];

/** Pads a source slice onto nothing: warpSlice centres it on the canvas. */
function sliceGrid(s: { width: number; height: number; data: Float32Array }): Grid {
  return { width: s.width, height: s.height, data: s.data };
}

function to8bit(img: Grid): Uint8Array {
  // 1.1 maps the brightest lesions (≈1.05) just below white; WM ≈ 0.48 -> 111, GM ≈ 0.62 -> 144.
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, Math.round((img.data[i] / 1.1) * 255)));
  return out;
}

/** Rician noise: magnitude of (signal + complex Gaussian noise), inside the head only (air stays black). */
function addRicianNoise(img: Grid, head: Uint8Array, sigma: number, rng: Rng): void {
  for (let i = 0; i < img.data.length; i++) {
    if (!head[i]) continue;
    img.data[i] = Math.hypot(img.data[i] + sigma * rng.normal(), sigma * rng.normal());
  }
}

/** Exactly round(share·n) of the first kind, in a seeded order, so every split has both categories. */
function categoryPlan(n: number, rng: Rng): AnomalyCategory[] {
  const masses = Math.round(MASS_SHARE * n);
  const plan: AnomalyCategory[] = [...Array(masses).fill("mass"), ...Array(n - masses).fill("small_lesions")];
  return rng.sample(plan, plan.length);
}

interface Planned {
  split: "valid" | "test";
  subject: number;
  z: number;
  label: "normal" | "abnormal";
  category: AnomalyCategory | null;
}

function plan(validPerClass: number, testPerClass: number, rng: Rng): Planned[] {
  const out: Planned[] = [];
  const splits = [
    { split: "valid" as const, subjects: [...Array(VALID_SUBJECTS).keys()], perClass: validPerClass, parity: 0 },
    { split: "test" as const, subjects: [...Array(SUBJECTS - VALID_SUBJECTS).keys()].map((i) => i + VALID_SUBJECTS), perClass: testPerClass, parity: 1 },
  ];
  for (const { split, subjects, perClass, parity } of splits) {
    // Even z for valid, odd z for test: no source slice appears in both splits.
    const zs: number[] = [];
    for (let z = Z_RANGE[0]; z <= Z_RANGE[1]; z++) if (z % 2 === parity) zs.push(z);
    const perSubject = Math.ceil((2 * perClass) / subjects.length);
    if (perSubject > zs.length) throw new Error(`demo: ${perClass} images per class need more than ${zs.length} slices per subject`);
    const categories = categoryPlan(perClass, rng);
    let normals = 0;
    let abnormals = 0;
    let index = 0;
    for (const subject of subjects) {
      const picks = rng.sample(zs, perSubject);
      picks.forEach((z) => {
        // Alternate over the whole split (not per subject) so tiny sets still get both labels.
        const wantAbnormal = index++ % 2 === 1;
        if (wantAbnormal && abnormals < perClass) out.push({ split, subject, z, label: "abnormal", category: categories[abnormals++] });
        else if (!wantAbnormal && normals < perClass) {
          out.push({ split, subject, z, label: "normal", category: null });
          normals++;
        }
      });
    }
    if (normals !== perClass || abnormals !== perClass) throw new Error(`demo: planned ${normals}+${abnormals} ${split} images, wanted ${perClass}+${perClass}`);
  }
  return out;
}

function sha256(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

export function generateDemo(opts: DemoOptions): DemoResult {
  const seed = opts.seed ?? DEMO_SEED;
  const validPerClass = opts.validPerClass ?? 16;
  const testPerClass = opts.testPerClass ?? 48;
  const vol = readNifti(opts.source);
  const slices = new Map(axialSlices(vol, Z_RANGE).map((s) => [s.index, s]));
  const master = new Rng(seed);
  const subjects: Subject[] = [];
  for (let s = 0; s < SUBJECTS; s++) subjects.push(makeSubject(s, master.fork(1000 + s)));
  const planned = plan(validPerClass, testPerClass, master.fork(1));
  const records: DemoImageRecord[] = [];
  let bytes = 0;

  replaceDirAtomic(opts.out, (tmp) => {
    const write = (rel: string, data: string | Uint8Array) => {
      const file = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, data);
      bytes += typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
    };
    for (const p of planned) {
      const subject = subjects[p.subject];
      // One generator per image: changing one image's draws never shifts another's.
      const rng = new Rng((seed * 1_000_003 + p.subject * 1000 + p.z) >>> 0);
      const src = slices.get(p.z);
      if (!src) throw new Error(`demo: slice ${p.z} missing from ${opts.source}`);
      const warped = warpSlice(sliceGrid(src), subject);
      let img = toFlair(warped, subject);
      let head = warped.brain;
      let lesion: LesionResult | undefined;
      if (p.label === "abnormal") {
        for (let attempt = 0; attempt < 20 && !lesion; attempt++) {
          lesion = p.category === "mass" ? addMass(img, warped.brain, rng) : addSmallLesions(img, warped.brain, warped.t1, rng);
        }
        if (!lesion) throw new Error(`demo: could not place a ${p.category} lesion in subject ${p.subject} slice ${p.z}`);
        img = lesion.image;
        // A mass pushes tissue outward; the head mask for noise follows the deformed image.
        head = Uint8Array.from(img.data, (v, i) => (v > 0 || warped.brain[i] ? 1 : 0));
      }
      const noiseSigma = Number(rng.uniform(0.01, 0.03).toFixed(4));
      addRicianNoise(img, head, noiseSigma, rng);
      const name = `${String(p.subject).padStart(5, "0")}_${p.z}.png`;
      const cls = p.label === "normal" ? "good" : "Ungood";
      const file = `${CLASS}_AD/${p.split}/${cls}/img/${name}`;
      write(file, encodePng8(CANVAS, CANVAS, to8bit(img), "gray"));
      let maskFile: string | null = null;
      if (lesion) {
        maskFile = `${CLASS}_AD/${p.split}/${cls}/anomaly_mask/${name}`;
        write(maskFile, encodePng8(CANVAS, CANVAS, Uint8Array.from(lesion.mask, (m) => m * 255), "gray"));
      }
      records.push({
        file, split: p.split, label: p.label, mask: maskFile, anomalyCategory: p.category, subject: p.subject, sourceSliceZ: p.z,
        noiseSigma, lesion: lesion ? lesion.params : null, lesionAreaPx: lesion ? lesion.areaPx : 0,
      });
    }
    records.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    writeFewShotLists(records, master.fork(2), write);
    const manifest = ["path,label,mask,category,anomaly_type,split"];
    for (const r of records) manifest.push([r.file, r.label, r.mask ?? "", CLASS, r.anomalyCategory ?? "", r.split].join(","));
    write("manifest.csv", manifest.join("\n") + "\n");
    const meta = {
      dataset: "demo-brainmri",
      layout: "mvfa",
      class: CLASS,
      generator: "kernel/data/demo/generate.ts (medad data make-demo)",
      seed,
      source: { file: "data/source/colin27/ch2bet.nii.gz", sha256: sha256(opts.source), dims: vol.dims, axialRange: Z_RANGE },
      canvas: [CANVAS, CANVAS],
      splits: { valid: { good: validPerClass, Ungood: validPerClass }, test: { good: testPerClass, Ungood: testPerClass } },
      subjects: subjects.map((s) => s.params),
      images: records,
    };
    write("meta.json", JSON.stringify(meta, null, 1) + "\n");
    write("LICENSE-DATA.md", LICENSE_DATA);
    write("README.md", README_DATA);
  });
  return { out: opts.out, images: records, bytes };
}

/** MVFA-format lists (`n-0: …`, `a-0: …`), nested: the k-shot set contains the smaller ones. */
function writeFewShotLists(records: DemoImageRecord[], rng: Rng, write: (rel: string, data: string) => void): void {
  const names = (label: string) => records.filter((r) => r.split === "valid" && r.label === label).map((r) => path.basename(r.file));
  const normal = rng.sample(names("normal"), names("normal").length);
  const abnormal = rng.sample(names("abnormal"), names("abnormal").length);
  for (const k of SHOTS) {
    if (k > normal.length || k > abnormal.length) continue;
    write(`fewshot_seed/${CLASS}/${k}-shot.txt`, `a-0: ${abnormal.slice(0, k).join(" ")}\nn-0: ${normal.slice(0, k).join(" ")}\n`);
  }
}
