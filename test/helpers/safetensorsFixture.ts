// Minimal safetensors reader for test fixtures only: the engine's own reader lives elsewhere. It reads the
// 8-byte little-endian header length, the JSON header and returns one tensor as a typed array (copied, so
// alignment of the data section never matters).
import * as fs from "fs";

export interface FixtureTensor {
  dtype: string;
  shape: number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const ctors: Record<string, { bytes: number; make: (buf: ArrayBuffer) => FixtureTensor["data"] }> = {
  F32: { bytes: 4, make: (b) => new Float32Array(b) },
  F64: { bytes: 8, make: (b) => new Float64Array(b) },
  I32: { bytes: 4, make: (b) => new Int32Array(b) },
  I64: { bytes: 8, make: (b) => new BigInt64Array(b) },
  U8: { bytes: 1, make: (b) => new Uint8Array(b) },
};

export function readFixtureTensor(file: string, name: string): FixtureTensor {
  const buf = fs.readFileSync(file);
  const headerLen = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + headerLen).toString("utf8")) as Record<string, HeaderEntry>;
  const entry = header[name];
  if (!entry) throw new Error(`${file}: no tensor '${name}' (has ${Object.keys(header).join(", ")})`);
  const ctor = ctors[entry.dtype];
  if (!ctor) throw new Error(`${file}: tensor '${name}' has dtype ${entry.dtype}, not supported by the test reader`);
  const [begin, end] = entry.data_offsets;
  const bytes = buf.subarray(8 + headerLen + begin, 8 + headerLen + end);
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return { dtype: entry.dtype, shape: entry.shape, data: ctor.make(copy) };
}
