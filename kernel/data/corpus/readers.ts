/** Decoders for the few file kinds the corpus sources ship, each returning values in [0, 1]. */
import * as fs from "fs";
import * as zlib from "zlib";
import { decodeRgb, decodeGray } from "../../imaging/decode";
import { decodeDicom } from "../../imaging/dicom";
import { normalise } from "./slicing";

export interface Picture {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Float32Array;
}

export function readPicture(file: string, channels: 1 | 3): Picture {
  const bytes = fs.readFileSync(file);
  const r = channels === 3 ? decodeRgb(bytes, file) : decodeGray(bytes, file);
  const scale = r.data instanceof Uint8Array ? 1 / 255 : 1;
  const data = new Float32Array(r.data.length);
  for (let i = 0; i < data.length; i++) data[i] = r.data[i] * scale;
  return { width: r.width, height: r.height, channels: r.channels, data };
}

/**
 * Halves a picture (2×2 box mean) until its longer side is at most `maxSide`: crops of the 1411² fundus photograph
 * then need at most 2×2 supersamples per output pixel instead of 4×4, for the same anti-aliasing.
 */
export function shrinkTo(p: Picture, maxSide: number): Picture {
  let cur = p;
  while (Math.max(cur.width, cur.height) > maxSide) {
    const w = Math.floor(cur.width / 2);
    const h = Math.floor(cur.height / 2);
    const ch = cur.channels;
    const data = new Float32Array(w * h * ch);
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        for (let k = 0; k < ch; k++) {
          const at = (rr: number, cc: number) => cur.data[(rr * cur.width + cc) * ch + k];
          const v = at(2 * r, 2 * c) + at(2 * r, 2 * c + 1) + at(2 * r + 1, 2 * c) + at(2 * r + 1, 2 * c + 1);
          data[(r * w + c) * ch + k] = v / 4;
        }
      }
    }
    cur = { width: w, height: h, channels: ch, data };
  }
  return cur;
}

/** One uncompressed DICOM slice, normalised to its own p0.5–p99.5 range. */
export function readDicomSlice(file: string): Picture {
  const r = decodeDicom(fs.readFileSync(file), file);
  const grey = new Float32Array(r.width * r.height);
  for (let i = 0; i < grey.length; i++) grey[i] = r.data[i * r.channels];
  return { width: r.width, height: r.height, channels: 1, data: normalise(grey) };
}

/** A 2-D little-endian float64/float32 `.npy` array (numpy format 1.0/2.0, C order). */
export function readNpy2d(file: string): Picture {
  const b = fs.readFileSync(file);
  if (b.toString("latin1", 1, 6) !== "NUMPY") throw new Error(`${file}: not a .npy file`);
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = b.toString("latin1", start, start + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
  if (!shape || (descr !== "<f8" && descr !== "<f4") || /'fortran_order':\s*True/.test(header)) {
    throw new Error(`${file}: expected a 2-D C-order <f8/<f4 array, header is ${header.trim()}`);
  }
  const [h, w] = [Number(shape[1]), Number(shape[2])];
  const off = start + hlen;
  const raw = new Float32Array(h * w);
  const bpv = descr === "<f8" ? 8 : 4;
  for (let i = 0; i < raw.length; i++) raw[i] = bpv === 8 ? b.readDoubleLE(off + 8 * i) : b.readFloatLE(off + 4 * i);
  return { width: w, height: h, channels: 1, data: normalise(raw) };
}

/** The first `count` images and labels of an IDX (MNIST-format) gzip pair. */
export function readIdx(imagesGz: string, labelsGz: string, count: number): { pictures: Picture[]; labels: number[] } {
  const img = zlib.gunzipSync(fs.readFileSync(imagesGz));
  const lab = zlib.gunzipSync(fs.readFileSync(labelsGz));
  if (img.readUInt32BE(0) !== 2051 || lab.readUInt32BE(0) !== 2049) {
    throw new Error(`${imagesGz}: not an IDX image/label pair; reinstall dataset-fashion-mnist`);
  }
  const n = Math.min(count, img.readUInt32BE(4), lab.readUInt32BE(4));
  const rows = img.readUInt32BE(8);
  const cols = img.readUInt32BE(12);
  const pictures: Picture[] = [];
  const labels: number[] = [];
  for (let k = 0; k < n; k++) {
    const data = new Float32Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = img[16 + k * rows * cols + i] / 255;
    pictures.push({ width: cols, height: rows, channels: 1, data });
    labels.push(lab[8 + k]);
  }
  return { pictures, labels };
}
