// Lazy safetensors reader: parses the header, then reads each tensor by offset from the file descriptor into a fresh
// (hence aligned) buffer, so F32 tensors become Float32Array views without a second copy and a 1.7 GB checkpoint is
// never held in memory whole. Format: u64 LE header length N, N bytes of JSON, then the data block.
import * as fs from "fs";
import { WeightsError } from "./errors";
import { bf16ToF32, f16ToF32 } from "./halfFloat";

export type StDtype = "F64" | "F32" | "F16" | "BF16" | "I64" | "I32" | "I16" | "I8" | "U8" | "BOOL";

const DTYPE_SIZE: Record<StDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};
const FLOAT_DTYPES = ["F32", "F16", "BF16", "F64"];
/** Headers are JSON text; anything larger is not a real safetensors header. */
const MAX_HEADER = 100 * 2 ** 20;

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Absolute byte range in the file. */
  begin: number;
  end: number;
}

export interface FloatTensor {
  data: Float32Array;
  shape: number[];
}

export class SafetensorsFile {
  private fd: number | undefined;
  private readonly tensors = new Map<string, TensorInfo>();
  readonly metadata: Record<string, string> = {};

  private constructor(readonly path: string) {
    try {
      this.fd = fs.openSync(path, "r");
    } catch (e) {
      throw new WeightsError(path, undefined, `cannot open: ${(e as Error).message}`);
    }
    try {
      this.parseHeader();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  static open(path: string): SafetensorsFile {
    return new SafetensorsFile(path);
  }

  private fail(what: string | undefined, message: string): never {
    // A damaged or mislabelled file: say how to get a good one.
    const fix = /^(not a safetensors file|truncated)/.test(message)
      ? ". The file is damaged or not a safetensors file: download it again (medad models pull <org/name> --force) or export it again"
      : "";
    throw new WeightsError(this.path, what, `${message}${fix}`);
  }

  private parseHeader(): void {
    const size = fs.fstatSync(this.fd!).size;
    if (size < 8)
      this.fail(
        undefined,
        `not a safetensors file (or truncated): ${size} bytes, shorter than the 8-byte header length`,
      );
    const lenBuf = this.readAt(0, 8);
    const n = Number(new DataView(lenBuf.buffer).getBigUint64(0, true));
    if (n > MAX_HEADER)
      this.fail(undefined, `not a safetensors file: header length ${n} is implausible (over ${MAX_HEADER} bytes)`);
    if (8 + n > size)
      this.fail(
        undefined,
        `truncated: the header needs ${n} bytes but the file has ${size - 8} after the length field`,
      );
    const text = new TextDecoder().decode(this.readAt(8, n));
    let header: unknown;
    try {
      header = JSON.parse(text);
    } catch (e) {
      this.fail(undefined, `not a safetensors file: header is not valid JSON (${(e as Error).message})`);
    }
    if (typeof header !== "object" || header === null || Array.isArray(header))
      this.fail(undefined, "not a safetensors file: header is not a JSON object");
    const dataStart = 8 + n;
    const dataSize = size - dataStart;
    for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
      if (name === "__metadata__") {
        if (raw && typeof raw === "object") for (const [k, v] of Object.entries(raw)) this.metadata[k] = String(v);
        continue;
      }
      const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      if (typeof e !== "object" || e === null || typeof e.dtype !== "string")
        this.fail(name, "header entry has no dtype");
      const shape = e.shape;
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
        this.fail(name, "header entry has an invalid shape");
      const off = e.data_offsets;
      if (
        !Array.isArray(off) ||
        off.length !== 2 ||
        !off.every((d) => Number.isInteger(d) && d >= 0) ||
        off[0] > off[1]
      ) {
        this.fail(name, "header entry has invalid data_offsets");
      }
      const [b, en] = off as number[];
      if (en > dataSize) {
        this.fail(name, `truncated: data_offsets [${b}, ${en}] extend past the end of the data (${dataSize} bytes)`);
      }
      const elSize = DTYPE_SIZE[e.dtype as StDtype];
      const count = (shape as number[]).reduce((a, c) => a * c, 1);
      if (elSize !== undefined && en - b !== count * elSize) {
        this.fail(
          name,
          `data_offsets span ${en - b} bytes but ${e.dtype} [${(shape as number[]).join(", ")}] needs ${count * elSize}`,
        );
      }
      this.tensors.set(name, {
        name,
        dtype: e.dtype,
        shape: shape as number[],
        begin: dataStart + b,
        end: dataStart + en,
      });
    }
  }

  private readAt(position: number, length: number): Uint8Array {
    if (this.fd === undefined) this.fail(undefined, "file is closed");
    // A fresh ArrayBuffer starts 8-byte aligned, so typed views of any width are valid on it.
    const out = new Uint8Array(new ArrayBuffer(length));
    let done = 0;
    while (done < length) {
      const chunk = Math.min(length - done, 1 << 30);
      const got = fs.readSync(this.fd!, out, done, chunk, position + done);
      if (got === 0) this.fail(undefined, `truncated: unexpected end of file at byte ${position + done}`);
      done += got;
    }
    return out;
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  info(name: string): TensorInfo {
    const t = this.tensors.get(name);
    if (!t) this.fail(name, "tensor not found in this file");
    return t;
  }

  /** The tensor's bytes as stored (little-endian), in a fresh aligned buffer. */
  readRaw(name: string): Uint8Array {
    const t = this.info(name);
    return this.readAt(t.begin, t.end - t.begin);
  }

  /** A float tensor converted to float32 (F32 is a zero-copy view of the read buffer). */
  readFloat32(name: string, expectShape?: readonly number[]): FloatTensor {
    const t = this.info(name);
    if (expectShape) this.checkShape(t, expectShape);
    const raw = this.readRaw(name);
    const buf = raw.buffer;
    let data: Float32Array;
    switch (t.dtype) {
      case "F32":
        data = new Float32Array(buf);
        break;
      case "F16":
        data = f16ToF32(new Uint16Array(buf));
        break;
      case "BF16":
        data = bf16ToF32(new Uint16Array(buf));
        break;
      case "F64":
        data = Float32Array.from(new Float64Array(buf));
        break;
      default:
        this.fail(name, `unsupported dtype ${t.dtype} for a float tensor (supported: ${FLOAT_DTYPES.join(", ")})`);
    }
    return { data, shape: [...t.shape] };
  }

  /** A float tensor widened to float64 (for reference values stored as F64). */
  readFloat64(name: string): { data: Float64Array; shape: number[] } {
    const t = this.info(name);
    if (t.dtype === "F64") return { data: new Float64Array(this.readRaw(name).buffer), shape: [...t.shape] };
    const f = this.readFloat32(name);
    return { data: Float64Array.from(f.data), shape: f.shape };
  }

  /** An integer tensor as int64 (I64/I32/I16/I8/U8/BOOL). */
  readInt64(name: string): { data: BigInt64Array; shape: number[] } {
    const t = this.info(name);
    const buf = this.readRaw(name).buffer;
    let data: BigInt64Array;
    switch (t.dtype) {
      case "I64":
        data = new BigInt64Array(buf);
        break;
      case "I32":
        data = BigInt64Array.from(new Int32Array(buf), (v) => BigInt(v));
        break;
      case "I16":
        data = BigInt64Array.from(new Int16Array(buf), (v) => BigInt(v));
        break;
      case "I8":
        data = BigInt64Array.from(new Int8Array(buf), (v) => BigInt(v));
        break;
      case "U8":
      case "BOOL":
        data = BigInt64Array.from(new Uint8Array(buf), (v) => BigInt(v));
        break;
      default:
        this.fail(name, `unsupported dtype ${t.dtype} for an integer tensor`);
    }
    return { data, shape: [...t.shape] };
  }

  private checkShape(t: TensorInfo, expect: readonly number[]): void {
    if (t.shape.length !== expect.length || t.shape.some((d, i) => d !== expect[i])) {
      this.fail(t.name, `shape [${t.shape.join(", ")}] does not match the expected [${expect.join(", ")}]`);
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
