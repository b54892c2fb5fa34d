/**
 * NIfTI-1/2 volumes (`.nii`, `.nii.gz`) via nifti-reader-js (0.6.x: its last CommonJS release; 0.8 is ESM-only and
 * cannot be `require`d by this CommonJS build). Voxel values come back scaled by scl_slope/scl_inter as float32.
 */
import * as fs from "fs";
import * as nifti from "nifti-reader-js";

export interface Volume {
  /** Voxel counts along the three voxel axes (i, j, k). */
  readonly dims: readonly [number, number, number];
  /** Voxel size in mm along i, j, k. */
  readonly spacing: readonly [number, number, number];
  /** Voxel (i, j, k, 1) -> world (x, y, z) in RAS+ mm: sform if set, else qform, else the voxel sizes. */
  readonly affine: readonly (readonly number[])[];
  /** Values index i + nx * (j + ny * k), scaled to physical units. */
  readonly data: Float32Array;
  readonly source: string;
  /** The header's display range cal_min..cal_max in physical units, when set (cal_max > cal_min). */
  readonly cal?: { readonly min: number; readonly max: number };
}

const readers: Record<number, (v: DataView, off: number, le: boolean) => number> = {
  2: (v, o) => v.getUint8(o),
  4: (v, o, le) => v.getInt16(o, le),
  8: (v, o, le) => v.getInt32(o, le),
  16: (v, o, le) => v.getFloat32(o, le),
  64: (v, o, le) => v.getFloat64(o, le),
  256: (v, o) => v.getInt8(o),
  512: (v, o, le) => v.getUint16(o, le),
  768: (v, o, le) => v.getUint32(o, le),
};
const bytesPer: Record<number, number> = { 2: 1, 4: 2, 8: 4, 16: 4, 64: 8, 256: 1, 512: 2, 768: 4 };

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** Parses NIfTI bytes; `source` names the file in errors. Only 3-D (or 4-D, first volume) scalar data. */
export function decodeNifti(bytes: Buffer, source = "volume"): Volume {
  let ab = toArrayBuffer(bytes);
  try {
    if (nifti.isCompressed(ab)) ab = nifti.decompress(ab) as ArrayBuffer;
  } catch (err) {
    throw new Error(
      `${source}: cannot gunzip NIfTI (${(err as Error).message}); the file is truncated or not gzip, re-download it`,
    );
  }
  if (!nifti.isNIFTI(ab))
    throw new Error(
      `${source}: not a NIfTI-1/2 file (no 'n+1'/'ni1'/'n+2' magic); convert it with dcm2niix or nibabel`,
    );
  const h = nifti.readHeader(ab);
  if (!h) throw new Error(`${source}: unreadable NIfTI header`);
  const [, nx, ny, nz] = h.dims;
  const read = readers[h.datatypeCode];
  if (!read)
    throw new Error(
      `${source}: NIfTI datatype ${h.datatypeCode} is not supported (use uint8/int16/uint16/int32/float32/float64)`,
    );
  const count = nx * ny * Math.max(1, nz);
  const bpv = bytesPer[h.datatypeCode];
  const raw = nifti.readImage(h, ab);
  if (raw.byteLength < count * bpv) {
    throw new Error(
      `${source}: NIfTI image data is truncated (${raw.byteLength} of ${count * bpv} bytes); re-download the file`,
    );
  }
  const view = new DataView(raw);
  // scl_slope 0 means "no scaling" in the NIfTI standard.
  const slope = h.scl_slope && Number.isFinite(h.scl_slope) ? h.scl_slope : 1;
  const inter = Number.isFinite(h.scl_inter) ? h.scl_inter : 0;
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = read(view, i * bpv, h.littleEndian) * slope + inter;
  const spacing: [number, number, number] = [
    Math.abs(h.pixDims[1]) || 1,
    Math.abs(h.pixDims[2]) || 1,
    Math.abs(h.pixDims[3]) || 1,
  ];
  let affine: number[][];
  if (h.sform_code > 0) affine = h.affine.map((r) => [...r]);
  else if (h.qform_code > 0) affine = h.getQformMat().map((r) => [...r]);
  else
    affine = [
      [spacing[0], 0, 0, 0],
      [0, spacing[1], 0, 0],
      [0, 0, spacing[2], 0],
      [0, 0, 0, 1],
    ];
  const cal =
    Number.isFinite(h.cal_min) && Number.isFinite(h.cal_max) && h.cal_max > h.cal_min
      ? { min: h.cal_min, max: h.cal_max }
      : undefined;
  return { dims: [nx, ny, Math.max(1, nz)], spacing, affine, data, source, ...(cal ? { cal } : {}) };
}

export function readNifti(file: string): Volume {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(
      `${file}: cannot read NIfTI volume (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path`,
    );
  }
  return decodeNifti(bytes, file);
}

/** A 2-D float slice, row-major. */
export interface FloatSlice {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
  /** Index of the slice along the axial voxel axis. */
  readonly index: number;
}

/** Which voxel axis runs most along world z (superior-inferior); for RAS-stored volumes that is k. */
export function axialAxis(vol: Volume): 0 | 1 | 2 {
  const zs = [0, 1, 2].map((a) => Math.abs(vol.affine[2][a]));
  return zs.indexOf(Math.max(...zs)) as 0 | 1 | 2;
}

/**
 * Axial slices in radiological display: anterior at the top, the patient's right on the image's left.
 * `range` is inclusive [first, last] along the axial voxel axis (default: all).
 */
export function axialSlices(vol: Volume, range?: readonly [number, number]): FloatSlice[] {
  const ax = axialAxis(vol);
  const inPlane = ([0, 1, 2] as const).filter((a) => a !== ax);
  // Column axis: the in-plane axis that runs most along world x; rows run along world y.
  const [colAxis, rowAxis] =
    Math.abs(vol.affine[0][inPlane[0]]) >= Math.abs(vol.affine[0][inPlane[1]]) ? inPlane : [inPlane[1], inPlane[0]];
  // Radiological: columns go from patient right (+x) to left, rows from anterior (+y) to posterior.
  const colFlip = vol.affine[0][colAxis] > 0;
  const rowFlip = vol.affine[1][rowAxis] > 0;
  const n = vol.dims[ax];
  const [lo, hi] = range ?? [0, n - 1];
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi >= n || lo > hi) {
    throw new Error(`${vol.source}: slice range [${lo}, ${hi}] is outside 0..${n - 1} along the axial axis`);
  }
  const width = vol.dims[colAxis];
  const height = vol.dims[rowAxis];
  const stride = [1, vol.dims[0], vol.dims[0] * vol.dims[1]];
  const out: FloatSlice[] = [];
  for (let s = lo; s <= hi; s++) {
    const data = new Float32Array(width * height);
    for (let r = 0; r < height; r++) {
      const rv = rowFlip ? height - 1 - r : r;
      for (let c = 0; c < width; c++) {
        const cv = colFlip ? width - 1 - c : c;
        data[r * width + c] = vol.data[s * stride[ax] + rv * stride[rowAxis] + cv * stride[colAxis]];
      }
    }
    out.push({ width, height, data, index: s });
  }
  return out;
}
