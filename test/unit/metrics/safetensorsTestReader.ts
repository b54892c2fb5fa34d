// Test-only safetensors reader for the shared reference fixtures: 8-byte little-endian header length N, a JSON header
// {name: {dtype, shape, data_offsets}}, then the data. Tensors are copied out, so alignment never matters, and
// returned as plain numbers (I64 via Number: fixture labels and sizes are small).
import * as fs from "fs";
import * as path from "path";

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export interface TestTensor {
  shape: number[];
  /** F32 tensors stay Float32Array (pixel maps must keep float32 identity); others become Float64Array. */
  data: Float32Array | Float64Array;
}

/** The tiny-CLIP fixture folder: MEDAD_FIXTURES, else shared/ inside or beside the checkout, else /work/shared. */
export function tinyClipRefDir(): string {
  const repo = path.resolve(__dirname, "..", "..", "..", "..");
  const candidates = [
    ...(process.env.MEDAD_FIXTURES ? [process.env.MEDAD_FIXTURES] : []),
    path.join(repo, "shared", "fixtures", "tiny-clip"),
    path.join(repo, "..", "shared", "fixtures", "tiny-clip"),
    "/work/shared/fixtures/tiny-clip",
  ];
  const found = candidates.find((c) => fs.existsSync(path.join(c, "ref")));
  if (found === undefined) throw new Error(`tiny-clip fixtures not found (looked in ${candidates.join(", ")}); set MEDAD_FIXTURES.`);
  return path.join(found, "ref");
}

export function readTestTensor(file: string, name: string): TestTensor {
  const bytes = fs.readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8")) as Record<string, HeaderEntry>;
  const entry = header[name];
  if (entry === undefined) throw new Error(`${file}: no tensor named ${name}`);
  const [begin, end] = entry.data_offsets;
  const start = 8 + headerLength + begin;
  const raw = bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + 8 + headerLength + end);
  switch (entry.dtype) {
    case "F32":
      return { shape: entry.shape, data: new Float32Array(raw) };
    case "F64":
      return { shape: entry.shape, data: new Float64Array(raw) };
    case "I64":
      return { shape: entry.shape, data: Float64Array.from(new BigInt64Array(raw), (v) => Number(v)) };
    default:
      throw new Error(`${file}: ${name} has dtype ${entry.dtype}, which this test reader does not handle`);
  }
}
