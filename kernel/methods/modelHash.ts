/**
 * A model identity for results. Hashing a multi-GB safetensors file takes longer than many runs, so the default is
 * sha256 over the file's header (the 8-byte length + the JSON header, which names every tensor with its dtype, shape
 * and byte range) followed by the file size in decimal. Two files with the same header and size but different
 * weights collide, so "file" mode (sha256 of every byte) is offered where that matters.
 */
import { createHash } from "crypto";
import * as fs from "fs";

export type ModelHashMode = "header+size" | "file";

export interface ModelHash {
  algorithm: "sha256";
  over: ModelHashMode;
  value: string;
  file: string;
  bytes: number;
}

export function hashModelFile(file: string, mode: ModelHashMode = "header+size"): ModelHash {
  const bytes = fs.statSync(file).size;
  const h = createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    if (mode === "file") {
      const buf = Buffer.alloc(1 << 22);
      for (let pos = 0; pos < bytes; ) {
        const n = fs.readSync(fd, buf, 0, buf.length, pos);
        h.update(buf.subarray(0, n));
        pos += n;
      }
    } else {
      const len = Buffer.alloc(8);
      fs.readSync(fd, len, 0, 8, 0);
      const headerLen = Number(len.readBigUInt64LE(0));
      if (headerLen + 8 > bytes) throw new Error(`${file}: header length ${headerLen} exceeds the file size ${bytes}; not a safetensors file`);
      const header = Buffer.alloc(headerLen);
      fs.readSync(fd, header, 0, headerLen, 8);
      h.update(len).update(header).update(String(bytes));
    }
  } finally {
    fs.closeSync(fd);
  }
  return { algorithm: "sha256", over: mode, value: h.digest("hex"), file, bytes };
}
