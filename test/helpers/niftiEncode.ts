// Minimal NIfTI-1 writer for tests (single file .nii, little endian), with an optional sform.
import * as zlib from "zlib";

export interface NiftiSpec {
  dims: [number, number, number];
  datatype: 2 | 4 | 16; // uint8, int16, float32
  values: number[];
  /** Rows of the 3x4 sform; default: identity (RAS, 1 mm). */
  sform?: [number[], number[], number[]];
  slope?: number;
  inter?: number;
  /** Display range cal_min..cal_max (header offsets 128/124). */
  cal?: { min: number; max: number };
  gzip?: boolean;
}

export function encodeNifti(spec: NiftiSpec): Buffer {
  const h = Buffer.alloc(352);
  h.writeInt32LE(348, 0);
  const [nx, ny, nz] = spec.dims;
  [3, nx, ny, nz, 1, 1, 1, 1].forEach((v, i) => h.writeInt16LE(v, 40 + 2 * i));
  const bpv = { 2: 1, 4: 2, 16: 4 }[spec.datatype];
  h.writeInt16LE(spec.datatype, 70);
  h.writeInt16LE(bpv * 8, 72);
  [1, 1, 1, 1, 1, 1, 1, 1].forEach((v, i) => h.writeFloatLE(v, 76 + 4 * i));
  h.writeFloatLE(352, 108); // vox_offset
  h.writeFloatLE(spec.slope ?? 1, 112);
  h.writeFloatLE(spec.inter ?? 0, 116);
  if (spec.cal) {
    h.writeFloatLE(spec.cal.max, 124);
    h.writeFloatLE(spec.cal.min, 128);
  }
  h.writeInt16LE(0, 252); // qform_code
  h.writeInt16LE(1, 254); // sform_code
  const s = spec.sform ?? [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
  ];
  s.forEach((row, r) => row.forEach((v, c) => h.writeFloatLE(v, 280 + 16 * r + 4 * c)));
  h.write("n+1\0", 344, "latin1");
  const data = Buffer.alloc(spec.values.length * bpv);
  spec.values.forEach((v, i) => {
    if (spec.datatype === 2) data[i] = v;
    else if (spec.datatype === 4) data.writeInt16LE(v, i * 2);
    else data.writeFloatLE(v, i * 4);
  });
  const file = Buffer.concat([h, data]);
  return spec.gzip ? zlib.gzipSync(file) : file;
}
