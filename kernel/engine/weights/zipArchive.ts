// A read-only zip reader for PyTorch checkpoints (torch.save since 1.6 and TorchScript archives are zip files).
// It reads the central directory (with zip64 records, since real checkpoints pass 4 GB) and gives each entry's
// byte range; stored entries (torch writes tensor data uncompressed) are read straight from the file by offset,
// deflated ones (TorchScript code/) are inflated with Node's zlib. No other compression method or encryption.
import * as fs from "fs";
import * as zlib from "zlib";
import { WeightsError } from "./errors";

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  /** Absolute offset of the entry's data (after its local header). */
  dataOffset: number;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const STORED = 0;
const DEFLATE = 8;

/** True when the file starts like a zip archive (local file header). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

export class ZipArchive {
  private fd: number | undefined;
  private readonly entries = new Map<string, ZipEntry>();
  readonly size: number;

  constructor(readonly path: string) {
    try {
      this.fd = fs.openSync(path, "r");
    } catch (e) {
      throw new WeightsError(path, undefined, `cannot open: ${(e as Error).message}`);
    }
    this.size = fs.fstatSync(this.fd).size;
    try {
      this.readCentralDirectory();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private fail(message: string): never {
    throw new WeightsError(this.path, undefined, `not a readable zip archive: ${message}`);
  }

  readAt(position: number, length: number): Buffer {
    if (this.fd === undefined) this.fail("file is closed");
    const out = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const got = fs.readSync(this.fd!, out, done, Math.min(length - done, 1 << 30), position + done);
      if (got === 0) this.fail(`truncated at byte ${position + done}`);
      done += got;
    }
    return out;
  }

  private readCentralDirectory(): void {
    // The end-of-central-directory record is 22 bytes plus a comment of up to 65535 bytes at the very end.
    const tailLen = Math.min(this.size, 22 + 0xffff);
    const tail = this.readAt(this.size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--)
      if (tail.readUInt32LE(i) === EOCD_SIG) {
        eocd = i;
        break;
      }
    if (eocd < 0) this.fail("no end-of-central-directory record (truncated download?)");
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    const eocdAbs = this.size - tailLen + eocd;
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = this.readAt(eocdAbs - 20, 20);
      if (loc.readUInt32LE(0) !== ZIP64_LOCATOR_SIG) this.fail("zip64 fields without a zip64 locator");
      const rec = this.readAt(Number(loc.readBigUInt64LE(8)), 56);
      if (rec.readUInt32LE(0) !== ZIP64_EOCD_SIG) this.fail("bad zip64 end-of-central-directory record");
      count = Number(rec.readBigUInt64LE(32));
      cdSize = Number(rec.readBigUInt64LE(40));
      cdOffset = Number(rec.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > this.size) this.fail("central directory extends past the end of the file (truncated?)");
    const cd = this.readAt(cdOffset, cdSize);
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIG)
        this.fail(`central directory entry ${n} is damaged`);
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      let compressedSize = cd.readUInt32LE(p + 20);
      let size = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let localOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString("utf8", p + 46, p + 46 + nameLen);
      // Zip64 extended information (id 1) holds, in this order, whichever of the three fields overflowed.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (id === 1) {
          let q = e + 4;
          if (size === 0xffffffff) {
            size = Number(cd.readBigUInt64LE(q));
            q += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = Number(cd.readBigUInt64LE(q));
            q += 8;
          }
          if (localOffset === 0xffffffff) localOffset = Number(cd.readBigUInt64LE(q));
        }
        e += 4 + len;
      }
      p = extraEnd + commentLen;
      if (flags & 1) throw new WeightsError(this.path, name, "zip entry is encrypted; not supported");
      const local = this.readAt(localOffset, 30);
      if (local.readUInt32LE(0) !== LOCAL_SIG) this.fail(`local header of ${name} is damaged`);
      const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (dataOffset + compressedSize > this.size) this.fail(`${name} extends past the end of the file (truncated?)`);
      this.entries.set(name, { name, method, compressedSize, size, dataOffset });
    }
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  entry(name: string): ZipEntry | undefined {
    return this.entries.get(name);
  }

  /** The whole (decompressed) content of an entry. */
  read(name: string): Buffer {
    const e = this.entries.get(name);
    if (!e) throw new WeightsError(this.path, name, "entry not found in the archive");
    const raw = this.readAt(e.dataOffset, e.compressedSize);
    if (e.method === STORED) return raw;
    if (e.method === DEFLATE) {
      const out = zlib.inflateRawSync(raw);
      if (out.length !== e.size)
        throw new WeightsError(this.path, name, `inflated to ${out.length} bytes, expected ${e.size}`);
      return out;
    }
    throw new WeightsError(
      this.path,
      name,
      `zip compression method ${e.method} is not supported (only stored and deflate)`,
    );
  }

  /** Bytes [from, from + length) of an entry; reads only that range when the entry is stored. */
  readRange(name: string, from: number, length: number): Buffer {
    const e = this.entries.get(name);
    if (!e) throw new WeightsError(this.path, name, "entry not found in the archive");
    if (from + length > e.size)
      throw new WeightsError(this.path, name, `range [${from}, ${from + length}) exceeds the entry's ${e.size} bytes`);
    if (e.method === STORED) return this.readAt(e.dataOffset + from, length);
    return this.read(name).subarray(from, from + length);
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
