// safetensors writer (atomic: temp file in the same folder + rename). Used to cache tensors and to make test files.
import { writeFileAtomic } from "../../util/atomicWrite";
import type { StDtype } from "./safetensors";

export interface StTensorIn {
  dtype: StDtype;
  shape: number[];
  /** Little-endian element bytes, e.g. a Float32Array or a Uint16Array of F16 bits. */
  data: ArrayBufferView;
}

export function encodeSafetensors(tensors: Record<string, StTensorIn>, metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  const parts: Buffer[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  // Pad the header so the data block starts 8-byte aligned (readers may then map tensors directly).
  json += " ".repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([len, Buffer.from(json), ...parts]);
}

export function writeSafetensors(
  file: string,
  tensors: Record<string, StTensorIn>,
  metadata?: Record<string, string>,
): void {
  writeFileAtomic(file, encodeSafetensors(tensors, metadata));
}
